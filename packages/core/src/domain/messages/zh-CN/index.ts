import { common } from "./common.ts";
import { bot } from "./bot.ts";
import { app } from "./app.ts";
import { reports } from "./reports.ts";
import { clearances } from "./clearances.ts";
import { clearanceImport } from "./clearance-import.ts";
import { knowledge } from "./knowledge.ts";
import { uploads } from "./uploads.ts";
import { validation } from "./validation.ts";
import { fieldStaff } from "./field-staff.ts";
import { fieldwork } from "./fieldwork.ts";
import { quiz } from "./quiz.ts";
import { tips } from "./tips.ts";
import { oversight } from "./oversight.ts";
import { meetings } from "./meetings.ts";
import { escalation } from "./escalation.ts";
import { entrusted } from "./entrusted.ts";
import { targets } from "./targets.ts";

// One catalogue file per feature, one line each here (keeps parallel features from colliding).
/** The zh-CN catalogue: the product's primary language and the source of every message key. */
export const zhCN = {
  ...common,
  ...bot,
  ...app,
  ...reports,
  ...clearances,
  ...clearanceImport,
  ...knowledge,
  ...uploads,
  ...validation,
  ...fieldStaff,
  ...fieldwork,
  ...quiz,
  ...tips,
  ...oversight,
  ...meetings,
  ...escalation,
  ...entrusted,
  ...targets,
} as const;
