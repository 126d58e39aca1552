// Identity: who is acting (users, the local operator), invites, sessions, link codes, units.
export * from "./actor.ts";
export * from "./invites.ts";
export * from "./sessions.ts";
export * from "./link-codes.ts";
export * from "./units.ts";
export * from "./people.ts";
export * from "./wechat.ts";
export * from "./attempts.ts";
