import type { bot as zh } from "../zh-CN/bot.ts";

/** Telegram bot replies, menus and help (English); must have every key of the Chinese catalogue. */
export const bot = {
} as const satisfies Record<keyof typeof zh, string>;
