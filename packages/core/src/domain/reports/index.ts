// Report types: the registry, their field specs and schemas, deadline rules and feed templates.
export * from "./fields.ts";
export * from "./report-types.ts";
export * from "./feeds.ts";
export * from "./registry.ts";
export * from "./drafts.ts";
export * from "./read-answer.ts";
export * from "./answers.ts";
export * from "./masking.ts";
export * from "./duplicates.ts";
export * from "./vehicle.ts";
export * from "./versions.ts";
