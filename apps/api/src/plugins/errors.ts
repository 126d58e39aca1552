import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { DEFAULT_LOCALE, ERROR_MESSAGE_KEY, ERROR_STATUS, parseInput, t, type ApiErrorBody, type ErrorCode, type FieldErrors, type Locale } from "@xieshui/core";
import { isAppError, isConnectionError, type AppError } from "@xieshui/core/server";
import { localeOf } from "./locale.ts";
import { isPlainJson } from "./validation.ts";

/** At most this many field errors leave the server: enough to fix a form, never a wall of text. */
export const MAX_ERROR_FIELDS = 20;

/** The first MAX_ERROR_FIELDS entries, each key and message cut to a sane length. */
function capFields(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  let n = 0;
  for (const key in fields) {
    if (n++ >= MAX_ERROR_FIELDS) break;
    out[key.slice(0, 200)] = String(fields[key]).slice(0, 500);
  }
  return out;
}

/** Builds the contract's error body in the request's language (field errors capped, see MAX_ERROR_FIELDS). */
export function errorBody(locale: Locale, code: ErrorCode, extra: { message?: string; fields?: FieldErrors; reason?: string } = {}): ApiErrorBody {
  const error: ApiErrorBody["error"] = { code, message: extra.message ?? t(locale, ERROR_MESSAGE_KEY[code]) };
  if (extra.fields && Object.keys(extra.fields).length > 0) error.fields = capFields(extra.fields);
  if (extra.reason) error.reason = extra.reason;
  return { error };
}

/** Use-cases localise field messages in zh-CN; re-localise those that are simply the error's own message. */
function localizeAppFields(err: AppError, locale: Locale): FieldErrors | undefined {
  if (!err.fields || !err.messageKey || locale === DEFAULT_LOCALE) return err.fields;
  const zh = t(DEFAULT_LOCALE, err.messageKey, err.params);
  const localized = t(locale, err.messageKey, err.params);
  return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v === zh ? localized : v]));
}

type ValidationContext = "body" | "querystring" | "params" | "headers";

/** Re-validates the failing part of the request with the route's own zod schema, to get localised field messages. */
function validationFields(err: FastifyError, request: FastifyRequest, locale: Locale): FieldErrors {
  const context = (err.validationContext ?? "body") as ValidationContext;
  const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context];
  const input = { body: request.body, querystring: request.query, params: request.params, headers: request.headers }[context];
  // Only plain JSON is walked: a stream or a Buffer must never have its internals listed as fields.
  if (schema && typeof (schema as z.ZodType).safeParse === "function" && (context !== "body" || isPlainJson(input))) {
    const parsed = parseInput(schema as z.ZodType, input, locale);
    if (!parsed.ok) return parsed.fields;
  }
  const fields: FieldErrors = {};
  for (const v of (err.validation ?? []).slice(0, MAX_ERROR_FIELDS)) {
    const path = v.instancePath.replace(/^\//, "").replaceAll("/", ".");
    fields[path] ??= t(locale, "field-invalid");
  }
  return fields;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: "invalid_input",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** Maps anything thrown while handling a request to a status and the contract's error body. */
export function toErrorResponse(err: unknown, request: FastifyRequest): { status: number; body: ApiErrorBody } {
  const locale = localeOf(request);
  if (isAppError(err)) {
    const key = err.messageKey ?? ERROR_MESSAGE_KEY[err.code];
    const fields = localizeAppFields(err, locale);
    return {
      status: ERROR_STATUS[err.code] ?? 500,
      body: errorBody(locale, err.code, { message: t(locale, key, err.params), ...(fields ? { fields } : {}), ...(err.reason ? { reason: err.reason } : {}) }),
    };
  }
  // The database connection failed (PostgreSQL down or restarting): a 503 in the usual shape, nothing
  // of the driver's message; the next request opens a new connection, so the process keeps serving.
  if (isConnectionError(err)) {
    return { status: 503, body: errorBody(locale, "upstream_unavailable", { reason: "database_unavailable" }) };
  }
  const fe = err as Partial<FastifyError> | null;
  if (fe && Array.isArray(fe.validation)) {
    return { status: 400, body: errorBody(locale, "invalid_input", { fields: validationFields(fe as FastifyError, request, locale) }) };
  }
  switch (fe?.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, body: errorBody(locale, "malformed_json") };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, body: errorBody(locale, "payload_too_large") };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, body: errorBody(locale, "unsupported_media_type") };
  }
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = STATUS_CODES[status] ?? "invalid_input";
    return { status: STATUS_CODES[status] ? status : 400, body: errorBody(locale, code) };
  }
  return { status: 500, body: errorBody(locale, "internal") };
}

/**
 * Installs the error and not-found handlers on the root instance: every failure leaves as
 * `{ error: { code, message, fields?, reason? } }`, never a stack. Unknown GET paths outside
 * /api fall back to the H5 app's index.html when it is served (client-side routing).
 */
export function installErrorHandling(app: FastifyInstance, opts: { spaFallback: boolean }): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toErrorResponse(err, request);
    if (status === 503) {
      // One line, no stack: an outage makes many of these, and the driver's text is not ours to log.
      request.log.warn({ reason: body.error.reason }, "database unavailable");
      void reply.header("retry-after", "5");
    } else if (status >= 500) request.log.error({ err }, "request failed");
    else request.log.debug({ errorCode: body.error.code, reason: body.error.reason }, "request rejected");
    return reply.status(status).type("application/json; charset=utf-8").send(body);
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? "/";
    const isApi = path === "/api" || path.startsWith("/api/");
    const lastSegment = path.slice(path.lastIndexOf("/") + 1);
    const looksLikeFile = /\.[A-Za-z0-9]{1,8}$/.test(lastSegment);
    if (opts.spaFallback && !isApi && !looksLikeFile && (request.method === "GET" || request.method === "HEAD")) {
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    }
    return reply.status(404).type("application/json; charset=utf-8").send(errorBody(localeOf(request), "not_found", { reason: "route_not_found" }));
  });
}
