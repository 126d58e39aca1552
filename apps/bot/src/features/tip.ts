import { createHmac, randomBytes } from "node:crypto";
import { Composer, InlineKeyboard, type Context } from "grammy";
import {
  ERROR_MESSAGE_KEY,
  formatReceipt,
  parseInput,
  REWARD_BANDS,
  t,
  TIP_ATTACHMENTS_MAX,
  TIP_CATEGORIES,
  TipFieldSchemas,
  type Locale,
  type MessageKey,
  type MessageParams,
  type TipCategory,
} from "@xieshui/core";
import { addTipEvidence, fileTip, isAppError, replyToTip, tipStatus, type Deps, type TipContext } from "@xieshui/core/server";
import type { CommandSpec } from "../registry.ts";

/**
 * /tip and /status: the anonymous tip line in the bot. What must stay true:
 * - it runs BEFORE the session and conversation middleware and never calls next() for what it
 *   handles, so a tip update writes nothing to BotSession (not even the chat's key), and the draft
 *   lives only in this process's memory, keyed by an HMAC of the chat id under a random
 *   per-process salt, dropped on submit, /cancel or after 30 idle minutes;
 * - the use-cases get no actor and no Telegram identity: `client` is only the in-memory limiters'
 *   key (hashed there), so a registered staff member files exactly like a citizen;
 * - nothing about the sender is logged: failures log their kind and code only.
 */

type Step = "receipt-actions" | "category" | "subject" | "location" | "description" | "when" | "evidence" | "identity" | "contact" | "confirm" | "receipt" | "reply" | "more-evidence";

interface Draft {
  step: Step;
  category?: TipCategory;
  subject?: string;
  location?: string;
  description?: string;
  when?: string;
  realName?: boolean;
  contact?: string;
  images: Buffer[];
  /** For reply / more-evidence after /status. */
  receipt?: string;
  touched: number;
}

/** The commands the tip line offers, for /help and the menu. */
export const TIP_COMMANDS: CommandSpec[] = [
  { command: "tip", description: "bot-cmd-tip", feature: "tip", menu: true },
  { command: "status", description: "bot-cmd-status", feature: "tip", menu: true },
];

const IDLE_MS = 30 * 60_000;
const COMMAND = (name: string) => new RegExp(`^/${name}(@\\w+)?(\\s|$)`, "i");

export interface TipBotOptions {
  deps: Deps;
  tips: TipContext;
  /** The reply language of a chat (read-only lookups; never writes). */
  localeOf: (ctx: Context) => Promise<Locale>;
  /** Downloads a Telegram file by its file_path (the evidence photo). */
  downloadFile: (filePath: string) => Promise<Buffer>;
}

