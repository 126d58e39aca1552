import type { Composer } from "grammy";
import type { ConversationBuilder } from "@grammyjs/conversations";
import { canUse, type Feature, type MessageKey } from "@xieshui/core";
import type { Actor } from "@xieshui/core/server";
import type { BotContext, ConversationContext } from "./context.ts";

/** A command a feature offers: what /help and the command menu show, and to whom. */
export interface CommandSpec {
  /** Without the slash, lower case, as Telegram requires ([a-z0-9_]{1,32}). */
  command: string;
  /** Short description for /help and the command menu (≤ 256 characters). */
  description: MessageKey;
  /** Only users who `canUse` this core feature see it. */
  feature?: Feature;
  /** `member`: registered users only; `guest`: unregistered only; `any` (default). */
  audience?: "any" | "member" | "guest";
  /** Show in the default command menu for everyone (setMyCommands). Members also get a per-chat menu of what they may use. */
  menu?: boolean;
}

/** A conversation a feature brings; installed with @grammyjs/conversations under `id`. */
export interface ConversationSpec {
  id: string;
  builder: ConversationBuilder<BotContext, ConversationContext>;
}

/** One feature of the bot: its handlers plus what it registers into /help, the menu and conversations. */
export interface BotFeature {
  name: string;
  composer: Composer<BotContext>;
  commands?: CommandSpec[];
  conversations?: ConversationSpec[];
  /** The feature handles `poll_answer` updates, which carry no chat (they skip the private-chat session stack). */
  handlesPollAnswers?: boolean;
}

/** Whether the user (null = guest) should see a command. Hiding is convenience; use-cases check roles again. */
export function isCommandVisible(spec: CommandSpec, actor: Actor | null): boolean {
  const audience = spec.audience ?? "any";
  if (audience === "member" && !actor) return false;
  if (audience === "guest" && actor) return false;
  return spec.feature ? canUse(actor, spec.feature) : true;
}

/** The commands a user sees in /help, in registration order. */
export function visibleCommands(specs: readonly CommandSpec[], actor: Actor | null): CommandSpec[] {
  return specs.filter((s) => isCommandVisible(s, actor));
}
