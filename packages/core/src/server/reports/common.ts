import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { DEFAULT_RULES, type ReportRulesConfig, type Timeliness } from "../../domain/reports/report-types.ts";
import { getReportType, type AnyReportType, type ReportStatus } from "../../domain/reports/registry.ts";
import { maskedSummary, maskReportData, type Disclosure } from "../../domain/reports/masking.ts";
import type { FieldErrors } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { isSystemActor, type Actor, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";

/** Options every report use-case accepts: the caller's language and the district's deadline rules. */
export interface ReportOptions {
  locale?: Locale;
  rules?: ReportRulesConfig;
}

export const localeOf = (o: ReportOptions | undefined): Locale => o?.locale ?? DEFAULT_LOCALE;
export const rulesOf = (o: ReportOptions | undefined): ReportRulesConfig => o?.rules ?? DEFAULT_RULES;

/** How a report looks to its reporter, the reviewer and the API. */
export interface ReportView {
  id: string;
  type: string;
  status: ReportStatus;
  timeliness: Timeliness;
  unit: { code: string; name: string };
  reporter: string;
  summary: string;
  data: Record<string, unknown>;
  period: string | null;
  nil: boolean;
  rowCount: number;
  possibleDuplicateOf: string | null;
  dueAt: string | null;
  createdAt: string;
  reviewedAt: string | null;
  reviewComment: string | null;
  photos: number;
  /** 1, or the number of the correction after a return (earlier versions: ReportVersion) */
  version: number;
  /** data keys the reviewer named when returning ([] when none) */
  returnedFields: string[];
}

/** The Report row shape the views are built from (with unit and reporter looked up). */
export interface ReportRow {
  id: string;
  type: string;
  unitId: string;
  userId: string;
  data: string;
  summary: string;
  duplicateOfId: string | null;
  status: string;
  timeliness: string;
  dueAt: Date | null;
  period: string | null;
  nil: boolean;
  rowCount: number;
  createdAt: Date;
  reviewedAt: Date | null;
  reviewComment: string | null;
  version?: number;
  returnedFields?: string | null;
  _count?: { photos: number };
}

/**
 * How much of a report's ID numbers and names a viewer sees (core/domain/mask.ts):
 * - `full` for the tax officer (they act on the report: verify the person, collect the tax), for the
 *   reporter who filed it (they typed it, and correct it when it is returned; seeing it again tells
 *   them nothing new), and for the local operator (CLI: it holds the database file anyway);
 * - `masked` for everyone else allowed to see the report: coordinators and admins (oversight needs
 *   counts and timeliness, not identities) and colleagues of the same unit.
 */
export function disclosureFor(viewer: Principal, report: { userId: string }): Disclosure {
  if (isSystemActor(viewer)) return "full";
  if (viewer.roles.includes("tax_officer") || viewer.userId === report.userId) return "full";
  return "masked";
}

/** The `data` and summary of one report as `disclosure` allows (masked: 4101**********0740, 张*). */
export function disclosedData(
  type: AnyReportType | undefined,
  data: Record<string, unknown>,
  summary: string,
  disclosure: Disclosure,
): { data: Record<string, unknown>; summary: string } {
  if (disclosure === "full" || !type) return { data, summary };
  const fields = type.kind === "event" ? type.fields : type.columns;
  return { data: maskReportData(fields, data), summary: maskedSummary(type, data, summary) };
}

/** Parses Report.returnedFields (a JSON array of data keys); anything else reads as none. */
export function parseReturnedFields(value: string | null | undefined): string[] {
  if (!value) return [];
  try {
    const list: unknown = JSON.parse(value);
    return Array.isArray(list) ? list.filter((f): f is string => typeof f === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Builds views, looking up units and reporters in two queries. Pass the `viewer` whenever the views
 * go to a person: their ID numbers and names are then masked as `disclosureFor` decides. Without a
 * viewer the values are whole (for use-cases that build a view for the reporter or the reviewer).
 */
export async function toViews(deps: Deps, rows: ReportRow[], viewer?: Principal): Promise<ReportView[]> {
  const unitIds = [...new Set(rows.map((r) => r.unitId))];
  const userIds = [...new Set(rows.map((r) => r.userId))];
  const [units, users] = await Promise.all([
    deps.db.prisma.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, code: true, name: true } }),
    deps.db.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
  ]);
  const unitById = new Map(units.map((u) => [u.id, { code: u.code, name: u.name }]));
  const userById = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => {
    const disclosure = viewer ? disclosureFor(viewer, r) : "full";
    const { data, summary } = disclosedData(getReportType(r.type), JSON.parse(r.data) as Record<string, unknown>, r.summary, disclosure);
    return {
      id: r.id,
      type: r.type,
      status: r.status as ReportStatus,
      timeliness: r.timeliness as Timeliness,
      unit: unitById.get(r.unitId) ?? { code: "", name: "" },
      reporter: userById.get(r.userId) ?? "",
      summary,
      data,
      period: r.period,
      nil: r.nil,
      rowCount: r.rowCount,
      possibleDuplicateOf: r.duplicateOfId,
      dueAt: r.dueAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      reviewedAt: r.reviewedAt?.toISOString() ?? null,
      reviewComment: r.reviewComment,
      photos: r._count?.photos ?? 0,
      version: r.version ?? 1,
      returnedFields: parseReturnedFields(r.returnedFields),
    };
  });
}

/** Prefixes field paths (`address` → `data.address`) so API clients can map errors to the body. */
export function prefixFields(prefix: string, fields: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k ? `${prefix}.${k}` : prefix, v]));
}

/** Resolves a type code for a reporter: 400 when unknown, 403 when their unit does not file it. */
export function typeForReporter(actor: Actor, code: string, locale: Locale, field = "type"): AnyReportType {
  const type = getReportType(code);
  if (!type) {
    throw new AppError("invalid_input", { reason: "unknown_type", fields: { [field]: t(locale, "report-type-unknown") } });
  }
  if (!type.unitTypes.includes(actor.unit.type)) {
    throw new AppError("forbidden", { reason: "type_not_allowed", messageKey: "report-type-not-allowed", params: { type: t(locale, type.titleKey) } });
  }
  return type;
}

/** True for Prisma's unique-constraint violation (two retries racing on the same clientId). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

/** Prisma include for the photo count every ReportView carries. */
export const withPhotos = { _count: { select: { photos: true } } } as const;

/** One report as a view (it must exist). */
export async function viewById(deps: Deps, id: string): Promise<ReportView> {
  const row = await deps.db.prisma.report.findUniqueOrThrow({ where: { id }, include: withPhotos });
  return (await toViews(deps, [row]))[0]!;
}

/** The report a user already filed under a clientId (the idempotent retry), or null. */
export async function existingByClientId(deps: Deps, userId: string, clientId: string): Promise<ReportView | null> {
  const row = await deps.db.prisma.report.findUnique({ where: { userId_clientId: { userId, clientId } }, include: withPhotos });
  return row ? (await toViews(deps, [row]))[0]! : null;
}
