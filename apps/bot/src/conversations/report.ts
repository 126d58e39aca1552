import { InlineKeyboard, type Api } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import {
  canUse,
  describeReportType,
  mayFileReport,
  getReportType,
  isEventType,
  readFieldAnswer,
  reportTypesForUnit,
  validateField,
  validateReportData,
  type EventReportType,
  type FieldSpec,
  formatCst,
  ERROR_MESSAGE_KEY,
  type MessageKey,
} from "@xieshui/core";
import { addReportPhoto, findPossibleDuplicates, isAppError, MAX_PHOTOS_PER_REPORT, resubmitReport, submitReport, typeForReporter } from "@xieshui/core/server";
import type { BotContext, ConversationContext } from "../context.ts";
import { stringParams } from "../i18n.ts";

type Conv = Conversation<BotContext, ConversationContext>;
type Ctx = ConversationContext;
type Data = Record<string, unknown>;

/** Fetches a Telegram file's bytes (photos, feed files). Injectable: tests and offline runs pass a fake. */
export type DownloadFile = (fileId: string, api: Api) => Promise<Buffer>;

/** The Bot API way: getFile, then GET <apiRoot>/file/bot<token>/<file_path>. */
export const telegramDownload: DownloadFile = async (fileId, api) => {
  const file = await api.getFile(fileId);
  if (!file.file_path) throw new Error("getFile returned no file_path");
  const root = api.options?.apiRoot ?? "https://api.telegram.org";
  const res = await (api.options?.fetch ?? fetch)(`${root}/file/bot${api.token}/${file.file_path}`);
  if (!res.ok) throw new Error(`file download failed: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
};

/** Callback data of the report conversation (≤ 64 bytes): `rpt:<verb>[:<field>[:<arg>]]`. */
const CB = {
  type: (code: string) => `rpt:t:${code}`,
  option: (field: string, i: number) => `rpt:o:${field}:${i}`,
  skip: (field: string) => `rpt:s:${field}`,
  keep: (field: string) => `rpt:k:${field}`,
  cancel: "rpt:x",
  confirm: (clientId: string) => `rpt:ok:${clientId}`,
  edit: "rpt:e",
  editField: (field: string) => `rpt:f:${field}`,
  back: "rpt:b",
};

/** How an answer reads back in the summary. */
function displayValue(ctx: Ctx, field: FieldSpec, value: unknown): string {
  if (value === undefined || value === "") return ctx.t("bot-report-empty-value");
  if (field.kind === "enum") {
    const o = (field.options ?? []).find((x) => x.value === value);
    return o ? ctx.t(o.labelKey) : String(value);
  }
  if (field.kind === "years" && Array.isArray(value)) return value.join(ctx.t("bot-list-separator"));
  if (field.kind === "datetime" && typeof value === "string") return value.slice(0, 16).replace("T", " ");
  return String(value);
}

function largestPhoto(ctx: Ctx): string | null {
  const sizes = ctx.message?.photo;
  if (!sizes || sizes.length === 0) return null;
  return [...sizes].sort((a, b) => a.width * a.height - b.width * b.height).at(-1)!.file_id;
}

function isCancel(ctx: Ctx): boolean {
  const text = ctx.message?.text?.trim() ?? "";
  return /^\/cancel(@\w+)?(\s|$)/i.test(text) || ctx.callbackQuery?.data === CB.cancel;
}

/** What the refusal of a use-case looked like, kept JSON-serialisable for the conversation log. */
interface Refusal {
  ok: false;
  code: string;
  reason: string | null;
  text: string;
  fields: Record<string, string>;
}
function refusal(ctx: Ctx, e: unknown): Refusal {
  if (!isAppError(e)) throw e;
  const key = e.messageKey ?? ERROR_MESSAGE_KEY[e.code];
  return { ok: false, code: e.code, reason: e.reason ?? null, text: ctx.t(key, stringParams(e.params)), fields: e.fields ?? {} };
}

/**
 * A returned report being corrected (修改后重新提交): which report, the fields the reviewer named
 * (asked first, with their old answers as defaults; none named = every field) and the reason.
 */
export interface Revision {
  reportId: string;
  version: number;
  fields: string[];
  comment: string;
}

/**
 * The report conversation: pick a type the unit files (or come with one), answer each field of the
 * registry in order with immediate validation by the shared schema, review a summary (with possible
 * duplicates), then submit once under a clientId derived from the chat and the starting message.
 * With a `revision`, it walks the returned report's answers as defaults and resubmits it as a new version.
 */
export function createReportConversation(download: DownloadFile) {
  return async function reportConversation(conversation: Conv, ctx: Ctx, code?: string, prefill?: Record<string, unknown>, revision?: Revision): Promise<void> {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    const actor = ctx.actor;
    if (!actor) return void (await ctx.reply(ctx.t("bot-me-guest")));
    // Reporters file any type of their unit; a checker files the vehicle report of their own failed
    // check only (core verifies the check when submitting), so they come with a type.
    const forced = code ? getReportType(code) : undefined;
    if (!canUse(actor, "report") && !(forced && isEventType(forced) && mayFileReport(actor, forced) === "failed_check")) {
      return void (await ctx.reply(ctx.t(mayFileReport(actor, getReportType("vehicle_no_clearance")!) ? "bot-report-checker-hint" : "bot-report-not-reporter")));
    }
    const startId = ctx.callbackQuery?.message?.message_id ?? ctx.msg?.message_id ?? ctx.update.update_id;
    const clientId = `tg-${ctx.chat!.id}-${startId}`;
    const photos: string[] = [];
    let current: Ctx = ctx;

    // --- which type -------------------------------------------------------------------------------
    let type: EventReportType<Data> | null = null;
    if (code) {
      try {
        const found = typeForReporter(actor, code, ctx.locale);
        if (!isEventType(found)) return void (await ctx.reply(`${ctx.t("report-type-is-feed", { type: ctx.t(found.titleKey) })}\n${ctx.t("bot-report-feeds-hint")}`));
        type = found as EventReportType<Data>;
      } catch (e) {
        return void (await ctx.reply(refusal(ctx, e).text));
      }
    } else {
      const all = reportTypesForUnit(actor.unit.type);
      const events = all.filter(isEventType);
      const feedsHint = all.some((t) => t.kind === "feed") ? `\n${ctx.t("bot-report-feeds-hint")}` : "";
      if (events.length === 0) return void (await ctx.reply(ctx.t("bot-report-no-types") + feedsHint));
      const kb = new InlineKeyboard();
      for (const t of events) kb.text(ctx.t(t.titleKey), CB.type(t.code)).row();
      kb.text(ctx.t("bot-report-cancel-button"), CB.cancel);
      await ctx.reply(ctx.t("bot-report-choose-type") + feedsHint, { reply_markup: kb });
      while (!type) {
        const u = await conversation.wait();
        current = u;
        if (isCancel(u)) return cancelled(u);
        const data = u.callbackQuery?.data ?? "";
        if (u.callbackQuery) await u.answerCallbackQuery().catch(() => undefined);
        const picked = data.startsWith("rpt:t:") ? getReportType(data.slice(6)) : undefined;
        if (picked && isEventType(picked)) {
          // A button for a type the unit may not file (forged or stale) gets the same 403 as the API.
          try {
            typeForReporter(actor, picked.code, u.locale);
            type = picked as EventReportType<Data>;
          } catch (e) {
            await u.reply(refusal(u, e).text);
          }
        } else if (u.message?.text?.startsWith("/")) await u.reply(u.t("bot-report-in-progress"));
        else await u.reply(u.t("bot-report-choose-type"), { reply_markup: kb });
      }
    }
    const rtype: EventReportType<Data> = type;
    const fields = rtype.fields;
    const view = describeReportType(rtype);
    if (revision) {
      const named = fields.filter((f) => revision.fields.includes(f.name)).map((f) => current.t(f.labelKey));
      await current.reply(
        current.t(named.length ? "bot-report-fix-start-fields" : "bot-report-fix-start", {
          type: current.t(rtype.titleKey),
          version: String(revision.version),
          comment: revision.comment,
          fields: named.join(current.t("bot-list-separator")),
        }),
      );
    } else {
      await current.reply(current.t("bot-report-start", { type: current.t(rtype.titleKey), count: String(fields.length), deadline: view.deadline[current.locale] }));
    }

    const data: Data = {};
    const put = (field: FieldSpec, value: unknown) => {
      if (value === undefined) delete data[field.name];
      else data[field.name] = value;
    };

    // --- one field ----------------------------------------------------------------------------------
    async function cancelled(c: Ctx): Promise<void> {
      if (c.callbackQuery) await c.answerCallbackQuery().catch(() => undefined);
      await c.reply(c.t("bot-report-cancelled"));
    }

    function takePhoto(c: Ctx): boolean {
      const id = largestPhoto(c);
      if (!id) return false;
      if (photos.length >= MAX_PHOTOS_PER_REPORT) return true;
      if (!photos.includes(id)) photos.push(id);
      return true;
    }
    async function photoReply(c: Ctx): Promise<void> {
      const full = photos.length >= MAX_PHOTOS_PER_REPORT && !photos.includes(largestPhoto(c) ?? "");
      await c.reply(full ? c.t("bot-report-photo-too-many", { max: String(MAX_PHOTOS_PER_REPORT) }) : c.t("bot-report-photo-received", { count: String(photos.length) }));
    }

    async function prompt(c: Ctx, field: FieldSpec, prefix = "", kept?: unknown): Promise<void> {
      const n = fields.indexOf(field) + 1;
      const lines = [prefix + c.t("bot-report-ask", { n: String(n), count: String(fields.length), label: c.t(field.labelKey) }) + (field.required ? "" : c.t("bot-report-ask-optional"))];
      if (kept !== undefined) lines.push(c.t("bot-report-fix-current", { value: displayValue(c, field, kept) }));
      if (field.hintKey) lines.push(c.t("bot-report-hint", { hint: c.t(field.hintKey) }));
      const kb = new InlineKeyboard();
      if (kept !== undefined) kb.text(c.t("bot-report-fix-keep"), CB.keep(field.name)).row();
      if (field.kind === "enum") {
        lines.push(c.t("bot-report-ask-choose"));
        (field.options ?? []).forEach((o, i) => kb.text(c.t(o.labelKey), CB.option(field.name, i)));
        kb.row();
      }
      if (!field.required) kb.text(c.t("bot-report-skip"), CB.skip(field.name));
      kb.text(c.t("bot-report-cancel-button"), CB.cancel);
      await c.reply(lines.join("\n"), { reply_markup: kb });
    }

    /** Asks until a valid answer (value, or undefined when skipped) or a cancel (null). `kept`: the old answer, offered as 保留原值. */
    async function ask(field: FieldSpec, prefix = "", kept?: unknown): Promise<{ value: unknown } | null> {
      await prompt(current, field, prefix, kept);
      for (;;) {
        const u = await conversation.wait();
        current = u;
        if (isCancel(u)) return null;
        const cb = u.callbackQuery?.data;
        if (cb !== undefined) {
          await u.answerCallbackQuery().catch(() => undefined);
          if (cb === CB.keep(field.name) && kept !== undefined) return { value: kept };
          if (cb === CB.skip(field.name) && !field.required) return { value: undefined };
          const m = /^rpt:o:([^:]+):(\d+)$/.exec(cb);
          const option = m && m[1] === field.name ? field.options?.[Number(m[2])] : undefined;
          if (option) return { value: option.value };
          await prompt(u, field, "", kept); // a button of an earlier question
          continue;
        }
        const text = u.message?.text;
        if (text === undefined) {
          if (takePhoto(u)) await photoReply(u);
          else await prompt(u, field, `${u.t("bot-report-text-only")}\n`, kept);
          continue;
        }
        if (text.startsWith("/")) {
          await u.reply(u.t("bot-report-in-progress"));
          continue;
        }
        // The one reader of answers in core (the same as the mini-app's and the feeds').
        const r = validateField(field, readFieldAnswer(field, text, { chat: true }), u.locale);
        // "无" / "skip" typed for an optional field skips it, like the button.
        if (r.ok && (r.data === undefined || r.data === "") && !field.required) return { value: undefined };
        let reason = r.ok ? (r.data === undefined || r.data === "" ? u.t("field-required") : null) : Object.values(r.fields)[0]!;
        if (r.ok && reason === null) {
          // Rules that involve this answer and earlier ones or today (lease end after start, no future
          // year) are checked at once too, with the same whole-report validation the server runs.
          const value = r.data;
          reason = await conversation.external((outside) => {
            const whole = validateReportData(rtype, { ...data, [field.name]: value }, outside.deps.clock.now(), u.locale);
            return whole.ok ? null : (whole.fields[field.name] ?? null);
          });
          if (reason === null) return { value };
        }
        await prompt(u, field, `${u.t("bot-report-invalid", { label: u.t(field.labelKey), reason: reason ?? "" })}\n\n`, kept);
      }
    }

    // Answers known in advance (a failed clearance check gives plate and missing years) are taken
    // when the shared field schema accepts them; everything else is asked.
    const prefilled: FieldSpec[] = [];
    for (const field of fields) {
      if (prefill?.[field.name] === undefined) continue;
      const r = validateField(field, prefill[field.name], current.locale);
      if (r.ok && r.data !== undefined && r.data !== "") {
        put(field, r.data);
        prefilled.push(field);
      }
    }
    if (revision) {
      // The fields the reviewer named (or all), each with its old answer as the default.
      const named = fields.filter((f) => revision.fields.includes(f.name));
      for (const field of named.length ? named : fields) {
        const a = await ask(field, "", data[field.name] ?? (field.required ? undefined : ""));
        if (!a) return cancelled(current);
        put(field, a.value === "" ? undefined : a.value);
      }
    } else {
      if (prefilled.length > 0) {
        await current.reply(current.t("bot-report-prefilled", { fields: prefilled.map((f) => `${current.t(f.labelKey)} ${displayValue(current, f, data[f.name])}`).join("，") }));
      }
      for (const field of fields) {
        if (prefilled.includes(field)) continue;
        const a = await ask(field);
        if (!a) return cancelled(current);
        put(field, a.value);
      }
    }

    // --- whole-report check, summary, edit, confirm ---------------------------------------------------
    async function fixFields(errors: Record<string, string>): Promise<boolean> {
      for (const field of fields) {
        const reason = errors[field.name] ?? errors[`data.${field.name}`];
        if (!reason) continue;
        const a = await ask(field, `${current.t("bot-report-invalid", { label: current.t(field.labelKey), reason })}\n\n`);
        if (!a) return false;
        put(field, a.value);
      }
      return true;
    }

    for (;;) {
      const errors = await conversation.external((outside) => {
        const r = validateReportData(rtype, data, outside.deps.clock.now(), current.locale);
        return r.ok ? {} : r.fields;
      });
      if (Object.keys(errors).length > 0) {
        await current.reply(current.t("bot-report-fix"));
        if (!(await fixFields(errors))) return cancelled(current);
        continue;
      }
      const dups = await conversation.external(() =>
        findPossibleDuplicates(current.deps, current.actor, { type: rtype.code, data }, { locale: current.locale }).then(
          (list) => list.map((d) => d.message),
          () => [] as string[],
        ),
      );
      const lines = [current.t("bot-report-summary-title", { type: current.t(rtype.titleKey) })];
      for (const f of fields) lines.push(`${current.t(f.labelKey)}：${displayValue(current, f, data[f.name])}`);
      if (photos.length > 0) lines.push(current.t("bot-report-summary-photos", { count: String(photos.length) }));
      if (dups.length > 0) lines.push("", current.t("bot-report-duplicate-title"), ...dups.map((d) => `• ${d}`), current.t("bot-report-duplicate-footer"));
      lines.push("", current.t("bot-report-summary-footer"));
      const kb = new InlineKeyboard()
        .text(current.t("bot-report-confirm"), CB.confirm(clientId))
        .row()
        .text(current.t("bot-report-edit"), CB.edit)
        .text(current.t("bot-report-cancel-button"), CB.cancel);
      await current.reply(lines.join("\n"), { reply_markup: kb });

      // Wait for a decision on the summary.
      let decision: "confirm" | "edit" | null = null;
      while (!decision) {
        const u = await conversation.wait();
        current = u;
        if (isCancel(u)) return cancelled(u);
        const cb = u.callbackQuery?.data;
        if (cb !== undefined) await u.answerCallbackQuery().catch(() => undefined);
        if (cb === CB.confirm(clientId)) decision = "confirm";
        else if (cb === CB.edit) decision = "edit";
        else if (u.message && takePhoto(u)) await photoReply(u);
        else await u.reply(u.t("bot-report-use-buttons"), { reply_markup: kb });
      }

      if (decision === "edit") {
        const ekb = new InlineKeyboard();
        fields.forEach((f, i) => {
          ekb.text(current.t(f.labelKey), CB.editField(f.name));
          if (i % 2 === 1) ekb.row();
        });
        ekb.row().text(current.t("bot-report-back"), CB.back);
        await current.reply(current.t("bot-report-edit-choose"), { reply_markup: ekb });
        let target: FieldSpec | null | undefined;
        while (target === undefined) {
          const u = await conversation.wait();
          current = u;
          if (isCancel(u)) return cancelled(u);
          const cb = u.callbackQuery?.data;
          if (cb !== undefined) await u.answerCallbackQuery().catch(() => undefined);
          if (cb === CB.back) target = null;
          else if (cb?.startsWith("rpt:f:")) target = fields.find((f) => f.name === cb.slice(6));
          else await u.reply(u.t("bot-report-edit-choose"), { reply_markup: ekb });
        }
        if (target) {
          const a = await ask(target, "", revision ? data[target.name] : undefined);
          if (!a) return cancelled(current);
          put(target, a.value);
        }
        continue;
      }

      // Confirm: the clientId makes a retry or a second tap return the first report.
      const result = await conversation.external(async (outside) => {
        try {
          const r = revision
            ? await resubmitReport(outside.deps, outside.actor, revision.reportId, { clientId, data }, { locale: current.locale })
            : await submitReport(outside.deps, outside.actor, { type: rtype.code, clientId, data }, { locale: current.locale });
          const v = r.report;
          return { ok: true as const, created: r.created, id: v.id, version: v.version, status: v.status, timeliness: v.timeliness, dueAt: v.dueAt, duplicate: v.possibleDuplicateOf !== null };
        } catch (e) {
          return refusal(current, e);
        }
      });
      if (!result.ok) {
        const dataErrors = Object.fromEntries(Object.entries(result.fields).filter(([k]) => k.startsWith("data.")));
        // A refused show (already started) or a forbidden type ends the conversation with the reason.
        if (result.reason !== "show_started" && result.code === "invalid_input" && Object.keys(dataErrors).length > 0) {
          await current.reply(current.t("bot-report-fix"));
          if (!(await fixFields(dataErrors))) return cancelled(current);
          continue;
        }
        await current.reply(current.t("bot-report-refused", { reason: result.text }));
        return;
      }
      const out = [
        current.t(revision ? "bot-report-resubmitted" : "bot-report-submitted", {
          type: current.t(rtype.titleKey),
          version: String(result.version),
          status: current.t(`report-status-${result.status}` as MessageKey),
          timeliness: current.t(`report-timeliness-${result.timeliness}` as MessageKey),
        }),
      ];
      if (result.dueAt) out.push(current.t("bot-report-submitted-due", { due: formatCst(new Date(result.dueAt)) }));
      if (result.duplicate) out.push(current.t("bot-report-submitted-duplicate"));
      if (!result.created) out.unshift(current.t("bot-report-already-submitted"));
      out.push(current.t("bot-report-submitted-footer"));
      await current.reply(out.join("\n"));

      if (photos.length > 0) {
        const outcome = await conversation.external(async (outside) => {
          let saved = 0;
          const failures: string[] = [];
          for (const fileId of photos) {
            let bytes: Buffer;
            try {
              bytes = await download(fileId, outside.api);
            } catch {
              failures.push(current.t("bot-report-photo-download-failed"));
              continue;
            }
            try {
              await addReportPhoto(outside.deps, outside.actor, result.id, bytes);
              saved++;
            } catch (e) {
              failures.push(refusal(current, e).text);
            }
          }
          return { saved, failures };
        });
        if (outcome.saved > 0) await current.reply(current.t("bot-report-photos-saved", { count: String(outcome.saved) }));
        for (const f of outcome.failures) await current.reply(current.t("bot-report-photo-failed", { reason: f }));
      }
      return;
    }
  };
}

export { CB as REPORT_CALLBACKS };
