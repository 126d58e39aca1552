import { z } from "zod";
import { t } from "../../domain/i18n.ts";
import { formatCst, cstDate, cstStartOfDay } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { fieldSchema } from "../../domain/reports/fields.ts";
import type { EventReportType } from "../../domain/reports/field-types.ts";
import {
  getReportType,
  ReportQuerySchema,
  ReviewReportSchema,
  SubmitReportSchema,
  validateReportData,
  type ReportQuery,
} from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity.ts";
import { writeAudit } from "../audit.ts";
import { enqueueMessage } from "../outbox.ts";
import type { Actor } from "../hot-path.ts";
import type { Deps } from "../deps.ts";
import type { Prisma } from "../db.ts";
import {
  isUniqueViolation,
  localeOf,
  prefixFields,
  rulesOf,
  toViews,
  typeForReporter,
  type ReportOptions,
  type ReportView,
} from "./common.ts";

const withPhotos = { _count: { select: { photos: true } } } as const;

async function viewById(deps: Deps, id: string): Promise<ReportView> {
  const row = await deps.db.prisma.report.findUniqueOrThrow({ where: { id }, include: withPhotos });
  return (await toViews(deps, [row]))[0]!;
}

/** The report a user already filed under a clientId (the idempotent retry), or null. */
async function existingByClientId(deps: Deps, userId: string, clientId: string): Promise<ReportView | null> {
  const row = await deps.db.prisma.report.findUnique({ where: { userId_clientId: { userId, clientId } }, include: withPhotos });
  return row ? (await toViews(deps, [row]))[0]! : null;
}

function showStartedError(deps: Deps, opts: ReportOptions | undefined, startsAt: Date): AppError {
  const locale = localeOf(opts);
  const params = { startsAt: formatCst(startsAt) };
  return new AppError("invalid_input", {
    reason: "show_started",
    messageKey: "report-show-started",
    params,
    fields: { "data.startsAt": t(locale, "report-show-started", params) },
  });
}

/**
 * Files a single-fact report (rental, performance, vehicle_no_clearance) for the actor's unit.
 * - reporters only, and only types their unit files (403 otherwise);
 * - `data` is validated and normalised with the type's shared schema (400 with per-field messages);
 * - the same `clientId` again returns the first report (`created: false`), never a second one;
 * - a filing after the deadline of a type that refuses late filings (a show that has started) is
 *   refused AND recorded as overdue against the unit (RefusedReport), so oversight can count it;
 * - a report with the dupKey of an earlier one is stored but flagged `possibleDuplicateOf`.
 * The report and its audit row are written in one transaction.
 */
