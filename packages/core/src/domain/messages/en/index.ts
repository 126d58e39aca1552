import { common } from "./common.ts";
import { bot } from "./bot.ts";
import { app } from "./app.ts";
import { reports } from "./reports.ts";
import { clearances } from "./clearances.ts";
import { validation } from "./validation.ts";
import { fieldStaff } from "./field-staff.ts";

/** The English catalogue, same keys as zh-CN. */
export const en = { ...common, ...bot, ...app, ...reports, ...clearances, ...validation, ...fieldStaff } as const;
