import type Database from "better-sqlite3";
import type { Role, UnitType } from "../domain/units.ts";

/**
 * Prepared statements on the raw SQLite connection for paths that run on every request or in
 * bulk, where Prisma would cost 25-80x per query. This is the ONE module with hand-written SQL
 * for hot paths; it must stay portable in spirit (a PostgreSQL twin would implement the same
 * interface). Statements are prepared once per connection.
 */

/** Prisma's text encoding of DateTime on SQLite; raw writes must match it so Prisma reads them back. */
export function sqlDate(at: Date): string {
  return at.toISOString().replace("Z", "+00:00");
}

/** Who is behind a request: what every use-case receives and checks roles and unit against. */
export interface Actor {
  userId: string;
  name: string;
  unitId: string;
  unit: { code: string; name: string; type: UnitType };
  roles: Role[];
}

interface ActorRow {
  userId: string;
  name: string;
  active: number;
  unitId: string;
  unitCode: string;
  unitName: string;
  unitType: string;
  roles: string | null;
  expiresAt?: string;
  revokedAt?: string | null;
}

const ACTOR_COLUMNS = `u.id AS userId, u.name AS name, u.active AS active, u.unitId AS unitId,
  un.code AS unitCode, un.name AS unitName, un.type AS unitType,
  (SELECT group_concat(r.role) FROM UserRole r WHERE r.userId = u.id) AS roles`;

function toActor(row: ActorRow): Actor {
  return {
    userId: row.userId,
    name: row.name,
    unitId: row.unitId,
    unit: { code: row.unitCode, name: row.unitName, type: row.unitType as UnitType },
    roles: (row.roles ? row.roles.split(",") : []).sort() as Role[],
  };
}

/** Prepared identity lookups used on every API request and every bot update. */
export interface IdentityHotPath {
  /** The actor of a live session (not expired, not revoked, user active), or null. */
  actorBySessionHash(tokenHash: string, now: Date): Actor | null;
  /** The actor linked to an outside identity (e.g. a Telegram user id), or null. */
  actorByIdentity(provider: string, subject: string): Actor | null;
  /** The actor by user id (active users only), or null. */
  actorByUserId(userId: string): Actor | null;
}

/**
 * Prepared statements are created on first use, so deps can be built before migrations run.
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Prepares the identity statements on a connection (lazily). */
export function createIdentityHotPath(sqlite: Database.Database): IdentityHotPath {
  const bySession = lazy(() => sqlite.prepare<[string], ActorRow>(
    `SELECT ${ACTOR_COLUMNS}, s.expiresAt AS expiresAt, s.revokedAt AS revokedAt
     FROM Session s JOIN User u ON u.id = s.userId JOIN Unit un ON un.id = u.unitId
     WHERE s.tokenHash = ?`,
  ));
  const byIdentity = lazy(() => sqlite.prepare<[string, string], ActorRow>(
    `SELECT ${ACTOR_COLUMNS}
     FROM Identity i JOIN User u ON u.id = i.userId JOIN Unit un ON un.id = u.unitId
     WHERE i.provider = ? AND i.subject = ?`,
  ));
  const byUser = lazy(() => sqlite.prepare<[string], ActorRow>(
    `SELECT ${ACTOR_COLUMNS} FROM User u JOIN Unit un ON un.id = u.unitId WHERE u.id = ?`,
  ));
  return {
    actorBySessionHash(tokenHash, now) {
      const row = bySession().get(tokenHash);
      if (!row || !row.active || row.revokedAt) return null;
      if (!row.expiresAt || Date.parse(row.expiresAt) <= now.getTime()) return null;
      return toActor(row);
    },
    actorByIdentity(provider, subject) {
      const row = byIdentity().get(provider, subject);
      return row && row.active ? toActor(row) : null;
    },
    actorByUserId(userId) {
      const row = byUser().get(userId);
      return row && row.active ? toActor(row) : null;
    },
  };
}
