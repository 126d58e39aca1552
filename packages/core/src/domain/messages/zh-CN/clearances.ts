/** Clearance checks and imports (zh-CN). Fluent ids; placeables written { $name }. */
export const clearances = {
} as const;
