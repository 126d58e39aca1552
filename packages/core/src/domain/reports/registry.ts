import { z } from "zod";
import { t, type Locale, type MessageKey } from "../i18n.ts";
import type { Role, UnitType } from "../units.ts";
import type { ClearanceCheckResult } from "../clearance.ts";
import { parseInput, type ParseResult } from "../validation.ts";
import { normalizeProse, normalizeText } from "../text.ts";
import {
  performanceType,
  rentalType,
  vehicleNoClearanceType,
  TIMELINESS,
  type EventReportType,
  type ReportRulesConfig,
} from "./report-types.ts";
import { FEED_TYPES, PeriodSchema, type FeedReportType } from "./feeds.ts";
import { fieldSchema, type FieldSpec } from "./fields.ts";

/** Report types filed from a form, one fact each. */
export const EVENT_REPORT_TYPES = [rentalType, performanceType, vehicleNoClearanceType] as const;

/**
 * Every report type, in menu order. Codes are stored in the database and used in URLs and
 * exports: never rename one.
 */
export const REPORT_TYPES: readonly AnyReportType[] = [...EVENT_REPORT_TYPES, ...FEED_TYPES];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds types of different data shapes
export type AnyReportType = EventReportType<any> | FeedReportType;

export const REPORT_TYPE_CODES = REPORT_TYPES.map((r) => r.code) as [string, ...string[]];
/** Validates a report type code. */
export const ReportTypeCodeSchema = z.enum(REPORT_TYPE_CODES, { message: "report-type-unknown" });

