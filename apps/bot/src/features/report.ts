import { Composer, InlineKeyboard } from "grammy";
import {
  canUse,
  cstDate,
  getReportType,
  duePeriod,
  reportTypesForUnit,
  type FeedReportType,
  type MessageKey,
} from "@xieshui/core";
import { fileNilReport, isAppError, reportForCorrection, findMyReportByClientId, listMyReports, unitFeedStatus } from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { stringParams } from "../i18n.ts";
import { createReportConversation, telegramDownload, type DownloadFile, type Revision } from "../conversations/report.ts";
import { createFeedUploadConversation, uploadFeedDocument } from "../conversations/report-feeds.ts";

export interface ReportFeatureOptions {
  /** How Telegram files (photos, feed uploads) are fetched; tests pass a fake. */
  downloadFile?: DownloadFile;
}

const REPORT_CONVERSATION = "report";
const FEED_UPLOAD_CONVERSATION = "report-feed-upload";
const MY_REPORTS_LIMIT = 10;

/** The period a unit is filing now: last month, due in this one. */
function currentDuePeriod(ctx: BotContext): string {
  return duePeriod(ctx.deps.clock.now());
}

function feedsOf(ctx: BotContext): FeedReportType[] {
  return ctx.actor ? reportTypesForUnit(ctx.actor.unit.type).filter((t): t is FeedReportType => t.kind === "feed") : [];
}

/** Replies the reason a reporter-only action is not open to this user; true when it is open. */
async function isReporter(ctx: BotContext): Promise<boolean> {
  if (!ctx.actor) {
    await ctx.reply(ctx.t("bot-me-guest"));
    return false;
  }
  if (!canUse(ctx.actor, "report")) {
    await ctx.reply(ctx.t("bot-report-not-reporter"));
    return false;
  }
  return true;
}

/**
 * Reporting in the bot: /report (a conversation per type, generated from the registry), /feeds
 * (this period's feeds, 本期无, CSV/XLSX upload), /myreports, and /cancel outside a conversation.
 */
