import { bump, type FigureSource, type UnitCounts } from "./sources.ts";

/**
 * Tips assigned to a unit, by the CST day they were filed in the period, and of those the ones
 * concluded (closed or not accepted) by their conclusion deadline. Only the tip's unit, dates and
 * status are read: never its facts. Purged tips (past their retention) no longer count.
 */
export const tipFigures: FigureSource = {
  name: "tips",
  keys: ["tipsAssigned", "tipsHandledInTime"],
  async collect({ deps, period }) {
    const counts: UnitCounts = new Map();
    const tips = await deps.db.prisma.tip.findMany({
      where: { unitId: { not: null }, filedOn: { gte: period.from, lt: period.to } },
      select: { unitId: true, closedOn: true, concludeBy: true },
    });
    for (const tip of tips) {
      bump(counts, tip.unitId!, "tipsAssigned", 1);
      if (tip.closedOn !== null && tip.closedOn <= tip.concludeBy) bump(counts, tip.unitId!, "tipsHandledInTime", 1);
    }
    return counts;
  },
};

/**
 * Meeting tasks still open at the end of the period (or now, for the running period): assigned
 * before the period ended and not done by then. A task done later still counts as open in a period
 * that ended before it was done.
 */
export const taskFigures: FigureSource = {
  name: "tasks",
  keys: ["openTasks"],
  async collect({ deps, range }) {
    const counts: UnitCounts = new Map();
    const end = range.lt < deps.clock.now() ? range.lt : deps.clock.now();
    const grouped = await deps.db.prisma.meetingTask.groupBy({
      by: ["unitId"],
      where: { createdAt: { lt: end }, OR: [{ status: "open" }, { doneAt: { gte: end } }] },
      _count: { _all: true },
    });
    for (const g of grouped) bump(counts, g.unitId, "openTasks", g._count._all);
    return counts;
  },
};
