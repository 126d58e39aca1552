import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { actorParams } from "./shared.ts";

const composer = new Composer<BotContext>();

composer.command("me", async (ctx) => {
  if (!ctx.actor) return ctx.reply(ctx.t("bot-me-guest"));
  return ctx.reply(ctx.t("bot-me", actorParams(ctx, ctx.actor)));
});

export const meFeature: BotFeature = {
  name: "me",
  composer,
  commands: [{ command: "me", description: "bot-cmd-me", audience: "member", menu: true }],
};
