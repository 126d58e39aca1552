/** Mini-app pages: labels, buttons, hints (zh-CN). Fluent ids; placeables written { $name }. */
export const app = {
} as const;
