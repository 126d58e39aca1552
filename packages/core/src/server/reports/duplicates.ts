import { z } from "zod";
import { t } from "../../domain/i18n.ts";
import { cstDate } from "../../domain/time.ts";
import { fieldSchema } from "../../domain/reports/fields.ts";
import type { EventReportType } from "../../domain/reports/report-types.ts";
import { getReportType } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { localeOf, toViews, type ReportOptions } from "./common.ts";

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
  requireRole(actor, "reporter", "checker", "tax_officer");
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

