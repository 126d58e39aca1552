// The Node-only entry of @xieshui/core: database access, use-cases, audit, crypto.
// Front ends call these use-cases and only translate between their transport and them.
export * from "./db.ts";
export * from "./migrate.ts";
export * from "./clock.ts";
export * from "./logger.ts";
export * from "./errors.ts";
export * from "./crypto.ts";
export * from "./audit.ts";
export * from "./hot-path.ts";
export * from "./deps.ts";
export * from "./identity/index.ts";
export * from "./outbox.ts";
export * from "./jobs.ts";
export * from "./seed.ts";
export * from "./telegram-webapp.ts";
export * from "./preferences.ts";
export * from "./clearances/index.ts";
export * from "./reports/index.ts";
export * from "./knowledge/index.ts";
export * from "./media/images.ts";
export * from "./worker-stream.ts";
export * from "./quiz/index.ts";
export * from "./tips/index.ts";
export * from "./oversight/index.ts";
export * from "./targets/index.ts";
export * from "./storage/files.ts";
