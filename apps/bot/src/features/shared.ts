import { ROLES } from "@xieshui/core";
import { actorByTelegram, type Actor } from "@xieshui/core/server";
import type { BotContext, ConversationContext } from "../context.ts";

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
export function refreshActor(ctx: AnyCtx): Actor | null {
  ctx.actor = ctx.from ? actorByTelegram(ctx.deps, ctx.from.id) : null;
  return ctx.actor;
}
