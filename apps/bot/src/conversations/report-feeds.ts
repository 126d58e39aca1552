import type { Conversation } from "@grammyjs/conversations";
import type { Api } from "grammy";
import type { Document } from "grammy/types";
import { getReportType, ERROR_MESSAGE_KEY, type FeedReportType, type MessageKey } from "@xieshui/core";
import { isAppError, uploadFeed, type Actor, type Deps } from "@xieshui/core/server";
import type { BotContext, ConversationContext } from "../context.ts";
import { stringParams } from "../i18n.ts";
import type { DownloadFile } from "./report.ts";

/** The Bot API lets a bot download files up to 20 MB; bigger ones must go through the mini-app. */
export const MAX_BOT_FILE_MB = 20;
/** Row problems listed in one reply; the rest are counted. */
export const MAX_LISTED_ERRORS = 10;

type Translate = (key: MessageKey, params?: Record<string, string>) => string;

/**
 * Uploads a document as one period of a feed and describes the outcome in one reply: rows stored
 * and flagged, or why the whole file was refused (first errors with their line numbers).
 */
export async function uploadFeedDocument(
  env: { deps: Deps; actor: Actor | null; api: Api; locale: ConversationContext["locale"]; t: Translate },
  download: DownloadFile,
  doc: Document,
  feed: FeedReportType,
  period: string,
): Promise<string> {
  const { t } = env;
  const type = t(feed.titleKey);
  if ((doc.file_size ?? 0) > MAX_BOT_FILE_MB * 1024 * 1024) return t("bot-feeds-file-too-large", { mb: String(MAX_BOT_FILE_MB) });
  let bytes: Buffer;
  try {
    bytes = await download(doc.file_id, env.api);
  } catch {
    return t("bot-feeds-download-failed");
  }
  try {
    const r = await uploadFeed(env.deps, env.actor, { type: feed.code, period, fileName: doc.file_name ?? "", bytes }, { locale: env.locale });
    if (!r.created) return t("bot-feeds-upload-again");
    const lines = [t("bot-feeds-upload-done", { type, period, rows: String(r.rows), timeliness: t(`report-timeliness-${r.report.timeliness}` as MessageKey) })];
    if (r.flagged.length > 0) {
      const shown = r.flagged.slice(0, MAX_LISTED_ERRORS).map((f) => f.line).join(t("bot-list-separator"));
      lines.push(t("bot-feeds-upload-flagged", { count: String(r.flagged.length), lines: shown, flag: t(r.flagged[0]!.flag as MessageKey) }));
    }
    return lines.join("\n");
  } catch (e) {
    if (!isAppError(e)) throw e;
    const head = t(e.messageKey ?? ERROR_MESSAGE_KEY[e.code], stringParams(e.params));
    const rowErrors = Object.entries(e.fields ?? {}).filter(([k]) => k.startsWith("rows."));
    if (rowErrors.length === 0) return `❌ ${head}`;
    const lines = rowErrors.slice(0, MAX_LISTED_ERRORS).map(([k, reason]) => {
      const [, line, name] = k.split(".");
      const column = feed.columns.find((c) => c.name === name);
      return t("bot-feeds-row-error", { line: line ?? "?", column: column ? t(column.labelKey) : (name ?? ""), reason });
    });
    if (rowErrors.length > MAX_LISTED_ERRORS) lines.push(t("bot-feeds-more-errors", { count: String(rowErrors.length - MAX_LISTED_ERRORS) }));
    return [`❌ ${head}`, ...lines].join("\n");
  }
}

/** Waits for the file of one feed period (after the "上传" button), then uploads it. */
export function createFeedUploadConversation(download: DownloadFile) {
  return async function feedUploadConversation(
    conversation: Conversation<BotContext, ConversationContext>,
    ctx: ConversationContext,
    code: string,
    period: string,
  ): Promise<void> {
    const feed = getReportType(code);
    if (!feed || feed.kind !== "feed") return;
    await ctx.reply(ctx.t("bot-feeds-send-file", { type: ctx.t(feed.titleKey), period }));
    for (;;) {
      const u = await conversation.wait();
      if (u.callbackQuery) await u.answerCallbackQuery().catch(() => undefined);
      if (/^\/cancel(@\w+)?(\s|$)/i.test(u.message?.text ?? "")) return void (await u.reply(u.t("bot-report-cancelled")));
      const doc = u.message?.document;
      if (!doc) {
        await u.reply(u.t("bot-feeds-file-expected"));
        continue;
      }
      const text = await conversation.external((outside) =>
        uploadFeedDocument({ deps: outside.deps, actor: outside.actor, api: outside.api, locale: u.locale, t: (k, p) => u.t(k, p) }, download, doc, feed, period),
      );
      // A refused file: stay here, so the corrected file can simply be sent again.
      if (text.startsWith("❌")) {
        await u.reply(`${text}\n\n${u.t("bot-feeds-file-expected")}`);
        continue;
      }
      await u.reply(text);
      return;
    }
  };
}
