import type { Role, UnitType, UserView } from "../../domain/units.ts";
import { AppError } from "../errors.ts";

/** Who is behind a request: what every use-case receives and checks roles and unit against. */
export interface Actor {
  userId: string;
  name: string;
  unitId: string;
  unit: { code: string; name: string; type: UnitType };
  roles: Role[];
}

/**
 * The trusted local operator: the admin CLI and `npm start`'s seeding, which run with access to the
 * database file anyway. It is a value of its own so that `null` (nobody signed in) can never pass as
 * trusted: use-cases that accept the operator say so in their signature (`Actor | SystemActor`), and
 * `requireRole` lets it through; everything else takes `Actor | null` and answers null with 401.
 * Audit rows written for it carry no user id and `by: "system:<label>"` in their detail.
 */
export interface SystemActor {
  readonly kind: "system";
  /** what runs as the operator: "cli", "seed" ... (audited) */
  readonly label: string;
}

/** Anyone a use-case can act for: a signed-in user or the local operator. */
export type Principal = Actor | SystemActor;

/** The operator of the CLI or of the seed step. Only composition roots that own the database call this. */
export function systemActor(label: "cli" | "seed" | "test" = "cli"): SystemActor {
  return Object.freeze({ kind: "system", label });
}

/** True for the local operator (never for null or a user). */
export function isSystemActor(principal: unknown): principal is SystemActor {
  return typeof principal === "object" && principal !== null && (principal as { kind?: unknown }).kind === "system";
}

/**
 * Throws 401 for nobody, 403 unless a user holds one of the roles; the local operator passes. Every
 * use-case calls this (or a stricter check) first.
 */
export function requireRole(actor: Principal | null | undefined, ...roles: Role[]): asserts actor is Principal {
  if (!actor) throw new AppError("unauthorized");
  if (isSystemActor(actor)) return;
  if (!roles.some((r) => actor.roles.includes(r))) throw new AppError("forbidden", { reason: "role_required" });
}

/** Throws 401 for nobody and for the operator: for use-cases that need a person (a check, a report). */
export function requireUser(actor: Principal | null | undefined): asserts actor is Actor {
  if (!actor || isSystemActor(actor)) throw new AppError("unauthorized");
}

/** The audit columns of a principal: the user and unit, or none for the operator. */
export function auditWho(actor: Principal): { userId: string | null; unitId: string | null } {
  return isSystemActor(actor) ? { userId: null, unitId: null } : { userId: actor.userId, unitId: actor.unitId };
}

/** Converts an actor to the public user view of the API contract. */
export function toUserView(actor: Actor): UserView {
  return { id: actor.userId, name: actor.name, unit: actor.unit, roles: actor.roles };
}
