import type { targets as zh } from "../zh-CN/targets.ts";

/** Targets for the locally retained taxes and their monthly actuals (English). */
export const targets = {
} as const satisfies Record<keyof typeof zh, string>;
