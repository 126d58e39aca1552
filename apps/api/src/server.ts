import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import { serializerCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { t } from "@xieshui/core";
import { AppError, createLogger, createTipContext, type Deps, type Logger, type TipContext, type WechatClient } from "@xieshui/core/server";
import { createAuth } from "./plugins/auth.ts";
import { createAttemptLimiter } from "./plugins/rate-limit.ts";
import { registerSecurityHeaders } from "./plugins/security.ts";
import { apiValidatorCompiler } from "./plugins/validation.ts";
import { installErrorHandling } from "./plugins/errors.ts";
import { hasH5Build, registerH5 } from "./plugins/h5.ts";
import { registerDocs } from "./plugins/docs.ts";
import { RequestLogController } from "./plugins/request-log.ts";
import { registerRoutes } from "./routes/index.ts";

/** DESIGN.md: JSON bodies over 1 MB get 413. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Largest clearance import upload by default (CLEARANCE_IMPORT_MAX_MB): a province's yearly export fits. */
export const DEFAULT_CLEARANCE_IMPORT_MAX_BYTES = 200 * 1024 * 1024;

/**
 * Fastify's `trustProxy`: false (default: the socket's address is the client), true (trust every
 * hop), a number of hops, or addresses/CIDRs of the proxies (`"127.0.0.1,10.0.0.0/8"`).
 */
export type TrustProxy = boolean | number | string | string[];

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
  /** Which proxies' X-Forwarded-For to believe (TRUST_PROXY), so per-IP limits see the client. */
  trustProxy?: TrustProxy | undefined;
  /** Largest clearance import upload in bytes; default 200 MiB. */
  clearanceImportMaxBytes?: number | undefined;
  /** Enables `POST /auth/wechat` and `wechatCode` on sign-in (WeChat's code2session behind core's interface). */
  wechat?: WechatClient | undefined;
  /** The tip line (keys, rules, limits); by default one with a key file beside the database, generated if missing (tests). */
  tips?: TipContext | undefined;
}

/** The config routes see: defaults applied. */
export type ResolvedServerConfig = ServerConfig & { bodyLimit: number; authAttemptsPerMinute: number; clearanceImportMaxBytes: number };

/** The API instance, typed for zod route schemas. */
export type ApiServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/**
 * Builds the HTTP API (not listening): zod validation with localised field errors, the contract's
 * error bodies, bearer auth, security headers, per-IP limits, OpenAPI at /docs, the H5 build at
 * `/`. JSON is the only body type, except on upload routes (plugins/uploads.ts). No side effects
 * until `ready()`/`inject()`/`listen()`; the caller owns `deps` and closes the database after `close()`.
 */
export function createServer({ deps, config }: { deps: Deps; config: ServerConfig }): ApiServer {
  const resolved: ResolvedServerConfig = {
    ...config,
    bodyLimit: config.bodyLimit ?? DEFAULT_BODY_LIMIT,
    authAttemptsPerMinute: config.authAttemptsPerMinute ?? 30,
    clearanceImportMaxBytes: config.clearanceImportMaxBytes ?? DEFAULT_CLEARANCE_IMPORT_MAX_BYTES,
  };
  const app = Fastify({
    // core's logger: redaction derived from the report registry, request paths without query strings.
    loggerInstance: (config.logger ?? createLogger({ level: config.logLevel ?? "info", name: "api" })) as FastifyBaseLogger,
    logController: new RequestLogController(),
    bodyLimit: resolved.bodyLimit,
    // A hop count becomes proxy-addr's function form (Fastify's types list only the other forms).
    trustProxy: typeof config.trustProxy === "number" ? ((_address: string, hop: number) => hop < (config.trustProxy as number)) : (config.trustProxy ?? false),
    return503OnClosing: true,
  });

  app.setValidatorCompiler(apiValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // JSON only: a text/plain body is 415, not a string that fails validation. An empty JSON body
  // counts as no body, so body-less POSTs (logout, revoke) work from clients that always set the header.
  app.removeContentTypeParser("text/plain");
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.length === 0) return done(null, undefined);
    // No input has a use for U+0000, and PostgreSQL's text cannot hold it: a body carrying one is a
    // 400 here, for every route, instead of a database error (a 500) wherever a schema let it through.
    if (text.includes("\\u0000") || text.includes("\0")) {
      return parseJson(request, text, (err, value) => {
        if (err) return done(err);
        const path = nulPath(value, "");
        if (path === null) return done(null, value);
        // Next to the field, like any other validation error (the message is localised by the error handler).
        const fields = { [path || "body"]: t("zh-CN", "report-text-control-chars") };
        return done(new AppError("invalid_input", { reason: "body_has_nul", messageKey: "report-text-control-chars", fields }), undefined);
      });
    }
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
  registerSecurityHeaders(app, config.h5Dir);
  registerDocs(app);
  registerH5(app, config.h5Dir);
  registerRoutes(app, {
    deps,
    config: resolved,
    auth: createAuth(deps),
    authLimiter: createAttemptLimiter(deps, { perMinute: resolved.authAttemptsPerMinute, name: "code-guess" }),
    tips: config.tips ?? createTipContext(deps, { generateKey: true }),
  });
  return app.withTypeProvider<ZodTypeProvider>();
}

/** The dotted path of the first string (or key) inside a parsed JSON value that contains U+0000, or null. */
function nulPath(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === "string") return value.includes("\0") ? at : null;
  if (value === null || typeof value !== "object" || depth > 64) return null;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const here = at ? `${at}.${String(k)}` : String(k);
    if (typeof k === "string" && k.includes("\0")) return here;
    const found = nulPath(v, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
