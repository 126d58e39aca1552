import { parseInput } from "../../domain/validation.ts";
import { getReportType, ReviewReportSchema } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import { writeAudit } from "../audit.ts";
import { enqueueMessage } from "../outbox.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { localeOf, viewById, type ReportOptions, type ReportView } from "./common.ts";

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

