/** Targets for the locally retained taxes and their monthly actuals (zh-CN). */
export const targets = {
} as const;
