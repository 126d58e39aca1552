// The identity pieces the knowledge use-cases need, imported in one place.
export { isSystemActor, requireRole, systemActor, type Actor, type Principal } from "../identity/actor.ts";
