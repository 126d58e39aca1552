import { createHash } from "node:crypto";
import type { Deps } from "../deps.ts";
import { hitWindowCounter, sweepWindowCounters } from "../counters.ts";

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
 * One atomic statement per attempt (counters.ts). The subject is stored hashed, never as given. Ended windows
 * are deleted now and then by the first attempt of a new window.
 */
export async function countAttempt(deps: Deps, name: string, subject: string, windowMs: number): Promise<AttemptCount> {
  const now = deps.clock.now().getTime();
  const window = Math.floor(now / windowMs);
  const windowEnd = (window + 1) * windowMs;
  const key = `${name}:${createHash("sha256").update(subject).digest("base64url").slice(0, 22)}:${window}`;
  const count = await hitWindowCounter(deps.db, key, windowEnd);
  if (count === 1 && Math.random() < 0.05) await sweepWindowCounters(deps.db, now);
  return { count, resetInMs: windowEnd - now };
}
