import { z } from "zod";

/**
 * Kinds of 单位 in a district. Villages (村委会) and communities (居委会) belong to a town (镇/街道).
 * Report rules and role defaults key off these codes, so they must never be renamed.
 */
export const UNIT_TYPES = [
  "town",
  "village",
  "community",
  "traffic_police",
  "venue",
  "culture_bureau",
  "land_bureau",
  "housing_bureau",
  "construction_bureau",
  "tax_bureau",
  "finance_bureau",
  "supervision_office",
  "market_regulation",
  "power_supply",
  "entrusted_collector",
  "other",
] as const;
/** Validates a unit type code. */
export const UnitTypeSchema = z.enum(UNIT_TYPES);
export type UnitType = z.infer<typeof UnitTypeSchema>;

/**
 * Roles a user holds in their unit. A user may hold several; every use-case checks them.
 * `admin` manages units and invites; `coordinator` is the finance bureau's oversight.
 */
export const ROLES = ["reporter", "checker", "tax_officer", "trainer", "tip_handler", "coordinator", "admin"] as const;
/** Validates a role code. */
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Unit codes are short, stable, ASCII identifiers used by the CLI and in exports. */
export const UnitCodeSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: "unit-code-format" });

/** The public view of a unit, as the API and the bot show it. */
export interface UnitView {
  code: string;
  name: string;
  type: UnitType;
}

/** The public view of a signed-in user (DESIGN.md contract for /auth/redeem and /me). */
export interface UserView {
  id: string;
  name: string;
  unit: UnitView;
  roles: Role[];
}

/** True when the user holds at least one of the given roles. */
export function hasRole(user: { roles: readonly string[] }, ...roles: Role[]): boolean {
  return roles.some((r) => user.roles.includes(r));
}

/**
 * The four jobs of the product and the pages around them (the roles the server checks for each). Front ends show an entry only when
 * `canUse` allows it, and the server checks the same roles again, so hiding is convenience, not security.
 */
export const FEATURES = {
  report: ["reporter"],
  check: ["checker"],
  learn: null,
  tip: null,
  review: ["tax_officer"],
  training: ["trainer"],
  tips_inbox: ["tip_handler"],
  oversight: ["coordinator"],
  clearance_import: ["tax_officer", "coordinator", "admin"],
  admin: ["admin"],
} as const satisfies Record<string, readonly Role[] | null>;
export type Feature = keyof typeof FEATURES;

/** Whether a user (or an anonymous visitor when `user` is null) may use a feature. */
export function canUse(user: { roles: readonly string[] } | null, feature: Feature): boolean {
  const roles = FEATURES[feature];
  if (roles === null) return true;
  return user !== null && hasRole(user, ...roles);
}
