import { createHmac, randomBytes } from "node:crypto";
import { cstDate } from "../../domain/time.ts";
import type { Clock } from "../clock.ts";

/**
 * In-memory counters against abuse of the tip line (guessing receipts, flooding). What must stay
 * true: the raw key (a client address, a chat id) is never kept, only an HMAC of it under a salt
 * that is replaced every CST day, so not even the process's memory can be read back into
 * addresses after the day is over; nothing reaches the database (DESIGN.md allows short-lived
 * anti-abuse counters in memory).
 */
export interface AbuseLimiter {
  /** True when `key` has used up its budget in the current window. */
  blocked(key: string): boolean;
  /** Counts one event for `key`. */
  hit(key: string): void;
  /** Counted events of `key` in the window (tests). */
  count(key: string): number;
}

/** A limiter allowing `max` events per `windowMs` per key (fixed windows); `max` 0 = off. */
export function createAbuseLimiter(opts: { max: number; windowMs: number; clock: Clock }): AbuseLimiter {
  let saltDay = "";
  let salt = randomBytes(32);
  const counts = new Map<string, { start: number; n: number }>();
  const keyOf = (key: string) => {
    const now = opts.clock.now();
    const day = cstDate(now);
    if (day !== saltDay) {
      saltDay = day;
      salt = randomBytes(32);
      counts.clear(); // yesterday's hashes can never match again
    }
    return createHmac("sha256", salt).update(key).digest("base64url");
  };
  const live = (key: string) => {
    const k = keyOf(key);
    const entry = counts.get(k);
    const now = opts.clock.now().getTime();
    if (!entry || now - entry.start >= opts.windowMs) return { k, entry: undefined };
    return { k, entry };
  };
  return {
    blocked(key) {
      if (opts.max <= 0) return false;
      const { entry } = live(key);
      return entry !== undefined && entry.n >= opts.max;
    },
    hit(key) {
      if (opts.max <= 0) return;
      const { k, entry } = live(key);
      if (entry) entry.n += 1;
      else counts.set(k, { start: opts.clock.now().getTime(), n: 1 });
      if (counts.size > 100_000) counts.clear(); // a flood of distinct keys must not grow memory without end
    },
    count(key) {
      return live(key).entry?.n ?? 0;
    },
  };
}