/** Review states of a report: submitted → accepted | returned. */
export const REPORT_STATUSES = ["submitted", "accepted", "returned"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export { TIMELINESS };

const byCode = new Map<string, AnyReportType>(REPORT_TYPES.map((r) => [r.code, r]));

/** The report type with this code, or undefined. */
export function getReportType(code: string): AnyReportType | undefined {
  return byCode.get(code);
}

/** True for a type filed from a form (rental, performance, vehicle). */
export function isEventType(type: AnyReportType): type is EventReportType {
  return type.kind === "event";
}

/** The report types a unit of this type may file (what the report menu of a reporter shows). */
export function reportTypesForUnit(unitType: UnitType): AnyReportType[] {
  return REPORT_TYPES.filter((r) => r.unitTypes.includes(unitType));
}

/** True when a unit of this type may file this report type. */
export function mayFile(unitType: UnitType, code: string): boolean {
  return getReportType(code)?.unitTypes.includes(unitType) ?? false;
}

/** The fields (form order) of a type: form fields for events, template columns for feeds. */
export function reportFields(type: AnyReportType): readonly FieldSpec[] {
  return type.kind === "event" ? type.fields : type.columns;
}

/**
 * JSON Schema (draft 2020-12) of a type's `data` (events) or of one row (feeds), derived from the
 * same zod schema the server validates with. Cross-field and time rules are not expressible in it;
 * the server reports those per field.
 */
export function reportTypeJsonSchema(type: AnyReportType): Record<string, unknown> {
  const schema = type.kind === "event" ? type.schema : z.object(Object.fromEntries(type.columns.map((c) => [c.name, fieldSchema(c)])));
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

/** A field as `GET /report-types` describes it: the spec plus labels in both languages. */
export interface ReportFieldView extends Omit<FieldSpec, "options"> {
  label: { "zh-CN": string; en: string };
  hint?: { "zh-CN": string; en: string };
  header?: string;
  options?: { value: string; labelKey: MessageKey; label: { "zh-CN": string; en: string } }[];
}

/** The public description of a report type (what `GET /api/v1/report-types` returns per type). */
export interface ReportTypeView {
  code: string;
  kind: "event" | "feed";
  titleKey: MessageKey;
  title: { "zh-CN": string; en: string };
  unitTypes: UnitType[];
  fields: ReportFieldView[];
  /** Deadline in words for forms and reminders. */
  deadline: { "zh-CN": string; en: string };
  /** feeds only: day of the following month the period is due */
  dueDay?: number;
  jsonSchema: Record<string, unknown>;
}

const both = (key: MessageKey, params?: Record<string, string | number>) => ({ "zh-CN": t("zh-CN", key, params), en: t("en", key, params) });

function deadlineKey(type: AnyReportType): MessageKey {
  if (type.kind === "feed") return "report-deadline-feed";
  return `report-deadline-${type.code}` as MessageKey;
}

const viewCache = new Map<string, ReportTypeView>();

/** Describes a type for clients; cached, since it never changes while the process runs. */
export function describeReportType(type: AnyReportType, rules?: ReportRulesConfig): ReportTypeView {
  const cacheKey = `${type.code}:${rules?.rentalDueDays ?? ""}:${rules?.performanceLeadDays ?? ""}`;
  const cached = viewCache.get(cacheKey);
  if (cached) return cached;
  const view: ReportTypeView = {
    code: type.code,
    kind: type.kind,
    titleKey: type.titleKey,
    title: both(type.titleKey),
    unitTypes: [...type.unitTypes],
    fields: reportFields(type).map(({ options, ...f }) => ({
      ...f,
      label: both(f.labelKey),
      ...(f.hintKey ? { hint: both(f.hintKey) } : {}),
      ...(options ? { options: options.map((o) => ({ ...o, label: both(o.labelKey) })) } : {}),
    })),
    deadline: both(deadlineKey(type), {
      days: rules?.rentalDueDays ?? 30,
      lead: rules?.performanceLeadDays ?? 3,
      day: type.kind === "feed" ? type.dueDay : 0,
    }),
    ...(type.kind === "feed" ? { dueDay: type.dueDay } : {}),
    jsonSchema: reportTypeJsonSchema(type),
  };
  viewCache.set(cacheKey, view);
  return view;
}

/**
 * The body of `POST /reports`. `clientId` is generated once per draft on the device, so a retry of
 * the same submission returns the first report instead of creating a second.
 */
export const SubmitReportSchema = z.strictObject({
  type: z.string().overwrite(normalizeText).min(1).max(60),
  clientId: z
    .string()
    .overwrite(normalizeText)
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, { message: "report-client-id-format" }),
  data: z.record(z.string(), z.unknown()),
});
export type SubmitReportInput = z.infer<typeof SubmitReportSchema>;

/** A nil (本期无) or upload filing of a feed: which type and period. */
export const FeedFilingSchema = z.strictObject({
  type: z.string().overwrite(normalizeText).min(1).max(60),
  period: PeriodSchema,
  clientId: SubmitReportSchema.shape.clientId.optional(),
});
export type FeedFilingInput = z.infer<typeof FeedFilingSchema>;

/** Filters of the review inbox and of exports. */
export const ReportQuerySchema = z.strictObject({
  type: z.string().max(60).optional(),
  unit: z.string().max(40).optional(),
  /** a reporter's user id (picked by name in the inbox; never typed) */
  reporter: z.string().max(40).optional(),
  status: z.enum(REPORT_STATUSES).optional(),
  period: PeriodSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(40).optional(),
});
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/**
 * A reviewer's decision; a return needs a reason the reporter can act on, and may name the fields
 * concerned (data keys; the use-case checks them against the report's type) so the reason shows
 * next to them. Fields only go with a return.
 */
export const ReviewReportSchema = z
  .strictObject({
    decision: z.enum(["accept", "return"]),
    comment: z.string().overwrite((v) => normalizeProse(v, { multiline: true })).max(500).optional(),
    fields: z
      .array(z.string().max(60).regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: "report-return-field-unknown" }))
      .max(30)
      .transform((f) => [...new Set(f)])
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "return" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "report-return-needs-reason" });
    if (v.decision === "accept" && v.fields?.length) ctx.addIssue({ code: "custom", path: ["fields"], message: "report-accept-no-fields" });
  });
export type ReviewReportInput = z.infer<typeof ReviewReportSchema>;

/**
 * The body of `POST /reports/:id/versions`: the corrected `data` of a returned report and a new
 * `clientId` for this correction (a retry with it returns the same version, never a third).
 */
export const ResubmitReportSchema = z.strictObject({
  clientId: SubmitReportSchema.shape.clientId,
  data: z.record(z.string(), z.unknown()),
});
export type ResubmitReportInput = z.infer<typeof ResubmitReportSchema>;

