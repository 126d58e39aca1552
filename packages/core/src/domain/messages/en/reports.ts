import type { reports as zh } from "../zh-CN/reports.ts";

/** Reports: types, fields, rules, review (English); must have every key of the Chinese catalogue. */
export const reports = {
} as const satisfies Record<keyof typeof zh, string>;
