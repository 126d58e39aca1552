// Report use-cases: submit, duplicates, inbox and review, feeds (upload, 本期无, missing, reminders), photos, export.
export * from "./common.ts";
export * from "./submit.ts";
export * from "./duplicates.ts";
export * from "./mine.ts";
export * from "./inbox.ts";
export * from "./review.ts";
export * from "./get-report.ts";
export * from "./feed-file.ts";
export * from "./feeds.ts";
export * from "./feed-status.ts";
export * from "./photos.ts";
export * from "./export.ts";
export * from "./oversight.ts";
export * from "./feed-store.ts";
export * from "./reminders.ts";
export * from "./resubmit.ts";
export * from "./vehicle-draft.ts";
