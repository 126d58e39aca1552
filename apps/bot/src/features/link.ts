import { Composer } from "grammy";
import { formatCode, LinkCodeSchema } from "@xieshui/core";
import { createLinkCode, linkTelegram } from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { refreshActor, syncChatMenu } from "./shared.ts";

const composer = new Composer<BotContext>();

// `/link` hands a member a one-time code for the mini-app login page;
// `/link CODE` binds this Telegram account to the mini-app user who made CODE.
composer.command("link", async (ctx) => {
  const arg = ctx.match.trim();
  if (!arg) {
    if (!ctx.actor) return ctx.reply(ctx.t("bot-link-guest"));
    const { code } = await createLinkCode(ctx.deps, ctx.actor);
    return ctx.reply(ctx.t("bot-link-code", { code: formatCode(code) }));
  }
  const parsed = LinkCodeSchema.safeParse(arg);
  if (!parsed.success || !ctx.from || !ctx.chat) return ctx.reply(ctx.t("link-code-format"));
  const user = await linkTelegram(ctx.deps, parsed.data, { telegramId: String(ctx.from.id), chatId: String(ctx.chat.id) });
  await refreshActor(ctx);
  await ctx.reply(ctx.t("bot-link-done", { name: user.name, unit: user.unit.name }));
  await syncChatMenu(ctx);
});

export const linkFeature: BotFeature = {
  name: "link",
  composer,
  commands: [{ command: "link", description: "bot-cmd-link", menu: true }],
};
