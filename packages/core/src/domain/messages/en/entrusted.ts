import type { entrusted as zh } from "../zh-CN/entrusted.ts";

/** Entrusted collection (委托代征): collectors, agents, inspections (English). */
export const entrusted = {
} as const satisfies Record<keyof typeof zh, string>;