export function createReportFeature(opts: ReportFeatureOptions = {}): BotFeature {
  const download = opts.downloadFile ?? telegramDownload;
  const composer = new Composer<BotContext>();

  composer.command("report", async (ctx) => {
    const code = ctx.match.trim();
    await ctx.conversation.enter(REPORT_CONVERSATION, ...(code ? [code] : []));
  });
  composer.callbackQuery("rpt:new", (ctx) => ctx.conversation.enter(REPORT_CONVERSATION));

  composer.command("cancel", (ctx) => ctx.reply(ctx.t("bot-cancel-nothing")));

  // 修改后重新提交 (on the return notice and in /myreports): the report conversation with the
  // returned report's answers as defaults, resubmitted as its next version. Only the author's own
  // returned report; a tap after it was already resubmitted says so and files nothing.
  composer.callbackQuery(/^rpt:fix:([A-Za-z0-9_-]{1,40})$/, async (ctx) => {
    const report = await reportForCorrection(ctx.deps, ctx.actor, ctx.match[1]!).catch((e: unknown) => (isAppError(e) ? null : Promise.reject(e)));
    if (!report || getReportType(report.type)?.kind !== "event") {
      await ctx.answerCallbackQuery().catch(() => undefined);
      return ctx.reply(ctx.t("bot-report-fix-not-found"));
    }
    if (report.status !== "returned") {
      await ctx.answerCallbackQuery().catch(() => undefined);
      return ctx.reply(ctx.t("bot-report-fix-done", { version: String(report.version) }));
    }
    const revision: Revision = { reportId: report.id, version: report.version, fields: report.returnedFields, comment: report.reviewComment ?? "" };
    return ctx.conversation.enter(REPORT_CONVERSATION, report.type, report.data, revision);
  });

  // A second tap on 确认提交 after the conversation ended: say it is filed, never file again.
  composer.callbackQuery(/^rpt:/, async (ctx) => {
    const clientId = /^rpt:ok:(.+)$/.exec(ctx.callbackQuery.data)?.[1];
    const done = clientId ? await findMyReportByClientId(ctx.deps, ctx.actor, clientId) : null;
    await ctx.answerCallbackQuery({ text: done ? ctx.t("bot-report-already-submitted", { id: done.id }) : ctx.t("bot-report-stale-button") });
  });

  composer.command("myreports", async (ctx) => {
    if (!(await isReporter(ctx))) return;
    const reports = await listMyReports(ctx.deps, ctx.actor, { limit: MY_REPORTS_LIMIT });
    const kb = new InlineKeyboard().text(ctx.t("bot-cmd-report"), "rpt:new");
    if (reports.length === 0) return ctx.reply(ctx.t("bot-myreports-empty"), { reply_markup: kb });
    const lines = [ctx.t("bot-myreports-title")];
    reports.forEach((r, i) => {
      const type = getReportType(r.type);
      lines.push(
        ctx.t("bot-myreports-item", {
          n: String(i + 1),
          type: type ? ctx.t(type.titleKey) : r.type,
          summary: r.summary,
          date: cstDate(new Date(r.createdAt)),
          status: ctx.t(`report-status-${r.status}` as MessageKey),
          timeliness: ctx.t(`report-timeliness-${r.timeliness}` as MessageKey),
        }),
      );
      if (r.reviewComment) lines.push(ctx.t("bot-myreports-comment", { comment: r.reviewComment }));
      if (r.possibleDuplicateOf) lines.push(ctx.t("bot-myreports-duplicate"));
      if (r.status === "returned" && getReportType(r.type)?.kind === "event") {
        kb.row().text(ctx.t("bot-report-fix-button-n", { n: String(i + 1) }), `rpt:fix:${r.id}`);
      }
    });
    return ctx.reply(lines.join("\n"), { reply_markup: kb });
  });

  // --- periodic feeds --------------------------------------------------------------------------------
  composer.command("feeds", async (ctx) => {
    if (!(await isReporter(ctx))) return;
    const period = currentDuePeriod(ctx);
    const status = await unitFeedStatus(ctx.deps, ctx.actor, period);
    if (status.length === 0) return ctx.reply(ctx.t("bot-feeds-none"));
    const lines = [ctx.t("bot-feeds-title", { unit: ctx.actor!.unit.name, period })];
    const kb = new InlineKeyboard();
    for (const s of status) {
      const type = ctx.t(getReportType(s.type)!.titleKey);
      if (s.filed) {
        const what = s.filed.nil ? ctx.t("report-nil") : ctx.t("bot-feeds-rows", { count: String(s.filed.rowCount) });
        lines.push(
          ctx.t("bot-feeds-item-filed", {
            type,
            what,
            timeliness: ctx.t(`report-timeliness-${s.filed.timeliness}` as MessageKey),
            status: ctx.t(`report-status-${s.filed.status}` as MessageKey),
          }),
        );
      } else {
        lines.push(ctx.t(s.overdue ? "bot-feeds-item-overdue" : "bot-feeds-item-missing", { type, due: s.dueDate }));
        kb.text(ctx.t("bot-feeds-upload-button", { type }), `feed:up:${s.type}:${period}`).row();
        kb.text(ctx.t("bot-feeds-nil-button", { type }), `feed:nil:${s.type}:${period}`).row();
      }
    }
    if (status.some((s) => !s.filed)) lines.push("", ctx.t("bot-feeds-footer"));
    return ctx.reply(lines.join("\n"), { reply_markup: kb });
  });

  composer.callbackQuery(/^feed:(up|nil|nilok):([a-z_]+):(\d{4}-\d{2})$/, async (ctx) => {
    const [, verb, code, period] = ctx.match as unknown as [string, string, string, string];
    const feed = getReportType(code);
    if (!feed || feed.kind !== "feed") return ctx.answerCallbackQuery({ text: ctx.t("bot-feeds-stale") });
    await ctx.answerCallbackQuery();
    if (!(await isReporter(ctx))) return;
    const type = ctx.t(feed.titleKey);
    if (verb === "up") return ctx.conversation.enter(FEED_UPLOAD_CONVERSATION, code, period);
    if (verb === "nil") {
      const kb = new InlineKeyboard().text(ctx.t("bot-feeds-nil-yes"), `feed:nilok:${code}:${period}`).text(ctx.t("bot-report-cancel-button"), "feed:no");
      return ctx.reply(ctx.t("bot-feeds-nil-confirm", { type, period }), { reply_markup: kb });
    }
    try {
      const r = await fileNilReport(ctx.deps, ctx.actor, { type: code, period }, { locale: ctx.locale });
      if (!r.created) return ctx.reply(ctx.t("bot-feeds-nil-already", { type, period }));
      return ctx.reply(ctx.t("bot-feeds-nil-done", { type, period, timeliness: ctx.t(`report-timeliness-${r.report.timeliness}` as MessageKey) }));
    } catch (e) {
      if (isAppError(e) && e.reason === "period_has_data") return ctx.reply(ctx.t("bot-feeds-nil-has-data", { type, period }));
      throw e;
    }
  });
  composer.callbackQuery("feed:no", async (ctx) => {
    await ctx.answerCallbackQuery();
    return ctx.reply(ctx.t("bot-report-cancelled"));
  });

  // A file sent without choosing first: fine when the unit has only one feed; otherwise ask to choose.
  composer.on("message:document", async (ctx, next) => {
    const feeds = feedsOf(ctx);
    if (feeds.length === 0 || !canUse(ctx.actor, "report")) return next();
    if (feeds.length > 1) return ctx.reply(ctx.t("bot-feeds-choose-first"));
    const text = await uploadFeedDocument(
      { deps: ctx.deps, actor: ctx.actor, api: ctx.api, locale: ctx.locale, t: (k, p) => ctx.t(k, stringParams(p)) },
      download,
      ctx.msg.document,
      feeds[0]!,
      currentDuePeriod(ctx),
    );
    return ctx.reply(text);
  });

  return {
    name: "report",
    composer,
    commands: [
      { command: "report", description: "bot-cmd-report", feature: "report", audience: "member" },
      { command: "feeds", description: "bot-cmd-feeds", feature: "report", audience: "member" },
      { command: "myreports", description: "bot-cmd-myreports", feature: "report", audience: "member" },
      { command: "cancel", description: "bot-cmd-cancel", feature: "report", audience: "member" },
    ],
    conversations: [
      { id: REPORT_CONVERSATION, builder: createReportConversation(download) },
      { id: FEED_UPLOAD_CONVERSATION, builder: createFeedUploadConversation(download) },
    ],
  };
}

export const reportFeature = createReportFeature();
