import type { onRequestAsyncHookHandler } from "fastify";
import { AppError, countAttempt, type Deps } from "@xieshui/core/server";

/**
 * Per-address limits on the HTTP edge. The client's address is Fastify's `request.ip`, which
 * follows X-Forwarded-For only as far as the server's `trustProxy` setting allows (TRUST_PROXY), so
 * behind a proxy the limit sees clients, not the proxy, and without one a client cannot pick its
 * own address. The budget lives in the database (core's countAttempt), so it holds across every
 * API process behind a load balancer (it replaced @fastify/rate-limit, whose store was per process).
 */
export interface AttemptLimiter {
  /** onRequest hook: 429 with Retry-After once the caller's address is over the limit. */
  hook: onRequestAsyncHookHandler;
}

/**
 * One budget of `perMinute` requests per client address, shared by every route that uses the hook
 * (redeeming invites, link codes and Telegram logins draw on the same budget, so a guesser cannot
 * spread over them) and by every API process on the database (core's countAttempt: a counter row
 * per address and minute, so N processes behind a load balancer do not give a guesser N budgets);
 * 0 turns it off. The address is `request.ip` (TRUST_PROXY decides whether X-Forwarded-For counts).
 */
export function createAttemptLimiter(deps: Deps, opts: { perMinute: number; name: string }): AttemptLimiter {
  if (opts.perMinute <= 0) return { hook: async () => {} };
  return {
    hook: async function attemptLimit(request, reply) {
      const { count, resetInMs } = await countAttempt(deps, opts.name, request.ip, 60_000);
      if (count <= opts.perMinute) return;
      void reply.header("retry-after", String(Math.max(1, Math.ceil(resetInMs / 1000))));
      throw new AppError("rate_limited", { reason: "too_many_attempts" });
    },
  };
}
