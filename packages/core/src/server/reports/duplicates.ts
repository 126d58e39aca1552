import { z } from "zod";
import { t } from "../../domain/i18n.ts";
import { cstDate } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { fieldSchema } from "../../domain/reports/fields.ts";
import { mayFileReport } from "../../domain/reports/registry.ts";
import { FindDuplicatesSchema, type PossibleDuplicate } from "../../domain/reports/duplicates.ts";
import type { EventReportType } from "../../domain/reports/report-types.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { localeOf, toViews, typeForReporter, type ReportOptions } from "./common.ts";

export type { PossibleDuplicate } from "../../domain/reports/duplicates.ts";

/**
 * "Already reported by …, add to it?": earlier reports with the same duplicate key. Needs only the
 * type's `dupFields` (a form asks as soon as those are filled). Returns [] while those fields are
 * incomplete or invalid.
 * - only those who may file this type may ask (403 otherwise): reporters whose unit files it, and a
 *   checker for the vehicle report a failed check authorises (`mayFileReport`). The answer tells
 *   whether an ID number is a landlord somewhere, which is no business of anyone else;
 * - another unit's report shows who and when, never its contents; the caller's own unit's shows its
 *   summary, masked unless the caller filed it (`disclosureFor`).
 */
export async function findPossibleDuplicates(
  deps: Deps,
  actor: Actor | null,
  input: unknown,
  opts?: ReportOptions,
): Promise<PossibleDuplicate[]> {
  requireRole(actor, "reporter", "checker");
  const locale = localeOf(opts);
  const body = parseInput(FindDuplicatesSchema, input, locale);
  if (!body.ok) throw new AppError("invalid_input", { fields: body.fields });
  const type = typeForReporter(actor, body.data.type, locale);
  if (mayFileReport(actor, type) === null) throw new AppError("forbidden", { reason: "role_required" });
  if (type.kind !== "event") return [];
  const event = type as EventReportType<Record<string, unknown>>;
  const fields = event.fields.filter((f) => event.dupFields.includes(f.name));
  const raw: Record<string, unknown> = {};
  for (const f of fields) {
    let v = body.data.data[f.name];
    // Years arrive as an array from forms, or as "2025,2026" typed text.
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
  const views = await toViews(deps, rows, actor);
  const unitIdOf = new Map(rows.map((r) => [r.id, r.unitId]));
  return views.map((v) => {
    const open = unitIdOf.get(v.id) === actor.unitId;
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
