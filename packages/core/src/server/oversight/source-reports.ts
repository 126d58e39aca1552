import { missingFeeds } from "../reports/feeds.ts";
import { bump, type FigureSource, type UnitCounts } from "./sources.ts";

/**
 * Reports on time / late / overdue, missing periodic feeds and refused after-the-fact filings. Single
 * facts count in the period they were filed in, feeds in the period they cover (as the monthly
 * timeliness view always did). A feed still missing after its due day counts as missing AND overdue;
 * a refused filing is shown, never counted as overdue.
 */
export const reportFigures: FigureSource = {
  name: "reports",
  keys: ["onTime", "late", "overdue", "missingFeeds", "refused"],
  async collect({ deps, actor, period, range }) {
    const counts: UnitCounts = new Map();
    const [grouped, refused] = await Promise.all([
      deps.db.prisma.report.groupBy({
        by: ["unitId", "timeliness"],
        where: { OR: [{ period: { in: period.months } }, { period: null, createdAt: range }] },
        _count: { _all: true },
      }),
      deps.db.prisma.refusedReport.groupBy({ by: ["unitId"], where: { at: range }, _count: { _all: true } }),
    ]);
    for (const g of grouped) bump(counts, g.unitId, g.timeliness === "on_time" ? "onTime" : g.timeliness === "late" ? "late" : "overdue", g._count._all);
    for (const g of refused) bump(counts, g.unitId, "refused", g._count._all);
    const units = new Map((await deps.db.prisma.unit.findMany({ select: { id: true, code: true } })).map((u) => [u.code, u.id]));
    for (const month of period.months) {
      for (const m of await missingFeeds(deps, actor, month)) {
        const id = m.overdue ? units.get(m.unit.code) : undefined;
        if (!id) continue;
        bump(counts, id, "missingFeeds", 1);
        bump(counts, id, "overdue", 1);
      }
    }
    return counts;
  },
};

/**
 * Review outcomes decided in the period: accepted, and returned for correction. A report returned and
 * then accepted after correction counts once each way (the returned version is kept in ReportVersion),
 * which is what accuracy means for the evaluation: how often a unit's filing had to go back.
 */
export const reviewFigures: FigureSource = {
  name: "reviews",
  keys: ["accepted", "returned"],
  async collect({ deps, range }) {
    const counts: UnitCounts = new Map();
    const [current, versions] = await Promise.all([
      deps.db.prisma.report.groupBy({ by: ["unitId", "status"], where: { status: { in: ["accepted", "returned"] }, reviewedAt: range }, _count: { _all: true } }),
      deps.db.prisma.reportVersion.findMany({ where: { status: "returned", reviewedAt: range }, select: { report: { select: { unitId: true } } } }),
    ]);
    for (const g of current) bump(counts, g.unitId, g.status === "accepted" ? "accepted" : "returned", g._count._all);
    for (const v of versions) bump(counts, v.report.unitId, "returned", 1);
    return counts;
  },
};
