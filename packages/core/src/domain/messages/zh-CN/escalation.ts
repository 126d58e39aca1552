/** Escalation of overdue duties and the quarterly accountability list (zh-CN). */
export const escalation = {
} as const;
