import { ROLES } from "@xieshui/core";
import { actorByTelegram, type Actor } from "@xieshui/core/server";
import type { BotContext, ConversationContext } from "../context.ts";
import { visibleCommands } from "../registry.ts";
import { describeError } from "../errors.ts";

type AnyCtx = BotContext | ConversationContext;

/** Name, unit, unit type and roles as reply parameters in the current language. */
export function actorParams(ctx: AnyCtx, actor: Actor): Record<string, string> {
  return {
    name: actor.name,
    unit: actor.unit.name,
    unitType: ctx.t(`unit-type-${actor.unit.type}`),
    roles: [...actor.roles]
      .sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b))
      .map((r) => ctx.t(`role-${r}`)).join(ctx.t("bot-list-separator")),
  };
}

/** Re-reads the actor after the account changed (redeem, link). */
export async function refreshActor(ctx: AnyCtx): Promise<Actor | null> {
  ctx.actor = ctx.from ? await actorByTelegram(ctx.deps, ctx.from.id) : null;
  return ctx.actor;
}

/**
 * Gives this chat a command menu of exactly what the user may now use, in their language (after
 * registering, linking or switching language). Best effort: a failure only leaves the default menu.
 */
export async function syncChatMenu(ctx: BotContext): Promise<void> {
  if (!ctx.chat) return;
  const commands = visibleCommands(ctx.commands, ctx.actor).map((c) => ({ command: c.command, description: ctx.t(c.description).slice(0, 256) }));
  await ctx.api
    .setMyCommands(commands, { scope: { type: "chat", chat_id: ctx.chat.id } })
    .catch((error: unknown) => ctx.deps.logger.warn({ error: describeError(error) }, "per-chat command menu not set"));
}
