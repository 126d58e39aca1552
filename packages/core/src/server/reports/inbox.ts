import { cstStartOfDay } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { getReportType, ReportQuerySchema, type ReportQuery } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import type { Prisma } from "../db.ts";
import { localeOf, toViews, withPhotos, type ReportOptions, type ReportView } from "./common.ts";

/** The Prisma filter for report queries (inbox, export). Periods of single facts are CST months of filing. */
export async function reportWhere(deps: Deps, q: ReportQuery): Promise<Prisma.ReportWhereInput> {
  const where: Prisma.ReportWhereInput = {};
  if (q.type) where.type = q.type;
  if (q.status) where.status = q.status;
  if (q.unit) {
    const unit = await deps.db.prisma.unit.findUnique({ where: { code: q.unit }, select: { id: true } });
    where.unitId = unit?.id ?? "-";
  }
  if (q.reporter) where.userId = q.reporter;
  if (q.period) {
    const type = q.type ? getReportType(q.type) : undefined;
    const [y, m] = q.period.split("-").map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
    const byMonth = { createdAt: { gte: cstStartOfDay(`${q.period}-01`), lt: cstStartOfDay(`${next}-01`) } };
    if (type?.kind === "feed") where.period = q.period;
    else if (type?.kind === "event") Object.assign(where, byMonth);
    else where.OR = [{ period: q.period }, { period: null, ...byMonth }];
  }
  return where;
}

/**
 * The tax officer's inbox: reports filtered by type, unit, reporter, status and period, newest first,
 * each with `possibleDuplicateOf` so duplicates stand out. Cursor = the last id of the previous page.
 */
export async function reviewInbox(deps: Deps, actor: Actor | null, query: unknown = {}, opts?: ReportOptions): Promise<ReportView[]> {
  requireRole(actor, "tax_officer");
  const q = parseInput(ReportQuerySchema, query, localeOf(opts));
  if (!q.ok) throw new AppError("invalid_input", { fields: q.fields });
  const rows = await deps.db.prisma.report.findMany({
    where: await reportWhere(deps, q.data),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.data.limit ?? 50,
    ...(q.data.cursor ? { cursor: { id: q.data.cursor }, skip: 1 } : {}),
    include: withPhotos,
  });
  return toViews(deps, rows, actor);
}

