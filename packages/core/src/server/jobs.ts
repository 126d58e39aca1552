import { addDays, cstDate, cstStartOfDay } from "../domain/time.ts";
import { randomToken } from "./crypto.ts";
import type { Deps } from "./deps.ts";
import { jobLeaseStoreFor } from "./job-lease-store.ts";

/**
 * How often a scheduled job runs: once per CST calendar day (`"cst-day"`, the period ends at the
 * next CST midnight), or once per fixed window of `everyMs` aligned to the epoch (a 15-minute
 * window ends at :00, :15, :30, :45 UTC).
 */
export type JobPeriod = "cst-day" | { everyMs: number };

/** When the period containing `now` ends. */
export function periodEnd(now: Date, period: JobPeriod): Date {
  if (period === "cst-day") return cstStartOfDay(addDays(cstDate(now), 1));
  const every = period.everyMs;
  if (!Number.isInteger(every) || every < 1000) throw new Error("a job period must be a whole number of milliseconds, at least 1000");
  return new Date((Math.floor(now.getTime() / every) + 1) * every);
}

/**
 * Runs `fn` at most once per period for the job named `job`, however many processes (API
 * instances, bots, the CLI) call it, on SQLite or PostgreSQL: the first caller of the period takes
 * the job's JobLease row, valid until the period ends (one INSERT ... ON CONFLICT DO UPDATE ... WHERE
 * expired, job-lease-store.ts: of two racing callers exactly one wins); every
 * other caller of that period gets `{ ran: false }` without calling `fn`. What must stay true: if
 * `fn` throws, the lease is given back (so the next tick, here or in another process, retries in
 * the same period) and the error is rethrown; a process that dies while running keeps the period
 * (the job is skipped until the next one, never run twice).
 */
export async function runOncePerPeriod<T>(deps: Deps, job: string, period: JobPeriod, fn: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }> {
  const store = jobLeaseStoreFor(deps.db);
  const now = deps.clock.now();
  const holder = randomToken();
  if (!(await store.take(job, holder, null, now, periodEnd(now, period)))) return { ran: false };
  try {
    return { ran: true, result: await fn() };
  } catch (e) {
    await store.release(job, holder).catch(() => {});
    throw e;
  }
}
