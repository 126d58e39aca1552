import { createHash } from "node:crypto";
import type { Deps } from "../deps.ts";

/** What one counted attempt learned: how many attempts this window holds now, and when it ends. */
export interface AttemptCount {
  count: number;
  /** ms until the window ends (for Retry-After). */
  resetInMs: number;
}

/**
 * Counts one attempt of `subject` (a client address) against the limit `name`, in fixed windows of
 * `windowMs`, in the database (table AttemptCounter), so every API process behind a load balancer
 * draws on the same budget: guessing invite or link codes across N processes gets N times nothing.
 * One statement (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, the same text on SQLite and
 * PostgreSQL), atomic under concurrency. The subject is stored hashed, never as given. Ended windows
 * are deleted now and then by the first attempt of a new window.
 */
export async function countAttempt(deps: Deps, name: string, subject: string, windowMs: number): Promise<AttemptCount> {
  const now = deps.clock.now().getTime();
  const window = Math.floor(now / windowMs);
  const windowEnd = (window + 1) * windowMs;
  const key = `${name}:${createHash("sha256").update(subject).digest("base64url").slice(0, 22)}:${window}`;
  const rows = await deps.db.prisma.$queryRaw<{ count: number | bigint }[]>`
    INSERT INTO "AttemptCounter" ("key", "count", "windowEnd") VALUES (${key}, 1, ${windowEnd})
    ON CONFLICT ("key") DO UPDATE SET "count" = "AttemptCounter"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 1);
  if (count === 1 && Math.random() < 0.05) {
    await deps.db.prisma.$executeRaw`DELETE FROM "AttemptCounter" WHERE "windowEnd" < ${now}`;
  }
  return { count, resetInMs: windowEnd - now };
}
