import type { Deps, TipContext } from "@xieshui/core/server";
import type { Auth } from "../plugins/auth.ts";
import type { AttemptLimiter } from "../plugins/rate-limit.ts";
import type { ResolvedServerConfig } from "../server.ts";

/** What every route plugin receives as its options. */
export interface RouteContext {
  deps: Deps;
  config: ResolvedServerConfig;
  /** `onRequest: ctx.auth.required` (401) or `onRequest: ctx.auth.roles("admin")` (401/403). */
  auth: Auth;
  /** Per-IP limiter for code-guessing endpoints (redeem, link, Telegram login). */
  authLimiter: AttemptLimiter;
  /** The tip line's keys, rules and in-memory limits. */
  tips: TipContext;
}