/** The middleware: install it ahead of `session()` and the conversations plugin. */
export function createTipMiddleware(opts: TipBotOptions): Composer<Context> {
  const salt = randomBytes(32);
  const drafts = new Map<string, Draft>();
  const keyOf = (chatId: number) => createHmac("sha256", salt).update(String(chatId)).digest("base64url");
  const clientOf = (chatId: number) => `tg:${chatId}`;
  const sweep = () => {
    const now = Date.now();
    for (const [k, d] of drafts) if (now - d.touched > IDLE_MS) drafts.delete(k);
  };

  const composer = new Composer<Context>();
  const chat = composer.chatType("private");

  chat.use(async (ctx, next) => {
    const text = ctx.message?.text ?? "";
    const data = ctx.callbackQuery?.data ?? "";
    const key = keyOf(ctx.chat.id);
    sweep();
    const draft = drafts.get(key);
    const isTipCommand = COMMAND("tip").test(text) || COMMAND("status").test(text);
    if (!draft && !isTipCommand && !data.startsWith("tip:")) return next();
    // After /status only the two buttons belong to the tip line; anything else goes on.
    if (draft?.step === "receipt-actions" && !isTipCommand && data !== "tip:reply" && data !== "tip:evidence") {
      drafts.delete(key);
      return next();
    }
    // Any other command ends a tip flow and goes on to the rest of the bot.
    if (draft && text.startsWith("/") && !isTipCommand && !/^\/(cancel|skip|done)(@\w+)?(\s|$)/i.test(text)) {
      drafts.delete(key);
      return next();
    }
    const locale = await opts.localeOf(ctx);
    const say = (k: MessageKey, params?: MessageParams, markup?: InlineKeyboard) => ctx.reply(t(locale, k, params), markup ? { reply_markup: markup } : {});
    try {
      if (data) await ctx.answerCallbackQuery().catch(() => undefined);
      await step(ctx, key, draft, text, data, locale, say);
    } catch (error) {
      if (isAppError(error)) {
        const first = error.fields ? Object.values(error.fields)[0] : undefined;
        await ctx.reply(first ?? t(locale, error.messageKey ?? ERROR_MESSAGE_KEY[error.code], error.params));
      } else {
        opts.deps.logger.error({ error: { kind: error instanceof Error ? error.name : typeof error } }, "tip flow failed");
        await say("bot-error");
      }
    }
  });

  const buttons = (locale: Locale, ...rows: [MessageKey, string][][]) => {
    const kb = new InlineKeyboard();
    for (const row of rows) {
      for (const [label, cb] of row) kb.text(t(locale, label), cb);
      kb.row();
    }
    return kb;
  };

  async function step(ctx: Context, key: string, draft: Draft | undefined, text: string, data: string, locale: Locale, say: (k: MessageKey, p?: MessageParams, m?: InlineKeyboard) => Promise<unknown>) {
    const cancelRow: [MessageKey, string][] = [["bot-tip-button-cancel", "tip:cancel"]];
    const skipRow: [MessageKey, string][] = [["bot-tip-button-skip", "tip:skip"], ["bot-tip-button-cancel", "tip:cancel"]];
    const cancel = /^\/cancel/i.test(text) || data === "tip:cancel";
    const skip = /^\/skip/i.test(text) || data === "tip:skip";
    const done = /^\/done/i.test(text) || data === "tip:done";

    if (COMMAND("tip").test(text)) {
      drafts.set(key, { step: "category", images: [], touched: Date.now() });
      const kb = new InlineKeyboard();
      TIP_CATEGORIES.forEach((c, i) => {
        kb.text(t(locale, `tip-category-${c}`), `tip:c:${c}`);
        if (i % 2 === 1) kb.row();
      });
      kb.row().text(t(locale, "bot-tip-button-cancel"), "tip:cancel");
      return say("bot-tip-intro", undefined, kb);
    }
    if (COMMAND("status").test(text)) {
      const arg = text.replace(COMMAND("status"), "").trim();
      if (!arg) {
        drafts.set(key, { step: "receipt", images: [], touched: Date.now() });
        return say("bot-tip-ask-receipt");
      }
      drafts.delete(key);
      return showStatus(ctx, key, arg, locale);
    }
    if (!draft) {
      // A button of a flow that ended (restart, /cancel, timeout): the callback data alone.
      return say("bot-tip-expired");
    }
    if (cancel) {
      drafts.delete(key);
      return say("bot-tip-cancelled");
    }
    draft.touched = Date.now();
    const photo = ctx.message?.photo;
    const document = ctx.message?.document;
    const field = (name: keyof typeof TipFieldSchemas) => {
      const parsed = parseInput(TipFieldSchemas[name], text, locale);
      return parsed.ok ? { value: parsed.data as string } : { error: Object.values(parsed.fields)[0] ?? t(locale, "field-invalid") };
    };
    const ask = (next: Step) => {
      draft.step = next;
      switch (next) {
        case "subject":
          return say("bot-tip-ask-subject", undefined, buttons(locale, skipRow));
        case "location":
          return say("bot-tip-ask-location", undefined, buttons(locale, skipRow));
        case "description":
          return say("bot-tip-ask-description", undefined, buttons(locale, cancelRow));
        case "when":
          return say("bot-tip-ask-when", undefined, buttons(locale, skipRow));
        case "evidence":
          return say("bot-tip-ask-evidence", { max: TIP_ATTACHMENTS_MAX }, buttons(locale, [["bot-tip-button-done", "tip:done"], ["bot-tip-button-skip", "tip:skip"]], cancelRow));
        case "identity":
          return say("bot-tip-ask-identity", undefined, buttons(locale, [["bot-tip-button-anonymous", "tip:anon"], ["bot-tip-button-real", "tip:real"]], cancelRow));
        case "contact":
          return say("bot-tip-ask-contact", undefined, buttons(locale, cancelRow));
        default: {
          const none = t(locale, "bot-tip-none");
          return say(
            "bot-tip-confirm",
            {
              category: t(locale, `tip-category-${draft.category!}`),
              subject: draft.subject ?? none,
              location: draft.location ?? none,
              when: draft.when ?? none,
              description: draft.description ?? none,
              images: draft.images.length,
              mode: t(locale, draft.realName ? "bot-tip-mode-real" : "bot-tip-mode-anonymous"),
            },
            buttons(locale, [["bot-tip-button-submit", "tip:submit"], ["bot-tip-button-cancel", "tip:cancel"]]),
          );
        }
      }
    };
    const textStep = async (name: "subject" | "location" | "when" | "description" | "contact", next: Step, optional: boolean) => {
      if (optional && skip) return ask(next);
      if (!ctx.message?.text || text.startsWith("/")) return ask(draft.step);
      const r = field(name);
      if (r.error !== undefined) return ctx.reply(r.error);
      draft[name] = r.value!;
      return ask(next);
    };

    switch (draft.step) {
      case "receipt-actions":
        if (data === "tip:reply") {
          draft.step = "reply";
          return say("bot-tip-ask-reply", undefined, buttons(locale, cancelRow));
        }
        if (data === "tip:evidence") {
          draft.step = "more-evidence";
          return say("bot-tip-ask-more-evidence", undefined, buttons(locale, cancelRow));
        }
        return undefined;
      case "category": {
        const m = /^tip:c:([a-z_]+)$/.exec(data);
        const category = TIP_CATEGORIES.find((c) => c === m?.[1]);
        if (!category) return say("tip-category-required");
        draft.category = category;
        return ask("subject");
      }
      case "subject":
        return textStep("subject", "location", true);
      case "location":
        return textStep("location", "description", true);
      case "description":
        return textStep("description", "when", false);
      case "when":
        return textStep("when", "evidence", true);
      case "evidence": {
        if (done || skip) return ask("identity");
        if (photo?.length) {
          if (draft.images.length >= TIP_ATTACHMENTS_MAX) return say("tip-attachments-too-many", { max: TIP_ATTACHMENTS_MAX });
          draft.images.push(await download(ctx, photo[photo.length - 1]!.file_id));
          return say("bot-tip-evidence-added", { count: draft.images.length });
        }
        if (document) return say("bot-tip-evidence-only-photos");
        return ask("evidence");
      }
      case "identity":
        if (data === "tip:anon") {
          draft.realName = false;
          delete draft.contact;
          return ask("confirm");
        }
        if (data === "tip:real") {
          draft.realName = true;
          return ask("contact");
        }
        return ask("identity");
      case "contact":
        return textStep("contact", "confirm", false);
      case "confirm": {
        if (data !== "tip:submit") return ask("confirm");
        const input = {
          category: draft.category,
          description: draft.description,
          ...(draft.subject ? { subject: draft.subject } : {}),
          ...(draft.location ? { location: draft.location } : {}),
          ...(draft.when ? { when: draft.when } : {}),
          ...(draft.realName ? { realName: true, contact: draft.contact } : {}),
        };
        const images = draft.images;
        drafts.delete(key); // whatever happens next, the draft is gone
        const { receipt } = await fileTip(opts.deps, opts.tips, input, { locale, client: clientOf(ctx.chat!.id), images });
        return say("bot-tip-submitted", { receipt: formatReceipt(receipt) });
      }
      case "receipt":
        drafts.delete(key);
        return showStatus(ctx, key, text, locale);
      case "reply": {
        if (!ctx.message?.text || text.startsWith("/")) return say("bot-tip-ask-reply");
        const receipt = draft.receipt!;
        drafts.delete(key);
        await replyToTip(opts.deps, opts.tips, { receipt, text }, { locale, client: clientOf(ctx.chat!.id) });
        return say("bot-tip-replied");
      }
      case "more-evidence": {
        if (!photo?.length) return say(document ? "bot-tip-evidence-only-photos" : "bot-tip-ask-more-evidence");
        const receipt = draft.receipt!;
        drafts.delete(key);
        const r = await addTipEvidence(opts.deps, opts.tips, receipt, await download(ctx, photo[photo.length - 1]!.file_id), { locale, client: clientOf(ctx.chat!.id) });
        return say("bot-tip-evidence-added", { count: r.attachments });
      }
    }
  }

  async function download(ctx: Context, fileId: string): Promise<Buffer> {
    const file = await ctx.api.getFile(fileId);
    if (!file.file_path) throw new Error("no file path");
    return opts.downloadFile(file.file_path);
  }

  async function showStatus(ctx: Context, key: string, typed: string, locale: Locale) {
    const view = await tipStatus(opts.deps, opts.tips, { receipt: typed }, { locale, client: clientOf(ctx.chat!.id) });
    const lines = [
      t(locale, "bot-tip-status", { category: t(locale, `tip-category-${view.category}`), filedOn: view.filedOn, status: t(locale, `tip-status-${view.status}`), attachments: view.attachments }),
      "",
      view.messages.length ? t(locale, "bot-tip-status-messages") : t(locale, "bot-tip-status-no-messages"),
      ...view.messages.map((m) => `${m.on} ${t(locale, m.from === "handler" ? "tip-from-handler" : "tip-from-tipster")}：${m.text}`),
    ];
    if (view.reward && REWARD_BANDS.includes(view.reward)) lines.push("", t(locale, "tip-reward-claim", { band: t(locale, `tip-reward-${view.reward}`) }));
    const open = view.status !== "closed" && view.status !== "not_accepted";
    if (open) {
      // The receipt stays in this process's memory while the tipster may answer; never in the database.
      const receipt = typed;
      drafts.set(key, { step: "receipt-actions", images: [], touched: Date.now(), receipt });
    }
    await ctx.reply(lines.join("\n"), open ? { reply_markup: buttons(locale, [["bot-tip-button-reply", "tip:reply"], ["bot-tip-button-evidence", "tip:evidence"]]) } : {});
  }

  return composer;
}
