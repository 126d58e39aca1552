import type { Context, SessionFlavor } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Locale } from "@xieshui/core";
import type { Actor, Deps } from "@xieshui/core/server";
import type { CommandSpec } from "./registry.ts";

/** What the bot keeps per chat between updates (in the BotSession table). */
export interface SessionData {
  /** Language chosen with /lang by someone who is not registered yet (members keep it in User.locale). */
  locale?: Locale;
  /** The last knowledge search, so "没找到？" can page on (features/knowledge.ts). */
  knowledgeQuery?: string;
}

/** Per-update state the bot adds to every context, also inside conversations. */
export interface AppFlavor {
  deps: Deps;
  /** The registered user behind this Telegram account, or null for guests. Refresh after redeem/link. */
  actor: Actor | null;
  /** The language replies use. */
  locale: Locale;
  /** Every command registered by the installed features (for /help). */
  commands: readonly CommandSpec[];
  /** Clearance checks per user per hour (CHECK_RATE_LIMIT_PER_HOUR; 0 = off), shared with the API through the audit rows. */
  checkRateLimitPerHour: number;
}

/** Context inside conversations: app state and i18n, no session (conversations keep their own state). */
export type ConversationContext = Context & AppFlavor & I18nFlavor;

/** Context of ordinary middleware. */
export type BotContext = ConversationFlavor<Context & AppFlavor & I18nFlavor & SessionFlavor<SessionData>>;
