import { z } from "zod";
import { normalizeProse } from "../text.ts";
import { UNIT_TYPES, UnitCodeSchema, UnitTypeSchema } from "../units.ts";
import { describeInput } from "../validation.ts";

/** Unit types whose units belong to a town (镇/街道): village and residents' committees. */
export const CHILD_UNIT_TYPES = ["village", "community"] as const;

/** True for a unit type that sits under a town. */
export function belongsToTown(type: string): boolean {
  return (CHILD_UNIT_TYPES as readonly string[]).includes(type);
}

/** A unit's name as an admin types it: prose (kept as typed), 2–60 characters. */
export const UnitNameSchema = describeInput(
  z.string().overwrite((v) => normalizeProse(v)).min(1).max(60),
  { kind: "text", labelKey: "fs-units-name" },
);

/**
 * `POST /api/v1/admin/units` and the admin page: a new unit. Committees name their town (`parent`,
 * a town's code); other units have none. `code` is optional: the server makes a stable one.
 */
export const CreateUnitSchema = z
  .strictObject({
    name: UnitNameSchema,
    type: describeInput(UnitTypeSchema.clone(), { kind: "choice", labelKey: "fs-units-type", options: UNIT_TYPES.map((u) => ({ value: u, labelKey: `unit-type-${u}` as const })) }),
    parent: describeInput(UnitCodeSchema.clone(), { kind: "choice", labelKey: "fs-units-parent" }).optional(),
    code: UnitCodeSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (belongsToTown(v.type) && !v.parent) ctx.addIssue({ code: "custom", path: ["parent"], message: "unit-parent-required" });
    if (!belongsToTown(v.type) && v.parent) ctx.addIssue({ code: "custom", path: ["parent"], message: "unit-parent-not-allowed" });
  });
export type CreateUnitInput = z.input<typeof CreateUnitSchema>;

/** `PATCH /api/v1/admin/units/:code`: rename, and move a committee to another town. */
export const UpdateUnitSchema = z.strictObject({
  name: UnitNameSchema.optional(),
  parent: describeInput(UnitCodeSchema.clone(), { kind: "choice", labelKey: "fs-units-move" }).optional(),
});
export type UpdateUnitInput = z.input<typeof UpdateUnitSchema>;
