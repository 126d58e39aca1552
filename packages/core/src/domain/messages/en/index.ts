import { common } from "./common.ts";
import { bot } from "./bot.ts";
import { app } from "./app.ts";
import { reports } from "./reports.ts";
import { clearances } from "./clearances.ts";
import { fieldwork } from "./fieldwork.ts";

/** The English catalogue, same keys as zh-CN. */
export const en = { ...common, ...bot, ...app, ...reports, ...clearances, ...fieldwork } as const;
