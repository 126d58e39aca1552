/** Entrusted collection (委托代征): collectors, agents, inspections (zh-CN). */
export const entrusted = {
} as const;
