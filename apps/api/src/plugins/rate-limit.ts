import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import { AppError } from "@xieshui/core/server";

/**
 * Per-IP limits on the HTTP edge, by @fastify/rate-limit (registered with `global: false`: only
 * routes that ask are limited). The client's address is Fastify's `request.ip`, which follows
 * X-Forwarded-For only as far as the server's `trustProxy` setting allows (TRUST_PROXY), so
 * behind a proxy the limit sees clients, not the proxy, and without one a client cannot pick its
 * own address. DESIGN.md allows memory here: losing the counters on restart (or splitting them
 * across instances) only weakens a deliberately coarse anti-abuse limit; per-user limits (the
 * clearance check) live in the database. A shared store would plug in through the plugin's `store`.
 */
export interface AttemptLimiter {
  /** onRequest hook: 429 with Retry-After once the caller's address is over the limit. */
  hook: onRequestAsyncHookHandler;
}

/** Registers the plugin; call before the routes. Over-limit requests leave through the app's error handler. */
export function registerRateLimit(app: FastifyInstance): void {
  app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError("rate_limited", { reason: "too_many_attempts" }),
  });
}

/**
 * One budget of `perMinute` requests per client address, shared by every route that uses the hook
 * (redeeming invites, link codes and Telegram logins draw on the same budget, so a guesser cannot
 * spread over them); 0 turns it off.
 */
export function createAttemptLimiter(app: FastifyInstance, opts: { perMinute: number; name: string }): AttemptLimiter {
  if (opts.perMinute <= 0) return { hook: async () => {} };
  let limit: onRequestAsyncHookHandler | null = null;
  return {
    hook: async function attemptLimit(request, reply) {
      // The plugin's decorator exists once the app is ready; the limiter (and its store) is made once.
      limit ??= app.rateLimit({ max: opts.perMinute, timeWindow: 60_000, keyGenerator: (req) => `${opts.name}:${req.ip}` }) as onRequestAsyncHookHandler;
      return limit.call(this, request, reply);
    },
  };
}
