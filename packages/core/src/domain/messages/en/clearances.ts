import type { clearances as zh } from "../zh-CN/clearances.ts";

/** Clearance checks and imports (English); must have every key of the Chinese catalogue. */
export const clearances = {
} as const satisfies Record<keyof typeof zh, string>;
