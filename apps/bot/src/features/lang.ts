import { Composer, InlineKeyboard } from "grammy";
import { LOCALES, type Locale } from "@xieshui/core";
import { setLocale } from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { syncChatMenu } from "./shared.ts";

const ALIASES: Record<string, Locale> = {
  zh: "zh-CN",
  "zh-cn": "zh-CN",
  cn: "zh-CN",
  中文: "zh-CN",
  chinese: "zh-CN",
  en: "en",
  english: "en",
  英文: "en",
  英语: "en",
};

/** Members keep their choice in User.locale (every front end uses it); guests in the session. */
async function applyLocale(ctx: BotContext, locale: Locale): Promise<void> {
  if (ctx.actor) await setLocale(ctx.deps, ctx.actor, locale);
  else ctx.session.locale = locale;
  ctx.locale = locale;
  ctx.i18n.useLocale(locale);
  await ctx.reply(ctx.t("bot-lang-set"));
  await syncChatMenu(ctx);
}

const composer = new Composer<BotContext>();

composer.command("lang", async (ctx) => {
  const wanted = ALIASES[ctx.match.trim().toLowerCase()];
  if (wanted) return applyLocale(ctx, wanted);
  const keyboard = new InlineKeyboard();
  for (const locale of LOCALES) keyboard.text(ctx.i18n.fluent.translate(locale, "bot-lang-name"), `lang:${locale}`);
  return ctx.reply(ctx.t("bot-lang-choose"), { reply_markup: keyboard });
});

composer.callbackQuery(/^lang:(.+)$/, async (ctx) => {
  const locale = LOCALES.find((l) => l === ctx.match[1]);
  await ctx.answerCallbackQuery();
  if (locale) await applyLocale(ctx, locale);
});

export const langFeature: BotFeature = {
  name: "lang",
  composer,
  commands: [{ command: "lang", description: "bot-cmd-lang", menu: true }],
};
