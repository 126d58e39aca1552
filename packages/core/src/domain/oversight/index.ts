export * from "./period.ts";
export * from "./figures.ts";
export * from "./evaluation.ts";
