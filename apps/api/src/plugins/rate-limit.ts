import type { onRequestAsyncHookHandler } from "fastify";
import { AppError } from "@xieshui/core/server";

/**
 * A short-lived, in-memory, per-IP counter against guessing invite and link codes. DESIGN.md allows
 * memory here because losing it on restart (or splitting it across instances) only weakens a
 * deliberately coarse anti-abuse limit; per-user limits live in the database.
 */
export interface AttemptLimiter {
  hook: onRequestAsyncHookHandler;
  /** Records one attempt for `key`; returns seconds to wait when over the limit, else 0. */
  hit(key: string): number;
}

export function createAttemptLimiter(opts: { limit: number; windowMs: number; now?: () => number; maxKeys?: number }): AttemptLimiter {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 10_000;
  const buckets = new Map<string, { count: number; resetAt: number }>();

  function sweep(at: number) {
    for (const [key, bucket] of buckets) if (bucket.resetAt <= at) buckets.delete(key);
    // Still full (a flood of distinct addresses): forget everything rather than grow without bound.
    if (buckets.size >= maxKeys) buckets.clear();
  }

  function hit(key: string): number {
    if (opts.limit <= 0) return 0;
    const at = now();
    let bucket = buckets.get(key);
    if (!bucket || bucket.resetAt <= at) {
      if (buckets.size >= maxKeys) sweep(at);
      bucket = { count: 0, resetAt: at + opts.windowMs };
      buckets.set(key, bucket);
    }
    bucket.count++;
    return bucket.count > opts.limit ? Math.max(1, Math.ceil((bucket.resetAt - at) / 1000)) : 0;
  }

  return {
    hit,
    hook: async (request, reply) => {
      const wait = hit(request.ip);
      if (wait > 0) {
        reply.header("retry-after", String(wait));
        throw new AppError("rate_limited", { reason: "too_many_attempts" });
      }
    },
  };
}
