import type { UnitType } from "../../domain/units.ts";
import type { Deps } from "../deps.ts";

/** Units for `units list` and pickers. */
export async function listUnits(deps: Deps): Promise<{ code: string; name: string; type: UnitType; parent: string | null }[]> {
  const units = await deps.db.prisma.unit.findMany({ include: { parent: true }, orderBy: { code: "asc" } });
  return units.map((u) => ({ code: u.code, name: u.name, type: u.type as UnitType, parent: u.parent?.code ?? null }));
}
