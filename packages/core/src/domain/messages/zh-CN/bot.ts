/** Telegram bot replies, menus and help (zh-CN). Fluent ids; placeables written { $name }. */
export const bot = {
} as const;
