export * from "./period.ts";
export * from "./figures.ts";
