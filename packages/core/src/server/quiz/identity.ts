// The identity pieces the quiz use-cases need, imported in one place.
export { isSystemActor, requireRole, requireUser, systemActor, type Actor, type Principal } from "../identity/actor.ts";
