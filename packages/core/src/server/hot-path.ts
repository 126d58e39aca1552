import type Database from "better-sqlite3";
import type { Role, UnitType } from "../domain/units.ts";
import type { Actor } from "./identity/actor.ts";
import type { Db } from "./db.ts";
import { createPgIdentityHotPath } from "./hot-path-pg.ts";

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

export interface ActorRow {
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
  sessionId?: string;
  lastUsedAt?: string;
}

const ACTOR_COLUMNS = `u.id AS userId, u.name AS name, u.active AS active, u.unitId AS unitId,
  un.code AS unitCode, un.name AS unitName, un.type AS unitType,
  (SELECT group_concat(r.role) FROM UserRole r WHERE r.userId = u.id) AS roles`;

export function toActor(row: ActorRow): Actor {
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
  /**
   * The actor of a live session (not expired, not revoked, user active), or null. Served from a
   * small per-connection cache while the database is unchanged (see SESSION_CACHE_MS).
   */
  actorBySessionHash(tokenHash: string, now: Date): Promise<Actor | null>;
  /** The actor linked to an outside identity (e.g. a Telegram user id), or null. */
  actorByIdentity(provider: string, subject: string): Promise<Actor | null>;
  /** The actor by user id (active users only), or null. */
  actorByUserId(userId: string): Promise<Actor | null>;
}

/**
 * Sliding sessions: when a session is used `renewAfterMs` or more after its last renewal, the hot
 * path hands it to `renew` (a background write, never awaited here) and goes on answering from
 * what it read. Without options, sessions are never renewed.
 */
export interface IdentityHotPathOptions {
  renewAfterMs?: number;
  renew?: (session: { id: string }, at: Date) => void;
}

/**
 * Prepared statements are created on first use, so deps can be built before migrations run.
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * How long a session lookup may be reused: at most 1 s, and only while `PRAGMA data_version` of
 * this connection is unchanged. data_version moves whenever ANY other connection commits (Prisma's
 * connection in this process, the CLI, another server process), which is how sessions are revoked,
 * users deactivated and roles changed, so a revocation takes effect on the next request; the 1 s
 * bound only covers writes to identity tables through this raw connection itself (none today).
 * Expiry is checked on every use. The check (10,000/s) otherwise paid a three-table join, a date
 * parse and a role split per request.
 */
export const SESSION_CACHE_MS = 1000;
const SESSION_CACHE_MAX = 10_000;

/** The identity hot path of a database: SQLite's (with its data_version cache) or PostgreSQL's. */
export function identityHotPathFor(db: Db, opts: IdentityHotPathOptions = {}): IdentityHotPath {
  return db.dialect === "postgresql" ? createPgIdentityHotPath(db.pg, opts) : createIdentityHotPath(db.sqlite, opts);
}

/** Prepares the identity statements on a SQLite connection (lazily). */
export function createIdentityHotPath(sqlite: Database.Database, opts: IdentityHotPathOptions = {}): IdentityHotPath {
  const dataVersion = lazy(() => sqlite.prepare<[], number>(`PRAGMA data_version`).pluck());
  const renewAfter = opts.renew ? (opts.renewAfterMs ?? Infinity) : Infinity;
  const renew = opts.renew;
  const sessions = new Map<string, { actor: Actor; expiresAt: number; cachedAt: number; version: number; sessionId: string; lastUsedAt: number }>();
  const bySession = lazy(() => sqlite.prepare<[string], ActorRow>(
    `SELECT ${ACTOR_COLUMNS}, s.expiresAt AS expiresAt, s.revokedAt AS revokedAt,
       s.id AS sessionId, COALESCE(s.lastUsedAt, s.createdAt) AS lastUsedAt
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
    async actorBySessionHash(tokenHash, now) {
      const at = now.getTime();
      const version = dataVersion().get()!;
      const hit = sessions.get(tokenHash);
      if (hit && hit.version === version && at - hit.cachedAt < SESSION_CACHE_MS && at >= hit.cachedAt) {
        if (!(hit.expiresAt > at)) return null;
        if (at - hit.lastUsedAt >= renewAfter) {
          hit.lastUsedAt = at; // handed over once; the write moves data_version and refreshes this entry
          renew!({ id: hit.sessionId }, now);
        }
        return hit.actor;
      }
      const row = bySession().get(tokenHash);
      if (!row || !row.active || row.revokedAt) return null;
      const expiresAt = row.expiresAt ? Date.parse(row.expiresAt) : NaN;
      if (!(expiresAt > at)) return null;
      let lastUsedAt = row.lastUsedAt ? Date.parse(row.lastUsedAt) : at;
      if (at - lastUsedAt >= renewAfter) {
        lastUsedAt = at;
        renew!({ id: row.sessionId! }, now);
      }
      const actor = toActor(row);
      // Shared by the requests that reuse it: frozen, so no use-case can change another's actor.
      Object.freeze(actor.unit);
      Object.freeze(actor.roles);
      Object.freeze(actor);
      if (sessions.size >= SESSION_CACHE_MAX) sessions.clear();
      sessions.set(tokenHash, { actor, expiresAt, cachedAt: at, version, sessionId: row.sessionId!, lastUsedAt });
      return actor;
    },
    async actorByIdentity(provider, subject) {
      const row = byIdentity().get(provider, subject);
      return row && row.active ? toActor(row) : null;
    },
    async actorByUserId(userId) {
      const row = byUser().get(userId);
      return row && row.active ? toActor(row) : null;
    },
  };
}
