// Escalation of overdue duties (feeds, meeting tasks, tip deadlines) and the quarterly accountability list (责任追究).
export * from "./duties.ts";
export * from "./escalate.ts";
export * from "./accountability.ts";
