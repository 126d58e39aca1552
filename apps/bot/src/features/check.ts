import { Composer, InlineKeyboard } from "grammy";
import {
  canUse,
  classifyClearanceKey,
  CLEARANCE_EXPLAIN_ARTICLE_ID,
  FAILED_CHECK_WINDOW_MS,
  hasRole,
  isPlate,
  mayReportCheckResult,
  renderTelegramArticle,
  vehicleReportDraft,
  type ClearanceCheckResult,
  type ClearanceKind,
  type KnowledgeArticleView,
} from "@xieshui/core";
import { checkClearance, findKnowledgeArticle, isAppError, startVehicleReport } from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { stringParams } from "../i18n.ts";

/** The report feature's conversation id and the report type a missing vehicle clearance is filed as. */
const REPORT_CONVERSATION = "report";
/** `chk:report:<plate>:<year,year>` — the failed check's draft rides in the button (≤ 64 bytes; validated again by the form). */
const REPORT_CALLBACK = /^chk:report(?::([^:]*):([\d,]*))?$/;

function reportButtonData(result: ClearanceCheckResult): string {
  const draft = vehicleReportDraft(result);
  const data = `chk:report:${draft.plate ?? ""}:${(draft.missingYears ?? []).join(",")}`;
  return Buffer.byteLength(data) <= 64 ? data : "chk:report";
}

/**
 * Which check a bare key asks for: a plate or VIN is a vehicle; text starting with a province
 * character or 17 characters long is meant as one (so a typo gets the plate/VIN message); anything
 * else shaped like a contract or certificate number is a property transfer.
 */
function kindOf(key: string): ClearanceKind {
  if (classifyClearanceKey("vehicle_vessel", key).ok) return "vehicle_vessel";
  const compact = key.replace(/\s/g, "");
  if (/^[\u3400-\u9fff]/.test(compact) || compact.length === 17) return "vehicle_vessel";
  return classifyClearanceKey("property_transfer", key).ok ? "property_transfer" : "vehicle_vessel";
}

function formatResult(ctx: BotContext, result: ClearanceCheckResult, explain: KnowledgeArticleView | null): string {
  const lines = [ctx.t(result.kind === "vehicle_vessel" ? "bot-check-header-vehicle" : "bot-check-header-property", { key: result.key })];
  for (const r of result.results) {
    const label = "year" in r ? ctx.t("clearance-year", { year: String(r.year) }) : r.tax;
    const detail = r.certificateNo ? ctx.t("bot-check-detail", { certificateNo: r.certificateNo, name: r.taxpayerName ?? "" }) : "";
    lines.push(ctx.t("bot-check-line", { label, status: ctx.t(`clearance-status-${r.status}`), detail }));
  }
  lines.push("", result.cleared ? `✅ ${ctx.t("clearance-cleared")}` : `⚠️ ${ctx.t("clearance-missing")}`);
  if (!result.cleared) {
    // The live K040 article follows in its own message; the catalogue text only when it is missing.
    lines.push("", `💬 ${ctx.t("clearance-explain-title")}${explain ? "" : `\n${ctx.t(result.kind === "vehicle_vessel" ? "clearance-explain-vehicle" : "clearance-explain-property")}`}`);
  }
  return lines.join("\n");
}

async function runCheck(ctx: BotContext, key: string) {
  try {
    const result = await checkClearance(ctx.deps, ctx.actor, { kind: kindOf(key), key }, { rateLimitPerHour: ctx.checkRateLimitPerHour, locale: ctx.locale });
    // A vehicle without clearance: one tap opens the vehicle_no_clearance report, for reporters and
    // for the checker who made this (failed, by plate) check: the check is the authority to report it.
    const offerReport = ctx.actor !== null && mayReportCheckResult(ctx.actor, result);
    const explain = result.cleared ? null : await findKnowledgeArticle(ctx.deps, CLEARANCE_EXPLAIN_ARTICLE_ID);
    const sent = await ctx.reply(formatResult(ctx, result, explain), offerReport ? { reply_markup: new InlineKeyboard().text(ctx.t("clearance-report-action"), reportButtonData(result)) } : {});
    // How to explain it to the citizen: the knowledge base's article, as trainers last edited it.
    if (explain) {
      for (const html of renderTelegramArticle(explain, { lawLabel: ctx.t("knowledge-law-label") })) {
        await ctx.reply(html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
      }
    }
    return sent;
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "forbidden" || error.code === "unauthorized") return ctx.reply(ctx.t("bot-check-forbidden"));
    if (error.code === "invalid_input") return ctx.reply(Object.values(error.fields ?? {})[0] ?? ctx.t("bot-check-usage"));
    if (error.messageKey) return ctx.reply(ctx.t(error.messageKey, stringParams(error.params)));
    throw error;
  }
}

/**
 * /check <plate | VIN | contract no>, or a plate number sent on its own by a checker. The check
 * itself (roles, rate limit, audit, masking) is core's checkClearance; this only reads and replies.
 */
function createCheckFeature(): BotFeature {
  const composer = new Composer<BotContext>();
  composer.command("check", async (ctx) => {
    const key = ctx.match.trim();
    if (!ctx.actor || !hasRole(ctx.actor, "checker")) return runCheck(ctx, key || "-");
    if (!key) return ctx.reply(ctx.t("bot-check-usage"));
    return runCheck(ctx, key);
  });
  composer.callbackQuery(REPORT_CALLBACK, async (ctx) => {
    const [, plate, years] = ctx.match;
    const reporter = canUse(ctx.actor, "report");
    // The button's years are a convenience for reporters only; for everyone the server's record of
    // the check (startVehicleReport) wins, and a checker without it is refused here, not at the end.
    let prefill: Record<string, unknown> = reporter
      ? { ...(plate ? { plate } : {}), ...(years ? { missingYears: years.split(",").map(Number) } : {}) }
      : {};
    let fromCheck = false;
    if (ctx.actor && plate) {
      try {
        const draft = await startVehicleReport(ctx.deps, ctx.actor, { plate }, { locale: ctx.locale });
        fromCheck = draft.fromCheck;
        prefill = { ...prefill, ...draft.data };
      } catch (error) {
        if (!isAppError(error) || (error.code !== "invalid_input" && error.code !== "forbidden")) throw error;
      }
    }
    if (!reporter && !fromCheck) {
      await ctx.answerCallbackQuery().catch(() => undefined);
      return ctx.reply(ctx.t("report-needs-failed-check", { hours: String(FAILED_CHECK_WINDOW_MS / 3_600_000) }));
    }
    return ctx.conversation.enter(REPORT_CONVERSATION, "vehicle_no_clearance", prefill);
  });
  // A checker may simply send a plate number; everyone else's text goes on to other features.
  composer.on("message:text", async (ctx, next) => {
    const text = ctx.msg.text;
    if (text.startsWith("/") || text.length > 20 || !ctx.actor || !hasRole(ctx.actor, "checker") || !isPlate(text)) return next();
    return runCheck(ctx, text);
  });
  return {
    name: "check",
    composer,
    commands: [{ command: "check", description: "bot-cmd-check", feature: "check" }],
  };
}

export const checkFeature: BotFeature = createCheckFeature();
