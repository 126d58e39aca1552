import { cstStartOfDay } from "../../domain/time.ts";
import { duePeriod, nextPeriod, periodOf } from "../../domain/reports/feeds.ts";
import { requireRole } from "../identity/index.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { missingFeeds } from "./feeds.ts";

/** How one unit stood against its reporting duties in a period (the finance bureau's evaluation). */
export interface UnitTimeliness {
  unit: { code: string; name: string; type: string };
  onTime: number;
  late: number;
  /** duties missed: reports stored as overdue + feeds still missing after their due day */
  overdue: number;
  /** attempts to file after the fact (a show already started): shown, never counted as overdue */
  refused: number;
  missingFeeds: number;
}

/**
 * Per-unit counts for a period (YYYY-MM): reports filed on time and late (single facts by month of
 * filing, feeds by their period) and overdue missing feeds. An attempt that was refused (a show that
 * had started) is an attempt, not an overdue report: it is listed as `refused` (older databases hold
 * such rows) and not added to `overdue`. Units with nothing to count are left out. Coordinators,
 * tax officers and admins.
 */
export async function reportTimeliness(deps: Deps, actor: Actor | null, period: string): Promise<UnitTimeliness[]> {
  requireRole(actor, "coordinator", "tax_officer", "admin");
  const from = cstStartOfDay(`${period}-01`);
  const to = cstStartOfDay(`${nextPeriod(period)}-01`);
  const [grouped, refused, missing] = await Promise.all([
    deps.db.prisma.report.groupBy({
      by: ["unitId", "timeliness"],
      where: { OR: [{ period }, { period: null, createdAt: { gte: from, lt: to } }] },
      _count: { _all: true },
    }),
    deps.db.prisma.refusedReport.groupBy({ by: ["unitId"], where: { at: { gte: from, lt: to } }, _count: { _all: true } }),
    missingFeeds(deps, actor, period),
  ]);
  const units = await deps.db.prisma.unit.findMany({ select: { id: true, code: true, name: true, type: true } });
  const byId = new Map(units.map((u) => [u.id, u]));
  const byCode = new Map(units.map((u) => [u.code, u]));
  const rows = new Map<string, UnitTimeliness>();
  const row = (unitId: string) => {
    let r = rows.get(unitId);
    if (!r) {
      const u = byId.get(unitId);
      r = { unit: { code: u?.code ?? "", name: u?.name ?? "", type: u?.type ?? "" }, onTime: 0, late: 0, overdue: 0, refused: 0, missingFeeds: 0 };
      rows.set(unitId, r);
    }
    return r;
  };
  for (const g of grouped) {
    const r = row(g.unitId);
    if (g.timeliness === "on_time") r.onTime += g._count._all;
    else if (g.timeliness === "late") r.late += g._count._all;
    else r.overdue += g._count._all;
  }
  for (const g of refused) row(g.unitId).refused += g._count._all;
  for (const m of missing) {
    if (!m.overdue) continue;
    const u = byCode.get(m.unit.code);
    if (!u) continue;
    const r = row(u.id);
    r.missingFeeds++;
    r.overdue++;
  }
  return [...rows.values()].sort((a, b) => b.overdue - a.overdue || a.unit.code.localeCompare(b.unit.code));
}

/**
 * The period the oversight page opens on: the current month when reports have been filed in it,
 * otherwise the period being filed now (last month, duePeriod), so the page opens on numbers rather
 * than on an empty month. Coordinators, tax officers and admins.
 */
export async function defaultOversightPeriod(deps: Deps, actor: Actor | null): Promise<string> {
  requireRole(actor, "coordinator", "tax_officer", "admin");
  const now = deps.clock.now();
  const current = periodOf(now);
  const filed = await deps.db.prisma.report.count({ where: { createdAt: { gte: cstStartOfDay(`${current}-01`), lte: now } } });
  return filed > 0 ? current : duePeriod(now);
}
