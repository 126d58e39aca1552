// Anonymous tips: keys and receipts, the tipster's and the handler's use-cases, purge, rotation.
export * from "./keys.ts";
export * from "./limits.ts";
export * from "./context.ts";
export * from "./tipster.ts";
export * from "./handler.ts";
export * from "./purge.ts";
export * from "./rotate.ts";
export * from "./scrub-store.ts";
