import type { Db } from "./db.ts";
import { sqlDate } from "./hot-path.ts";

// Dates compare as Prisma's fixed-width ISO text on SQLite (sqlDate).
const CLAIM_SQLITE = `
UPDATE "Outbox" SET "claimToken" = ?, "claimedUntil" = ?
WHERE "id" IN (
  SELECT "id" FROM "Outbox"
  WHERE "sentAt" IS NULL AND "failedAt" IS NULL AND "sendAfter" <= ? AND "attempts" < ?
    AND ("claimedUntil" IS NULL OR "claimedUntil" < ?)
  ORDER BY "id" LIMIT ?
)`;

/**
 * How a sender claims due outbox rows, per database. What must stay true on both: a row is held by
 * at most one live claim (claimToken + claimedUntil in the future), so two senders (two bot
 * processes) never send the same message; a crashed sender's rows come back once their lease passed.
 * - SQLite: one UPDATE statement on the raw connection, serialised by SQLite's single writer (it
 *   waits for the write lock with the busy timeout). Not Prisma's updateMany: that reads the ids first
 *   inside its own transaction and then writes, and a read transaction that must become a write
 *   transaction while another process writes fails at once with SQLITE_BUSY instead of waiting.
 * - PostgreSQL: one statement, `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`,
 *   so a second sender racing the first skips the rows being claimed and takes the next ones at once
 *   instead of waiting on their row locks and coming back empty.
 */
export interface OutboxClaimStore {
  /** Claims up to `limit` due rows (oldest first) under `token` until `until`; resolves to how many were claimed. */
  claim(opts: { now: Date; until: Date; limit: number; token: string; maxAttempts: number }): Promise<number>;
}

const stores = new WeakMap<Db, OutboxClaimStore>();

/** The claim store of a database (memoised per Db). */
export function outboxClaimStoreFor(db: Db): OutboxClaimStore {
  let store = stores.get(db);
  if (!store) {
    store = db.dialect === "postgresql" ? pgClaims(db) : sqliteClaims(db);
    stores.set(db, store);
  }
  return store;
}

function sqliteClaims(db: Db): OutboxClaimStore {
  const claim = db.sqlite.prepare(CLAIM_SQLITE);
  return {
    async claim({ now, until, limit, token, maxAttempts }) {
      return claim.run(token, sqlDate(until), sqlDate(now), maxAttempts, sqlDate(now), limit).changes;
    },
  };
}

// Timestamps go in as ISO text cast to timestamp(3): the zone designator is ignored for a column
// without zone, which is exactly UTC as Prisma writes it (a JS Date would be sent in local time).
const CLAIM_PG = `
UPDATE "Outbox" SET "claimToken" = $1, "claimedUntil" = $2::timestamp(3)
WHERE "id" IN (
  SELECT "id" FROM "Outbox"
  WHERE "sentAt" IS NULL AND "failedAt" IS NULL AND "sendAfter" <= $3::timestamp(3) AND "attempts" < $4
    AND ("claimedUntil" IS NULL OR "claimedUntil" < $3::timestamp(3))
  ORDER BY "id" LIMIT $5
  FOR UPDATE SKIP LOCKED
)`;

function pgClaims(db: Db): OutboxClaimStore {
  return {
    async claim({ now, until, limit, token, maxAttempts }) {
      const r = await db.pg.query({ name: "xs_outbox_claim", text: CLAIM_PG, values: [token, until.toISOString(), now.toISOString(), maxAttempts, limit] });
      return r.rowCount ?? 0;
    },
  };
}
