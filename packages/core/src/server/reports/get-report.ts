import { AppError } from "../errors.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { toViews, withPhotos, type ReportView } from "./common.ts";

/** One report, for its reporter, anyone of their unit, or a tax officer / coordinator; ID numbers and names as `disclosureFor` allows. */
export async function getReport(deps: Deps, actor: Actor | null, id: string): Promise<ReportView> {
  if (!actor) throw new AppError("unauthorized");
  const row = await deps.db.prisma.report.findUnique({ where: { id }, include: withPhotos });
  const allowed = row && (row.unitId === actor.unitId || actor.roles.includes("tax_officer") || actor.roles.includes("coordinator"));
  if (!row || !allowed) throw new AppError("not_found", { reason: "report_not_found" });
  return (await toViews(deps, [row], actor))[0]!;
}
