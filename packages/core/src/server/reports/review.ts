import { t, type MessageKey } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { getReportType, reportFields, ReviewReportSchema } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import { writeAudit } from "../audit.ts";
import { enqueueMessage } from "../outbox.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { localeOf, viewById, type ReportOptions, type ReportView } from "./common.ts";

/**
 * Accepts or returns a report (returning needs a reason, and may name the fields concerned, which
 * must be fields of the report's type). The status change, the audit row and the bot message to
 * the reporter (outbox; a return offers 修改后重新提交 and names the fields in the reader's
 * language) commit together; a report is reviewed once per version (409 after).
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
  const type = getReportType(report.type);
  const specs = type ? reportFields(type) : [];
  const named = parsed.data.fields ?? [];
  if (named.some((f) => !specs.some((s) => s.name === f))) {
    throw new AppError("invalid_input", { fields: { fields: t(locale, "report-return-field-unknown") } });
  }
  const labels: MessageKey[] = specs.filter((s) => named.includes(s.name)).map((s) => s.labelKey);
  const now = deps.clock.now();
  const status = decision === "accept" ? "accepted" : "returned";
  await deps.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.report.updateMany({
      where: { id, status: "submitted" },
      data: {
        status,
        reviewedAt: now,
        reviewerId: actor.userId,
        reviewComment: comment || null,
        returnedFields: decision === "return" && named.length ? JSON.stringify(specs.filter((s) => named.includes(s.name)).map((s) => s.name)) : null,
      },
    });
    if (count === 0) throw new AppError("conflict", { reason: "already_reviewed", messageKey: "report-already-reviewed" });
    const returning = decision === "return";
    await enqueueMessage(tx, {
      userId: report.userId,
      now,
      // One notice per decision on each version (a corrected report is reviewed again).
      dedupeKey: report.version > 1 ? `review:${id}:v${report.version}` : `review:${id}`,
      payload: {
        key: decision === "accept" ? "report-accepted-notice" : labels.length ? "report-returned-notice-fields" : "report-returned-notice",
        params: { type: report.type, summary: report.summary, comment: comment ?? "" },
        ...(type ? { keyParams: { type: type.titleKey } } : {}),
        ...(returning && labels.length ? { keyListParams: { fields: labels } } : {}),
        // The notice of a return offers 修改后重新提交 (the bot's report feature answers rpt:fix:<id>).
        ...(returning && type?.kind === "event" ? { buttons: [[{ key: "bot-report-fix-button" as const, data: `rpt:fix:${id}` }]] } : {}),
      },
    });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: `report.${decision}`, subject: id, result: "ok" });
  });
  return viewById(deps, id);
}

