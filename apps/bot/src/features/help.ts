import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { visibleCommands } from "../registry.ts";

const composer = new Composer<BotContext>();

// Lists what the installed features registered, filtered by the user's roles (core canUse).
composer.command("help", async (ctx) => {
  const lines = visibleCommands(ctx.commands, ctx.actor).map((c) => `/${c.command} — ${ctx.t(c.description)}`);
  const footer = ctx.t(ctx.actor ? "bot-help-member-footer" : "bot-help-guest-footer");
  return ctx.reply([ctx.t("bot-help-title"), ...lines, "", footer].join("\n"));
});

export const helpFeature: BotFeature = {
  name: "help",
  composer,
  commands: [{ command: "help", description: "bot-cmd-help", menu: true }],
};