export async function submitReport(
  deps: Deps,
  actor: Actor | null,
  input: unknown,
  opts?: ReportOptions,
): Promise<{ created: boolean; report: ReportView }> {
  requireRole(actor, "reporter");
  const locale = localeOf(opts);
  const body = parseInput(SubmitReportSchema, input, locale);
  if (!body.ok) throw new AppError("invalid_input", { fields: body.fields });
  const { type: code, clientId, data } = body.data;

  const existing = await existingByClientId(deps, actor.userId, clientId);
  if (existing) return { created: false, report: existing };

  const type = typeForReporter(actor, code, locale);
  if (type.kind !== "event") {
    throw new AppError("invalid_input", { reason: "type_is_feed", fields: { type: t(locale, "report-type-is-feed", { type: t(locale, type.titleKey) }) } });
  }
  const now = deps.clock.now();
  const parsed = validateReportData(type, data, now, locale);
  if (!parsed.ok) {
    await writeAudit(deps.db.prisma, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "report.submit", subject: code, result: "invalid" });
    throw new AppError("invalid_input", { fields: prefixFields("data", parsed.fields) });
  }
  const value = parsed.data as Record<string, unknown>;
  const { timeliness, dueAt } = type.deadline(value, now, rulesOf(opts));
  const summary = type.summary(value);

  if (timeliness === "overdue" && type.refuseWhenOverdue) {
    // Recorded once per clientId; a retry of the refused draft is refused again without a second record.
    await deps.db.prisma.$transaction(async (tx) => {
      const prior = await tx.refusedReport.findUnique({ where: { userId_clientId: { userId: actor.userId, clientId } } });
      if (prior) return;
      await tx.refusedReport.create({
        data: { type: type.code, unitId: actor.unitId, userId: actor.userId, clientId, reason: "show_started", summary, dueAt, at: now },
      });
      await writeAudit(tx, deps.clock, {
        userId: actor.userId,
        unitId: actor.unitId,
        action: "report.submit",
        subject: type.code,
        result: "refused_overdue",
      });
    });
    throw showStartedError(deps, opts, new Date(String(value.startsAt)));
  }

  const dupKey = type.dupKey(value);
  try {
    const created = await deps.db.prisma.$transaction(async (tx) => {
      const earlier = await tx.report.findFirst({
        where: { dupKey, type: type.code, status: { not: "returned" } },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      });
      const report = await tx.report.create({
        data: {
          type: type.code,
          unitId: actor.unitId,
          userId: actor.userId,
          clientId,
          data: JSON.stringify(value),
          summary,
          dupKey,
          duplicateOfId: earlier?.id ?? null,
          timeliness,
          dueAt,
          createdAt: now,
        },
      });
      await writeAudit(tx, deps.clock, {
        userId: actor.userId,
        unitId: actor.unitId,
        action: "report.submit",
        subject: report.id,
        result: "ok",
        detail: { type: type.code, timeliness, duplicate: earlier ? earlier.id : null },
      });
      return report;
    });
    // Built from what we already hold: the accept path stays at one read and one transaction.
    const report: ReportView = {
      id: created.id,
      type: created.type,
      status: "submitted",
      timeliness,
      unit: { code: actor.unit.code, name: actor.unit.name },
      reporter: actor.name,
      summary,
      data: value,
      period: null,
      nil: false,
      rowCount: 0,
      possibleDuplicateOf: created.duplicateOfId,
      dueAt: dueAt?.toISOString() ?? null,
      createdAt: created.createdAt.toISOString(),
      reviewedAt: null,
      reviewComment: null,
      photos: 0,
    };
    return { created: true, report };
  } catch (e) {
    if (isUniqueViolation(e)) {
      const again = await existingByClientId(deps, actor.userId, clientId);
      if (again) return { created: false, report: again };
    }
    throw e;
  }
}

/** An earlier report of the same fact, as shown to a reporter before submitting. */
export interface PossibleDuplicate {
  id: string;
  unit: { code: string; name: string };
  /** only for the reporter's own unit and for tax officers */
  summary: string | null;
  status: string;
  createdAt: string;
  /** "幸福镇东村村委会 已于 2026-11-20 报送过相同的内容：…" in the caller's language */
  message: string;
}

/**
 * "Already reported by …, add to it?": earlier reports with the same duplicate key. Needs only the
 * type's `dupFields` (a form asks as soon as those are filled); query strings are accepted for
 * years (`2025,2026`). Returns [] while those fields are incomplete or invalid.
 */
export async function findPossibleDuplicates(
  deps: Deps,
  actor: Actor | null,
  input: { type: string; data: Record<string, unknown> },
  opts?: ReportOptions,
): Promise<PossibleDuplicate[]> {
  requireRole(actor, "reporter", "tax_officer");
  const locale = localeOf(opts);
  const type = getReportType(input.type);
  if (!type) throw new AppError("invalid_input", { reason: "unknown_type", fields: { type: t(locale, "report-type-unknown") } });
  if (type.kind !== "event") return [];
  const event = type as EventReportType<Record<string, unknown>>;
  const fields = event.fields.filter((f) => event.dupFields.includes(f.name));
  const raw: Record<string, unknown> = {};
  for (const f of fields) {
    let v = input.data[f.name];
    if (f.kind === "years" && typeof v === "string") v = v.split(/[,，\s]+/).filter(Boolean).map(Number);
    raw[f.name] = v;
  }
  const parsed = z.object(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)]))).safeParse(raw);
  if (!parsed.success) return [];
  const dupKey = event.dupKey(parsed.data);
  const rows = await deps.db.prisma.report.findMany({
    where: { dupKey, type: type.code, status: { not: "returned" } },
    orderBy: { createdAt: "asc" },
    take: 5,
  });
  const views = await toViews(deps, rows);
  // Another unit's report shows who and when, not its contents (tenant names stay with that unit).
  const unitIdOf = new Map(rows.map((r) => [r.id, r.unitId]));
  return views.map((v) => {
    const open = unitIdOf.get(v.id) === actor.unitId || actor.roles.includes("tax_officer");
    const params = { unit: v.unit.name, date: cstDate(new Date(v.createdAt)), summary: v.summary };
    return {
      id: v.id,
      unit: v.unit,
      summary: open ? v.summary : null,
      status: v.status,
      createdAt: v.createdAt,
      message: t(locale, open ? "report-possible-duplicate" : "report-possible-duplicate-other", params),
    };
  });
}

