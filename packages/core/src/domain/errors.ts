import type { FieldErrors } from "./validation.ts";
import type { MessageKey } from "./i18n.ts";

/**
 * Error codes of the HTTP API (DESIGN.md) and the status each maps to. Clients switch on `code`;
 * `message` is for people and follows the request's language.
 */
export const ERROR_STATUS = {
  invalid_input: 400,
  malformed_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  /** an outside service the request needs (WeChat's code2session) is busy or unreachable */
  upstream_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The catalogue key of each code's default message. */
export const ERROR_MESSAGE_KEY: Record<ErrorCode, MessageKey> = {
  invalid_input: "error-invalid-input",
  malformed_json: "error-malformed-json",
  unauthorized: "error-unauthorized",
  forbidden: "error-forbidden",
  not_found: "error-not-found",
  conflict: "error-conflict",
  payload_too_large: "error-payload-too-large",
  unsupported_media_type: "error-unsupported-media-type",
  rate_limited: "error-rate-limited",
  internal: "error-internal",
  upstream_unavailable: "error-upstream-unavailable",
};

/** The API's error body: `{ error: { code, message, fields? } }`. */
export interface ApiErrorBody {
  error: { code: ErrorCode | string; message: string; fields?: FieldErrors; reason?: string };
}
