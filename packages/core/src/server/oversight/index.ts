// Oversight: per-unit figures for a period (one source per figure group) and the quarterly meeting pack.
export * from "./sources.ts";
export * from "./units.ts";
export * from "./pack.ts";
export * from "./pack-html.ts";
export * from "./pack-files.ts";
export * from "./evaluation.ts";
