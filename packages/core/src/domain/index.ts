// The isomorphic entry of @xieshui/core: zod schemas, rules and messages shared by the bot,
// the API and the mini-app. No Node imports here (lint-enforced).
export * from "./units.ts";
export * from "./time.ts";
export * from "./text.ts";
export * from "./codes.ts";
export * from "./i18n.ts";
export * from "./validation.ts";
export * from "./errors.ts";
export * from "./schemas/auth.ts";
export * from "./id-number.ts";
export * from "./plate.ts";
export * from "./vin.ts";
export * from "./mask.ts";
export * from "./clearance.ts";
export * from "./schemas/clearances.ts";
export * from "./schemas/units.ts";
export * from "./id-number-problem.ts";
export * from "./people.ts";
export * from "./reports/index.ts";
export * from "./knowledge/index.ts";
export * from "./sessions.ts";
export * from "./quiz/index.ts";
export * from "./tips/index.ts";
export * from "./oversight/index.ts";
export * from "./meetings/index.ts";
export * from "./entrusted/index.ts";
export * from "./targets/index.ts";
