import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { redeemCode } from "./redeem.ts";

const composer = new Composer<BotContext>();

// `/start <invite code>` is the deep link an admin shares: t.me/<bot>?start=<code>.
composer.command("start", async (ctx) => {
  const payload = ctx.match.trim();
  if (payload) return redeemCode(ctx, payload);
  if (ctx.actor) return ctx.reply(ctx.t("bot-start-member", { name: ctx.actor.name }));
  return ctx.reply(ctx.t("bot-start-guest"));
});

export const startFeature: BotFeature = {
  name: "start",
  composer,
  commands: [{ command: "start", description: "bot-cmd-start", menu: true }],
};
