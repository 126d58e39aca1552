import { createHmac, randomBytes } from "node:crypto";
import { cstDate } from "../../domain/time.ts";
import type { Clock } from "../clock.ts";
import type { Db } from "../db.ts";
import { hitWindowCounter, readWindowCounter, sweepWindowCounters } from "../counters.ts";

/**
 * Counters against abuse of the tip line (guessing receipts, flooding). What must stay true: the
 * raw key (a client address, a chat id) is never kept, only an HMAC of it under a salt that is
 * replaced every CST day, so the counters cannot be read back into addresses after the day is
 * over. Two implementations: in memory (per process; the filing limit, which DESIGN.md allows to
 * be short-lived and local) and in the database (the receipt-guessing limit, which must hold
 * however many processes answer behind a load balancer).
 */
export interface AbuseLimiter {
  /** True when `key` has used up its budget in the current window. */
  blocked(key: string): Promise<boolean>;
  /** Counts one event for `key`. */
  hit(key: string): Promise<void>;
  /** Counted events of `key` in the window (tests). */
  count(key: string): Promise<number>;
}

/** A per-process limiter allowing `max` events per `windowMs` per key (fixed windows from the first event); `max` 0 = off. */
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
    async blocked(key) {
      if (opts.max <= 0) return false;
      const { entry } = live(key);
      return entry !== undefined && entry.n >= opts.max;
    },
    async hit(key) {
      if (opts.max <= 0) return;
      const { k, entry } = live(key);
      if (entry) entry.n += 1;
      else counts.set(k, { start: opts.clock.now().getTime(), n: 1 });
      if (counts.size > 100_000) counts.clear(); // a flood of distinct keys must not grow memory without end
    },
    async count(key) {
      return live(key).entry?.n ?? 0;
    },
  };
}

const HOUR_MS = 3_600_000;

/**
 * A limiter shared by every process on the database (counters.ts, table AttemptCounter): `max` events per key per
 * clock hour (fixed windows aligned to the hour, so a client gets at most 2×max across a boundary).
 * The row key is HMAC(daily salt, purpose|hour|client), the daily salt an HMAC of `secret` (the tip
 * pepper, which every process shares and which never leaves the key file) and the CST date: the
 * database alone cannot be tested against guessed addresses, and rows carry no time finer than the
 * hour (the row's window end is the end of the hour). A hit is one atomic statement on both
 * databases, so concurrent hits from several processes are all counted; rows of past hours are
 * deleted on the way.
 */
export function createDatabaseAbuseLimiter(db: Db, opts: { purpose: string; max: number; clock: Clock; secret: () => Buffer }): AbuseLimiter {
  let lastSweep = -1;
  const keyOf = (client: string) => {
    const now = opts.clock.now();
    const hour = Math.floor(now.getTime() / HOUR_MS);
    const salt = createHmac("sha256", opts.secret()).update(`abuse-salt|${cstDate(now)}`).digest();
    return { hour, key: `tip:${createHmac("sha256", salt).update(`${opts.purpose}|${hour}|${client}`).digest("base64url")}` };
  };
  const current = async (client: string) => {
    const { key } = keyOf(client);
    return readWindowCounter(db, key);
  };
  return {
    async blocked(client) {
      if (opts.max <= 0) return false;
      return (await current(client)) >= opts.max;
    },
    async hit(client) {
      if (opts.max <= 0) return;
      const { hour, key } = keyOf(client);
      await hitWindowCounter(db, key, (hour + 1) * HOUR_MS);
      if (hour !== lastSweep) {
        lastSweep = hour;
        await sweepWindowCounters(db, hour * HOUR_MS);
      }
    },
    count: current,
  };
}
