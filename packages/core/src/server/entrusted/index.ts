export * from "./entrusted.ts";
