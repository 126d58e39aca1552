import type { app as zh } from "../zh-CN/app.ts";

/** Mini-app pages: labels, buttons, hints (English); must have every key of the Chinese catalogue. */
export const app = {
} as const satisfies Record<keyof typeof zh, string>;
