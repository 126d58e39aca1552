import type { BotFeature } from "../registry.ts";
import { startFeature } from "./start.ts";
import { redeemFeature } from "./redeem.ts";
import { meFeature } from "./me.ts";
import { linkFeature } from "./link.ts";
import { langFeature } from "./lang.ts";
import { helpFeature } from "./help.ts";
import { reportFeature } from "./report.ts";
import { checkFeature } from "./check.ts";
import { knowledgeFeature } from "./knowledge.ts";
import { quizFeature } from "./quiz.ts";
import { practiceFeature } from "./practice.ts";
import { tasksFeature } from "./tasks.ts";

/**
 * The bot's features in the order they see updates; /help lists their commands in this order.
 * Adding a feature is one line here. `unhandled` is not listed: createBot always installs it last.
 */
export const FEATURES: BotFeature[] = [startFeature, redeemFeature, meFeature, linkFeature, checkFeature, langFeature, helpFeature, reportFeature, quizFeature, practiceFeature, tasksFeature, knowledgeFeature];
