import type { Pool } from "pg";
import type { Actor } from "./identity/actor.ts";
import { toActor, type ActorRow, type IdentityHotPath, type IdentityHotPathOptions } from "./hot-path.ts";

/**
 * The identity hot path on PostgreSQL: the same three lookups as the SQLite one, as named (server-
 * prepared) statements on the raw `pg` pool. Nothing is cached: with several API and bot processes
 * on one database there is no cheap "has anything changed" signal like SQLite's data_version, so
 * a logout, a deactivation or a role change on one process is honoured by every other on its next
 * request because every request reads the session row.
 */
const ACTOR_COLUMNS = `u.id AS "userId", u.name AS "name", u.active AS "active", u."unitId" AS "unitId",
  un.code AS "unitCode", un.name AS "unitName", un.type AS "unitType",
  (SELECT string_agg(r.role, ',') FROM "UserRole" r WHERE r."userId" = u.id) AS "roles"`;

const BY_SESSION = `SELECT ${ACTOR_COLUMNS}, s."expiresAt" AS "expiresAt", s."revokedAt" AS "revokedAt",
    s.id AS "sessionId", COALESCE(s."lastUsedAt", s."createdAt") AS "lastUsedAt"
  FROM "Session" s JOIN "User" u ON u.id = s."userId" JOIN "Unit" un ON un.id = u."unitId"
  WHERE s."tokenHash" = $1`;
const BY_IDENTITY = `SELECT ${ACTOR_COLUMNS}
  FROM "Identity" i JOIN "User" u ON u.id = i."userId" JOIN "Unit" un ON un.id = u."unitId"
  WHERE i.provider = $1 AND i.subject = $2`;
const BY_USER = `SELECT ${ACTOR_COLUMNS} FROM "User" u JOIN "Unit" un ON un.id = u."unitId" WHERE u.id = $1`;

type PgActorRow = Omit<ActorRow, "active" | "expiresAt" | "revokedAt" | "lastUsedAt"> & {
  active: boolean;
  expiresAt?: Date;
  revokedAt?: Date | null;
  lastUsedAt?: Date;
};

function actorOf(row: PgActorRow): Actor {
  const actor = toActor({ ...row, active: row.active ? 1 : 0, expiresAt: undefined, revokedAt: undefined, lastUsedAt: undefined });
  Object.freeze(actor.unit);
  Object.freeze(actor.roles);
  return Object.freeze(actor);
}

export function createPgIdentityHotPath(pool: Pool, opts: IdentityHotPathOptions = {}): IdentityHotPath {
  const renewAfter = opts.renew ? (opts.renewAfterMs ?? Infinity) : Infinity;
  const renew = opts.renew;
  return {
    async actorBySessionHash(tokenHash, now) {
      const { rows } = await pool.query<PgActorRow>({ name: "xs_actor_by_session", text: BY_SESSION, values: [tokenHash] });
      const row = rows[0];
      if (!row || !row.active || row.revokedAt) return null;
      const at = now.getTime();
      const expiresAt = row.expiresAt ? row.expiresAt.getTime() : NaN;
      if (!(expiresAt > at)) return null;
      const lastUsedAt = row.lastUsedAt ? row.lastUsedAt.getTime() : at;
      if (at - lastUsedAt >= renewAfter) renew!({ id: row.sessionId! }, now);
      return actorOf(row);
    },
    async actorByIdentity(provider, subject) {
      const { rows } = await pool.query<PgActorRow>({ name: "xs_actor_by_identity", text: BY_IDENTITY, values: [provider, subject] });
      return rows[0]?.active ? actorOf(rows[0]) : null;
    },
    async actorByUserId(userId) {
      const { rows } = await pool.query<PgActorRow>({ name: "xs_actor_by_user", text: BY_USER, values: [userId] });
      return rows[0]?.active ? actorOf(rows[0]) : null;
    },
  };
}
