/** Reports: types, fields, rules, review (zh-CN). Fluent ids; placeables written { $name }. */
export const reports = {
} as const;
