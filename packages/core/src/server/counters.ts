import type { Db } from "./db.ts";

/**
 * Fixed-window counters that every process on the database shares (table AttemptCounter), for
 * limits that must hold behind a load balancer: invite, link-code and Telegram-login guessing per
 * client address (identity/attempts.ts) and wrong tip receipts (tips/limits.ts). The caller derives
 * the key (hashed or keyed-hashed: a raw address is never stored) and names the window's end;
 * a hit is one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, the same text on SQLite and
 * PostgreSQL, so concurrent hits from several processes are all counted.
 */
export async function hitWindowCounter(db: Db, key: string, windowEnd: number): Promise<number> {
  const rows = await db.prisma.$queryRaw<{ count: number | bigint }[]>`
    INSERT INTO "AttemptCounter" ("key", "count", "windowEnd") VALUES (${key}, 1, ${windowEnd})
    ON CONFLICT ("key") DO UPDATE SET "count" = "AttemptCounter"."count" + 1
    RETURNING "count"`;
  return Number(rows[0]?.count ?? 1);
}

/** The count under `key` (0 when none). */
export async function readWindowCounter(db: Db, key: string): Promise<number> {
  const row = await db.prisma.attemptCounter.findUnique({ where: { key }, select: { count: true } });
  return row?.count ?? 0;
}

/** Deletes the rows of windows that ended before `now` (ms); callers do it now and then. */
export async function sweepWindowCounters(db: Db, now: number): Promise<void> {
  await db.prisma.attemptCounter.deleteMany({ where: { windowEnd: { lt: now } } });
}
