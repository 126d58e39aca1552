import { normalizeProse } from "../../domain/text.ts";
import { requireRole, type Principal } from "./actor.ts";
import type { Deps } from "../deps.ts";

/** A person as the back office picks them in a filter: by name, with their unit; the id stays internal. */
export interface PersonOption {
  id: string;
  name: string;
  unit: { code: string; name: string };
}

/**
 * People whose name (or unit name) contains the query, for the filters of the review inbox and the
 * check log, which pick people by name. Tax officers, coordinators and admins. At most 20, by name.
 */
export async function searchPeople(deps: Deps, actor: Principal | null, input: { q?: string; unit?: string } = {}): Promise<PersonOption[]> {
  requireRole(actor, "tax_officer", "coordinator", "admin");
  const q = normalizeProse(input.q ?? "").slice(0, 40);
  const users = await deps.db.prisma.user.findMany({
    where: {
      ...(q ? { OR: [{ name: { contains: q } }, { unit: { name: { contains: q } } }] } : {}),
      ...(input.unit ? { unit: { code: input.unit } } : {}),
    },
    include: { unit: { select: { code: true, name: true } } },
    orderBy: { name: "asc" },
    take: 20,
  });
  return users.map((u) => ({ id: u.id, name: u.name, unit: { code: u.unit.code, name: u.unit.name } }));
}
