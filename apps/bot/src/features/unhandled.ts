import { Composer } from "grammy";
import { canonicalCode } from "@xieshui/core";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";

const composer = new Composer<BotContext>();

const MEDIA = [
  "message:sticker",
  "message:photo",
  "message:document",
  "message:voice",
  "message:video",
  "message:video_note",
  "message:audio",
  "message:animation",
  "message:location",
  "message:contact",
  "message:poll",
] as const;

composer.on([...MEDIA], (ctx) => ctx.reply(ctx.t("bot-unhandled-media")));

composer.on("message:text", async (ctx) => {
  const text = ctx.msg.text;
  if (text.startsWith("/")) return ctx.reply(ctx.t("bot-unknown-command"));
  // Almost an invite code (a character missed or mistyped): say what a code looks like.
  if (!ctx.actor && /^[A-Z0-9]{8,12}$/.test(canonicalCode(text))) return ctx.reply(ctx.t("invite-code-format"));
  return ctx.reply(ctx.t("bot-unhandled"));
});

composer.on("message", (ctx) => ctx.reply(ctx.t("bot-unhandled")));

// A stale button (e.g. from before a restart): stop the client's spinner.
composer.on("callback_query", (ctx) => ctx.answerCallbackQuery());

/** Installed after every other feature: anything nobody handled gets a pointer to /help. */
export const unhandledFeature: BotFeature = { name: "unhandled", composer };
