import type { meetings as zh } from "../zh-CN/meetings.ts";

/** Meetings of the coordination group and the tasks they assign (English). */
export const meetings = {
} as const satisfies Record<keyof typeof zh, string>;