// --- who may file what ---------------------------------------------------------------------------

/**
 * How long a failed clearance check authorises its checker to report that vehicle: long enough to
 * finish the report after the vehicle has left the checkpoint, short enough that the check is
 * still the authority (24 h).
 */
export const FAILED_CHECK_WINDOW_MS = 24 * 3600_000;

/**
 * Types whose reports a failed check of the reporting user authorises, with the role that may use
 * that authority. A traffic-police checker who finds no 车船税 clearance may report the vehicle
 * without also holding the reporter role: core requires a failed check of that plate by that user
 * within FAILED_CHECK_WINDOW_MS, and the years reported must be years that check found missing.
 */
export const FAILED_CHECK_AUTHORITY: Readonly<Record<string, { role: Role }>> = {
  vehicle_no_clearance: { role: "checker" },
};

/**
 * On what authority a user may file a type (their unit's type is checked separately):
 * `reporter` (the role files any type of the unit), `failed_check` (only with a failed check of
 * their own, see FAILED_CHECK_AUTHORITY), or null. Front ends use it to show the way in; core's
 * use-cases use it to decide.
 */
export function mayFileReport(user: { roles: readonly string[] }, type: Pick<AnyReportType, "code">): "reporter" | "failed_check" | null {
  if (user.roles.includes("reporter")) return "reporter";
  const authority = FAILED_CHECK_AUTHORITY[type.code];
  return authority && user.roles.includes(authority.role) ? "failed_check" : null;
}

/**
 * Whether a check result should offer "report it to the tax bureau": a vehicle without clearance,
 * for users of a unit that files vehicle reports who are reporters, or checkers when the check was
 * by plate (a VIN check does not say which plate to report).
 */
export function mayReportCheckResult(
  user: { roles: readonly string[]; unit: { type: UnitType } },
  check: Pick<ClearanceCheckResult, "kind" | "keyType" | "cleared">,
): boolean {
  if (check.cleared || check.kind !== "vehicle_vessel") return false;
  const type = getReportType("vehicle_no_clearance");
  if (!type || !type.unitTypes.includes(user.unit.type)) return false;
  const authority = mayFileReport(user, type);
  return authority === "reporter" || (authority === "failed_check" && check.keyType === "plate");
}

/**
 * Validates a type's `data` fully: the shared schema (normalising as it goes), then the rules
 * that depend on the time of filing. Every front end calls this, so a form, a bot answer and the
 * API agree on what is valid and say so in the same words. Field paths are the data keys.
 */
export function validateReportData<T>(type: EventReportType<T>, data: unknown, now: Date, locale: Locale): ParseResult<T> {
  const parsed = parseInput(type.schema, data, locale);
  // Time rules run on whatever is valid so far, so every problem is reported in one round trip.
  const checkable = parsed.ok ? parsed.data : validFieldsOf(type, data);
  const timeRules = type.check(checkable as T, now);
  const fields = parsed.ok ? {} : { ...parsed.fields };
  for (const [k, key] of Object.entries(timeRules)) fields[k] ??= t(locale, key);
  if (Object.keys(fields).length === 0) return parsed;
  return { ok: false, fields };
}

/** The fields of `data` that pass their own schema, normalised (for rules on a partly valid report). */
function validFieldsOf(type: EventReportType<unknown>, data: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof data !== "object" || data === null) return out;
  for (const f of type.fields) {
    const r = fieldSchema(f).safeParse((data as Record<string, unknown>)[f.name]);
    if (r.success && r.data !== undefined) out[f.name] = r.data;
  }
  return out;
}

/**
 * Validates one answer of a form or bot conversation on its own (re-ask at once with the reason).
 * Cross-field rules (lease end after start) are checked when the whole report is validated.
 */
export function validateField(field: FieldSpec, value: unknown, locale: Locale): ParseResult<unknown> {
  const r = parseInput(z.object({ v: fieldSchema(field) }), { v: value }, locale);
  return r.ok ? { ok: true, data: (r.data as { v: unknown }).v } : { ok: false, fields: { [field.name]: r.fields.v ?? Object.values(r.fields)[0]! } };
}
