import { t } from "../../domain/i18n.ts";
import { formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { FAILED_CHECK_AUTHORITY, FAILED_CHECK_WINDOW_MS, mayFileReport, SubmitReportSchema, validateReportData } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireUser } from "../identity/actor.ts";
import { writeAudit } from "../audit.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import {
  existingByClientId,
  isUniqueViolation,
  localeOf,
  prefixFields,
  rulesOf,
  typeForReporter,
  type ReportOptions,
  type ReportView,
} from "./common.ts";
import { findFailedCheck } from "./vehicle-draft.ts";

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
 * - reporters, and only types their unit files (403 otherwise); a checker without the reporter
 *   role may file the vehicle report of their OWN failed check of that plate within
 *   FAILED_CHECK_WINDOW_MS (found in the audit log the check wrote, never taken from the client;
 *   403 `no_failed_check` otherwise), reporting only years that check found missing; the report
 *   keeps the check's audit id (sourceCheckId);
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
  requireUser(actor);
  if (!actor.roles.includes("reporter") && !Object.values(FAILED_CHECK_AUTHORITY).some((a) => actor.roles.includes(a.role))) {
    throw new AppError("forbidden", { reason: "role_required" });
  }
  const locale = localeOf(opts);
  const body = parseInput(SubmitReportSchema, input, locale);
  if (!body.ok) throw new AppError("invalid_input", { fields: body.fields });
  const { type: code, clientId, data } = body.data;

  const existing = await existingByClientId(deps, actor.userId, clientId);
  if (existing) return { created: false, report: existing };

  const type = typeForReporter(actor, code, locale);
  const authority = mayFileReport(actor, type);
  if (authority === null) throw new AppError("forbidden", { reason: "role_required" });
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
  let sourceCheckId: number | null = null;
  if (authority === "failed_check") {
    const check = await findFailedCheck(deps, actor.userId, String(value.plate), now);
    if (!check) {
      await writeAudit(deps.db.prisma, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "report.submit", subject: code, result: "denied" });
      throw new AppError("forbidden", { reason: "no_failed_check", messageKey: "report-needs-failed-check", params: { hours: FAILED_CHECK_WINDOW_MS / 3_600_000 } });
    }
    const years = Array.isArray(value.missingYears) ? (value.missingYears as number[]) : [];
    const notMissing = years.filter((y) => !check.missingYears.includes(y));
    if (notMissing.length) {
      const params = { years: notMissing.join(locale === "en" ? ", " : "、") };
      throw new AppError("invalid_input", { reason: "years_not_in_check", fields: { "data.missingYears": t(locale, "report-years-not-in-check", params) } });
    }
    sourceCheckId = check.auditId;
  }
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
          sourceCheckId,
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
      version: 1,
      returnedFields: [],
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

