import { CHECK_AUDIT_ACTION } from "../clearances/fast-store.ts";
import { bump, type FigureSource, type UnitCounts } from "./sources.ts";

/**
 * Clearance checks that reached the data (cleared or missing) by the checker's unit, from the audit
 * rows every check writes; `checksWithoutClearance` are those that found none. Refused attempts
 * (rate-limited, invalid, denied) are not checks done.
 */
export const checkFigures: FigureSource = {
  name: "checks",
  keys: ["checks", "checksWithoutClearance"],
  async collect({ deps, range }) {
    const counts: UnitCounts = new Map();
    const grouped = await deps.db.prisma.auditLog.groupBy({
      by: ["unitId", "result"],
      where: { action: CHECK_AUDIT_ACTION, result: { in: ["cleared", "missing"] }, unitId: { not: null }, at: range },
      _count: { _all: true },
    });
    for (const g of grouped) {
      bump(counts, g.unitId!, "checks", g._count._all);
      if (g.result === "missing") bump(counts, g.unitId!, "checksWithoutClearance", g._count._all);
    }
    return counts;
  },
};
