import { getReportType, reportFields, type AnyReportType } from "../../domain/reports/registry.ts";
import { maskFieldValue, type Disclosure } from "../../domain/reports/masking.ts";
import { diffReportData, type FieldChange } from "../../domain/reports/versions.ts";
import { AppError } from "../errors.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { disclosureFor, parseReturnedFields, toViews, withPhotos, type ReportView } from "./common.ts";

/** One version of a report in its history (the current one last): when, how it ended, the reviewer's words. */
export interface ReportVersionView {
  version: number;
  status: string;
  submittedAt: string;
  reviewedAt: string | null;
  reviewComment: string | null;
  returnedFields: string[];
}

/** A report with its history: every version, what changed from the previous one, and whether it is the caller's own. */
export interface ReportDetailView extends ReportView {
  /** true for the reporter who filed it (they may correct it when returned) */
  mine: boolean;
  /** versions oldest first, the current one last */
  versions: ReportVersionView[];
  /** fields that differ from the previous version ([] for version 1) */
  changes: FieldChange[];
}

/**
 * One report, for its reporter, anyone of their unit, or a tax officer / coordinator (404 for
 * everyone else, as if it did not exist); ID numbers and names as `disclosureFor` allows (in the
 * changes too). With the version history and the field-level changes
 * since the previous version, so a reviewer sees at once what a correction changed.
 */
export async function getReport(deps: Deps, actor: Actor | null, id: string): Promise<ReportDetailView> {
  if (!actor) throw new AppError("unauthorized");
  const row = await deps.db.prisma.report.findUnique({ where: { id }, include: withPhotos });
  const allowed = row && (row.unitId === actor.unitId || actor.roles.includes("tax_officer") || actor.roles.includes("coordinator"));
  if (!row || !allowed) throw new AppError("not_found", { reason: "report_not_found" });
  const view = (await toViews(deps, [row], actor))[0]!;
  const earlier = row.version > 1 ? await deps.db.prisma.reportVersion.findMany({ where: { reportId: id }, orderBy: { version: "asc" } }) : [];
  const versions: ReportVersionView[] = [
    ...earlier.map((v) => ({
      version: v.version,
      status: v.status,
      submittedAt: v.submittedAt.toISOString(),
      reviewedAt: v.reviewedAt?.toISOString() ?? null,
      reviewComment: v.reviewComment,
      returnedFields: parseReturnedFields(v.returnedFields),
    })),
    {
      version: view.version,
      status: view.status,
      submittedAt: (row.versionAt ?? row.createdAt).toISOString(),
      reviewedAt: view.reviewedAt,
      reviewComment: view.reviewComment,
      returnedFields: view.returnedFields,
    },
  ];
  const previous = earlier.at(-1);
  const type = getReportType(row.type);
  const changes = previous && type ? disclosedChanges(type, JSON.parse(previous.data) as Record<string, unknown>, JSON.parse(row.data) as Record<string, unknown>, disclosureFor(actor, row)) : [];
  return { ...view, mine: row.userId === actor.userId, versions, changes };
}

/** What changed between two versions, compared whole and shown as `disclosure` allows. */
function disclosedChanges(type: AnyReportType, before: Record<string, unknown>, after: Record<string, unknown>, disclosure: Disclosure): FieldChange[] {
  const fields = reportFields(type);
  const changes = diffReportData(fields, before, after);
  if (disclosure === "full") return changes;
  const spec = new Map(fields.map((f) => [f.name, f]));
  return changes.map((c) => {
    const f = spec.get(c.field);
    return f ? { field: c.field, before: c.before === null ? null : maskFieldValue(f, c.before), after: c.after === null ? null : maskFieldValue(f, c.after) } : c;
  });
}
