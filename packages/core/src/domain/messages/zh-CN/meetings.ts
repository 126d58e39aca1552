/** Meetings of the coordination group and the tasks they assign (zh-CN). */
export const meetings = {
} as const;
