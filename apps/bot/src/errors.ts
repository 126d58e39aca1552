import { GrammyError, HttpError, type BotError } from "grammy";
import { ERROR_MESSAGE_KEY, resolveLocale, t } from "@xieshui/core";
import { isAppError, isConnectionError, type Logger } from "@xieshui/core/server";
import type { BotContext } from "./context.ts";
import { stringParams } from "./i18n.ts";

/**
 * What may be logged about an error: never message texts, codes or tokens (a GrammyError carries
 * the request payload, so only its method and Telegram's answer are kept).
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GrammyError) return { kind: "GrammyError", method: error.method, errorCode: error.error_code, description: error.description };
  if (error instanceof HttpError) return { kind: "HttpError", message: error.message };
  if (isAppError(error)) return { kind: "AppError", code: error.code, reason: error.reason };
  if (error instanceof Error) return { kind: error.name, message: error.message, stack: error.stack };
  return { kind: typeof error };
}

function updateInfo(ctx: BotContext | undefined): Record<string, unknown> {
  if (!ctx) return {};
  const type = Object.keys(ctx.update).find((k) => k !== "update_id");
  return { updateId: ctx.update.update_id, updateType: type };
}

/**
 * The error boundary around every feature. Expected failures (AppError) get their own message;
 * anything else is logged and the user gets an apology. A failing reply (blocked bot, API down)
 * is logged too; nothing escapes, so one bad update never stops the bot.
 */
export function createFeatureErrorHandler(logger: Logger) {
  return async (err: BotError<BotContext>) => {
    const { ctx, error } = err;
    let text: string;
    try {
      if (isAppError(error)) {
        text = ctx.t(error.messageKey ?? ERROR_MESSAGE_KEY[error.code], stringParams(error.params));
        logger.info({ ...updateInfo(ctx), error: describeError(error) }, "bot use-case refused");
      } else if (isConnectionError(error)) {
        // The database is down or restarting: say "try again shortly", log one line without the driver's text.
        logger.warn({ ...updateInfo(ctx), error: { kind: "DatabaseUnavailable" } }, "bot feature failed: database unavailable");
        text = ctx.t(ERROR_MESSAGE_KEY.upstream_unavailable);
      } else {
        logger.error({ ...updateInfo(ctx), error: describeError(error) }, "bot feature failed");
        text = ctx.t("bot-error");
      }
      if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
      if (ctx.chat) await ctx.reply(text);
    } catch (replyError) {
      logger.warn({ ...updateInfo(ctx), error: describeError(replyError) }, "bot could not send the error reply");
    }
  };
}

/** Last line of defence for errors outside the feature boundary (session storage, i18n setup). */
export function createGlobalErrorHandler(logger: Logger) {
  return async (err: BotError<BotContext>) => {
    if (!isConnectionError(err.error)) {
      logger.error({ ...updateInfo(err.ctx), error: describeError(err.error) }, "bot update failed");
      return;
    }
    // The database went away before the feature boundary (session storage): the user still hears
    // "try again shortly", in their Telegram language (the i18n middleware may not have run).
    logger.warn({ ...updateInfo(err.ctx), error: { kind: "DatabaseUnavailable" } }, "bot update failed: database unavailable");
    const { ctx } = err;
    if (ctx?.chat?.type !== "private") return;
    await ctx.reply(t(resolveLocale(ctx.from?.language_code), ERROR_MESSAGE_KEY.upstream_unavailable)).catch(() => undefined);
  };
}