/** A reporter's own reports, newest first, with status and reviewer comments ("my reports"). */
/** The actor's own report filed under a clientId, or null: lets a front end answer a late second tap on "submit". */
export async function findMyReportByClientId(deps: Deps, actor: Actor | null, clientId: string): Promise<ReportView | null> {
  if (!actor || clientId.length > 64) return null;
  return existingByClientId(deps, actor.userId, clientId);
}

export async function listMyReports(deps: Deps, actor: Actor | null, query: { limit?: number; cursor?: string } = {}): Promise<ReportView[]> {
  if (!actor) throw new AppError("unauthorized");
  const rows = await deps.db.prisma.report.findMany({
    where: { userId: actor.userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(query.limit ?? 50, 200),
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    include: withPhotos,
  });
  return toViews(deps, rows);
}

/** The Prisma filter for report queries (inbox, export). Periods of single facts are CST months of filing. */
export async function reportWhere(deps: Deps, q: ReportQuery): Promise<Prisma.ReportWhereInput> {
  const where: Prisma.ReportWhereInput = {};
  if (q.type) where.type = q.type;
  if (q.status) where.status = q.status;
  if (q.unit) {
    const unit = await deps.db.prisma.unit.findUnique({ where: { code: q.unit }, select: { id: true } });
    where.unitId = unit?.id ?? "-";
  }
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
 * The tax officer's inbox: reports filtered by type, unit, status and period, newest first,
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
  return toViews(deps, rows);
}

/**
 * Accepts or returns a report (returning needs a reason). The status change, the audit row and
 * the bot message to the reporter (outbox) commit together; a report is reviewed once (409 after).
 */
export async function reviewReport(
  deps: Deps,
  actor: Actor | null,
  id: string,
  input: unknown,
  opts?: ReportOptions,
): Promise<ReportView> {
  requireRole(actor, "tax_officer");
  const locale = localeOf(opts);
  const parsed = parseInput(ReviewReportSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const { decision, comment } = parsed.data;
  const report = await deps.db.prisma.report.findUnique({ where: { id } });
  if (!report) throw new AppError("not_found", { reason: "report_not_found" });
  const now = deps.clock.now();
  const status = decision === "accept" ? "accepted" : "returned";
  await deps.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.report.updateMany({
      where: { id, status: "submitted" },
      data: { status, reviewedAt: now, reviewerId: actor.userId, reviewComment: comment || null },
    });
    if (count === 0) throw new AppError("conflict", { reason: "already_reviewed", messageKey: "report-already-reviewed" });
    const type = getReportType(report.type);
    await enqueueMessage(tx, {
      userId: report.userId,
      now,
      dedupeKey: `review:${id}`,
      payload: {
        key: decision === "accept" ? "report-accepted-notice" : "report-returned-notice",
        params: { type: report.type, summary: report.summary, comment: comment ?? "" },
        ...(type ? { keyParams: { type: type.titleKey } } : {}),
      },
    });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: `report.${decision}`, subject: id, result: "ok" });
  });
  return viewById(deps, id);
}

/** One report, for its reporter, anyone of their unit, or a tax officer / coordinator. */
export async function getReport(deps: Deps, actor: Actor | null, id: string): Promise<ReportView> {
  if (!actor) throw new AppError("unauthorized");
  const row = await deps.db.prisma.report.findUnique({ where: { id }, include: withPhotos });
  const allowed = row && (row.unitId === actor.unitId || actor.roles.includes("tax_officer") || actor.roles.includes("coordinator"));
  if (!row || !allowed) throw new AppError("not_found", { reason: "report_not_found" });
  return (await toViews(deps, [row]))[0]!;
}
