import { ERROR_STATUS, type ErrorCode } from "../domain/errors.ts";
import type { MessageKey, MessageParams } from "../domain/i18n.ts";
import type { FieldErrors } from "../domain/validation.ts";

/**
 * The one error type use-cases throw for expected failures. Front ends translate it: the API into
 * `{ error: { code, message, fields } }` with the status of `code`, the bot into a reply.
 * `messageKey` names the catalogue message; `reason` is a stable machine-readable detail
 * (e.g. `invite_expired`) for clients and tests.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly messageKey: MessageKey | undefined;
  readonly params: MessageParams | undefined;
  readonly fields: FieldErrors | undefined;
  readonly reason: string | undefined;

  constructor(
    code: ErrorCode,
    opts: { messageKey?: MessageKey; params?: MessageParams; fields?: FieldErrors; reason?: string } = {},
  ) {
    super(opts.reason ?? code);
    this.name = "AppError";
    this.code = code;
    this.messageKey = opts.messageKey;
    this.params = opts.params;
    this.fields = opts.fields;
    this.reason = opts.reason;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** True for AppError instances (also across module copies). */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error instanceof Error && error.name === "AppError" && "code" in error);
}
