import type { escalation as zh } from "../zh-CN/escalation.ts";

/** Escalation of overdue duties and the quarterly accountability list (English). */
export const escalation = {
} as const satisfies Record<keyof typeof zh, string>;
