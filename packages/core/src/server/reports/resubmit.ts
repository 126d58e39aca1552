import { t } from "../../domain/i18n.ts";
import { formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { getReportType, mayFileReport, ResubmitReportSchema, validateReportData } from "../../domain/reports/registry.ts";
import type { EventReportType } from "../../domain/reports/report-types.ts";
import { AppError } from "../errors.ts";
import { requireUser } from "../identity/actor.ts";
import { writeAudit } from "../audit.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { localeOf, prefixFields, rulesOf, viewById, type ReportOptions, type ReportView } from "./common.ts";

/** The report this user corrected under `clientId` (a retry of a resubmission), or null. */
async function correctionByClientId(deps: Deps, reportId: string, userId: string, clientId: string): Promise<ReportView | null> {
  const current = await deps.db.prisma.report.findFirst({ where: { id: reportId, userId, versionClientId: clientId }, select: { id: true } });
  if (current) return viewById(deps, reportId);
  const earlier = await deps.db.prisma.reportVersion.findFirst({ where: { reportId, clientId, report: { userId } }, select: { id: true } });
  return earlier ? viewById(deps, reportId) : null;
}

/**
 * Files the correction of a returned report as a NEW VERSION of the same report (same id), for
 * the user who filed it. What must stay true:
 * - only the author, only while the report is `returned`, only single-fact types (feeds are
 *   re-filed by upload); the author must still be allowed to file the type from their unit;
 * - `data` is validated exactly like a first filing (400 with `data.*` messages, nothing written);
 * - the version replaced is kept whole in ReportVersion (data, summary, the review that returned
 *   it), and the report goes back to `submitted` with the review fields cleared, in ONE transaction
 *   with its audit row; timeliness is measured against the ORIGINAL filing time (a correction the
 *   reviewer asked for does not make a report late);
 * - idempotent by `clientId`: the same clientId again returns the same version (`created: false`),
 *   also when retries race; two different corrections racing: one wins, the other gets 409.
 */
export async function resubmitReport(
  deps: Deps,
  actor: Actor | null,
  reportId: string,
  input: unknown,
  opts?: ReportOptions,
): Promise<{ created: boolean; report: ReportView }> {
  requireUser(actor);
  const locale = localeOf(opts);
  const body = parseInput(ResubmitReportSchema, input, locale);
  if (!body.ok) throw new AppError("invalid_input", { fields: body.fields });
  const { clientId, data } = body.data;

  const row = await deps.db.prisma.report.findUnique({ where: { id: reportId } });
  if (!row || row.userId !== actor.userId) throw new AppError("not_found", { reason: "report_not_found" });
  const retry = await correctionByClientId(deps, reportId, actor.userId, clientId);
  if (retry) return { created: false, report: retry };
  if (row.clientId === clientId) throw new AppError("conflict", { reason: "client_id_used", messageKey: "report-fix-client-id-used" });

  const type = getReportType(row.type);
  if (!type || type.kind !== "event") {
    throw new AppError("invalid_input", { reason: "type_is_feed", messageKey: "report-fix-feed", fields: { type: t(locale, "report-fix-feed") } });
  }
  if (row.status !== "returned") throw new AppError("conflict", { reason: "not_returned", messageKey: "report-fix-not-returned" });
  const authority = mayFileReport(actor, type);
  if (authority === null) throw new AppError("forbidden", { reason: "role_required" });
  if (!type.unitTypes.includes(actor.unit.type)) {
    throw new AppError("forbidden", { reason: "type_not_allowed", messageKey: "report-type-not-allowed", params: { type: t(locale, type.titleKey) } });
  }

  const event = type as EventReportType<Record<string, unknown>>;
  const now = deps.clock.now();
  const parsed = validateReportData(event, data, now, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: prefixFields("data", parsed.fields) });
  const value = parsed.data;
  const { timeliness, dueAt } = event.deadline(value, row.createdAt, rulesOf(opts));
  if (timeliness === "overdue" && event.refuseWhenOverdue) {
    const params = { startsAt: formatCst(new Date(String(value.startsAt))) };
    throw new AppError("invalid_input", {
      reason: "show_started",
      messageKey: "report-show-started",
      params,
      fields: { "data.startsAt": t(locale, "report-show-started", params) },
    });
  }
  const summary = event.summary(value);
  const dupKey = event.dupKey(value);

  const won = await deps.db.prisma.$transaction(async (tx) => {
    const earlier = await tx.report.findFirst({
      where: { dupKey, type: type.code, status: { not: "returned" }, id: { not: reportId } },
      orderBy: { createdAt: "asc" },
      select: { id: true },
    });
    // Optimistic: only the version that was returned can be replaced, once.
    const { count } = await tx.report.updateMany({
      where: { id: reportId, status: "returned", version: row.version },
      data: {
        data: JSON.stringify(value),
        summary,
        dupKey,
        duplicateOfId: earlier?.id ?? null,
        status: "submitted",
        timeliness,
        dueAt,
        version: row.version + 1,
        versionClientId: clientId,
        versionAt: now,
        reviewedAt: null,
        reviewerId: null,
        reviewComment: null,
        returnedFields: null,
      },
    });
    if (count === 0) return false;
    await tx.reportVersion.create({
      data: {
        reportId,
        version: row.version,
        clientId: row.versionClientId ?? row.clientId,
        data: row.data,
        summary: row.summary,
        status: row.status,
        submittedAt: row.versionAt ?? row.createdAt,
        reviewedAt: row.reviewedAt,
        reviewerId: row.reviewerId,
        reviewComment: row.reviewComment,
        returnedFields: row.returnedFields,
        createdAt: now,
      },
    });
    await writeAudit(tx, deps.clock, {
      userId: actor.userId,
      unitId: actor.unitId,
      action: "report.resubmit",
      subject: reportId,
      result: "ok",
      detail: { type: type.code, version: row.version + 1, timeliness },
    });
    return true;
  });
  if (won) return { created: true, report: await viewById(deps, reportId) };
  // Lost a race: a retry of the same correction returns it; a different one is a conflict.
  const again = await correctionByClientId(deps, reportId, actor.userId, clientId);
  if (again) return { created: false, report: again };
  throw new AppError("conflict", { reason: "not_returned", messageKey: "report-fix-not-returned" });
}

/**
 * The author's own report as a correction starts from it (the bot's 修改后重新提交): type, current
 * answers, version, status, and the reviewer's reason and named fields. 404 for anyone else, so a
 * forwarded button reveals nothing.
 */
export async function reportForCorrection(deps: Deps, actor: Actor | null, reportId: string): Promise<ReportView> {
  requireUser(actor);
  const row = await deps.db.prisma.report.findUnique({ where: { id: reportId }, select: { userId: true } });
  if (!row || row.userId !== actor.userId) throw new AppError("not_found", { reason: "report_not_found" });
  return viewById(deps, reportId);
}
