import type { bot as zh } from "../zh-CN/bot.ts";

/** Telegram bot replies, menus and help (English); must have every key of the Chinese catalogue. */
export const bot = {
  "bot-start-guest":
    "Hello! This is Xieshui, the tax-cooperation assistant of the district.\n\nIf you work for a village or residents' committee, the traffic police, a venue or a government department, ask your unit's administrator for an invite code and send it to me (or open the link they gave you) to register.\n\nCitizens can report tax evasion anonymously without registering (the tip feature is coming soon); tips are kept strictly confidential.\n\nSend /help to see what you can do, /lang to change the language.",
  "bot-start-member": "Welcome back, { $name }! Send /help to see the commands you can use.",
  "bot-welcome":
    "You are registered. Welcome, { $name }!\nUnit: { $unit } ({ $unitType })\nRoles: { $roles }\n\nSend /help to see the commands you can use.",
  "bot-me": "Name: { $name }\nUnit: { $unit } ({ $unitType })\nRoles: { $roles }",
  "bot-me-guest": "You are not registered yet. Ask your unit's administrator for an invite code and send it to me.",
  "bot-help-title": "Commands you can use:",
  "bot-help-guest-footer": "No account yet? Just send me the invite code your administrator gave you.",
  "bot-help-member-footer": "Want to sign in to the mini-app? Send /link for a one-time code.",
  "bot-cmd-start": "Start / register with an invite code",
  "bot-cmd-help": "Show the commands you can use",
  "bot-cmd-me": "My name, unit and roles",
  "bot-cmd-link": "Get a mini-app login code; /link CODE links this account",
  "bot-cmd-lang": "Change language / 切换语言",
  "bot-link-code":
    "Your one-time code: { $code }\n\nEnter it on the Xieshui mini-app login page within 10 minutes. It works once; do not forward it to anyone.",
  "bot-link-guest":
    "You are not registered yet. If you already use the mini-app, get a link code on its \"Me\" page and send: /link CODE",
  "bot-link-done": "Linked! This Telegram account now belongs to { $name } ({ $unit }).",
  "bot-lang-choose": "请选择语言 / Choose your language:",
  "bot-lang-set": "Language set to English.",
  "bot-lang-name": "English",
  "bot-unhandled": "Sorry, I did not understand that. Send /help to see the commands you can use.",
  "bot-unhandled-media": "For now I can only read text; I cannot handle photos, files, voice messages or stickers. Send /help to see the commands you can use.",
  "bot-unknown-command": "There is no such command. Send /help to see the commands you can use.",
  "bot-error": "Sorry, something went wrong. Please try again later; your data is safe.",
  "bot-list-separator": ", ",
} as const satisfies Record<keyof typeof zh, string>;
