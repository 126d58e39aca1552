import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { REDACT_PATHS, type Deps, type Logger, type WechatClient } from "@xieshui/core/server";
import { createAuth } from "./plugins/auth.ts";
import { createAttemptLimiter } from "./plugins/rate-limit.ts";
import { installErrorHandling } from "./plugins/errors.ts";
import { hasH5Build, registerH5 } from "./plugins/h5.ts";
import { registerDocs } from "./plugins/docs.ts";
import { registerRoutes } from "./routes/index.ts";

/** DESIGN.md: JSON bodies over 1 MB get 413. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface ServerConfig {
  /** The Taro H5 build to serve at `/`; when missing, `/` explains how to build it. */
  h5Dir?: string | undefined;
  /** Enables `POST /auth/telegram-webapp` (Mini App init data is signed with it). */
  telegramBotToken?: string | undefined;
  /** Clearance checks per user per hour; 0 = off. Read by the clearance routes. */
  checkRateLimitPerHour: number;
  /** A ready pino logger (wins over `logLevel`). */
  logger?: Logger | undefined;
  /** Level of the logger Fastify creates when no `logger` is given; default "info". Tests use "silent". */
  logLevel?: string | undefined;
  /** Maximum request body in bytes; default 1 MiB. */
  bodyLimit?: number | undefined;
  /** Code-guessing attempts (redeem, link, Telegram login) per IP per minute; default 30, 0 = off. */
  authAttemptsPerMinute?: number | undefined;
  /** Trust X-Forwarded-For (behind a reverse proxy), so per-IP limits see the client. */
  trustProxy?: boolean | undefined;
  /** Enables `POST /auth/wechat` and `wechatCode` on sign-in (WeChat's code2session behind core's interface). */
  wechat?: WechatClient | undefined;
}

/** The config routes see: defaults applied. */
export type ResolvedServerConfig = ServerConfig & { bodyLimit: number; authAttemptsPerMinute: number };

/** The API instance, typed for zod route schemas. */
export type ApiServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/**
 * Builds the HTTP API (not listening): zod validation with localised field errors, the contract's
 * error bodies, bearer auth, OpenAPI at /docs, the H5 build at `/`. No side effects until
 * `ready()`/`inject()`/`listen()`; the caller owns `deps` and closes the database after `close()`.
 */
export function createServer({ deps, config }: { deps: Deps; config: ServerConfig }): ApiServer {
  const resolved: ResolvedServerConfig = {
    ...config,
    bodyLimit: config.bodyLimit ?? DEFAULT_BODY_LIMIT,
    authAttemptsPerMinute: config.authAttemptsPerMinute ?? 30,
  };
  const app = Fastify({
    ...(config.logger
      ? { loggerInstance: config.logger as FastifyBaseLogger }
      : { logger: { level: config.logLevel ?? "info", redact: { paths: REDACT_PATHS, censor: "[redacted]" } } }),
    bodyLimit: resolved.bodyLimit,
    trustProxy: config.trustProxy ?? false,
    return503OnClosing: true,
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // JSON only: a text/plain body is 415, not a string that fails validation. An empty JSON body
  // counts as no body, so body-less POSTs (logout, revoke) work from clients that always set the header.
  app.removeContentTypeParser("text/plain");
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.length === 0) return done(null, undefined);
    return parseJson(request, text, done);
  });

  app.decorateRequest("actor", null);
  // Callback style, not async: this runs on every response, and an async hook costs a promise.
  app.addHook("onSend", (request, reply, payload, done) => {
    if (request.url.startsWith("/api/")) reply.header("cache-control", "no-store");
    done(null, payload);
  });

  const spa = hasH5Build(config.h5Dir);
  installErrorHandling(app, { spaFallback: spa });
  registerDocs(app);
  registerH5(app, config.h5Dir);
  registerRoutes(app, {
    deps,
    config: resolved,
    auth: createAuth(deps),
    authLimiter: createAttemptLimiter({ limit: resolved.authAttemptsPerMinute, windowMs: 60_000 }),
  });
  return app.withTypeProvider<ZodTypeProvider>();
}
