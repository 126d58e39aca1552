import { Composer } from "grammy";
import { InviteCodeSchema } from "@xieshui/core";
import { redeemInvite, setLocale } from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { actorParams, refreshActor, syncChatMenu } from "./shared.ts";

/**
 * Redeems an invite code typed, pasted or passed by deep link. Use-case errors (unknown, used,
 * expired, revoked) are AppErrors and the error boundary replies their own message.
 */
export async function redeemCode(ctx: BotContext, raw: string): Promise<void> {
  const parsed = InviteCodeSchema.safeParse(raw);
  if (!parsed.success || !ctx.from || !ctx.chat) {
    await ctx.reply(ctx.t("invite-code-format"));
    return;
  }
  await redeemInvite(
    ctx.deps,
    { code: parsed.data },
    { kind: "telegram", telegramId: String(ctx.from.id), chatId: String(ctx.chat.id), firstName: ctx.from.first_name },
  );
  const actor = await refreshActor(ctx);
  if (!actor) throw new Error("redeemed user is not active");
  // A language chosen before registering carries over to the account.
  if (ctx.session.locale) await setLocale(ctx.deps, actor, ctx.session.locale);
  if (ctx.session.locale) {
    ctx.locale = ctx.session.locale;
    ctx.i18n.useLocale(ctx.locale);
  }
  await ctx.reply(ctx.t("bot-welcome", actorParams(ctx, actor)));
  await syncChatMenu(ctx);
}

const composer = new Composer<BotContext>();

// A message that is nothing but an invite code (any spacing, case or width) registers the sender.
composer.on("message:text").filter(
  (ctx) => !ctx.msg.text.startsWith("/") && InviteCodeSchema.safeParse(ctx.msg.text).success,
  (ctx) => redeemCode(ctx, ctx.msg.text),
);

export const redeemFeature: BotFeature = { name: "redeem", composer };
