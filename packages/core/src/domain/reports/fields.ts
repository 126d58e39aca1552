import { z } from "zod";
import { hasControlChars, normalizeCode, normalizeProse, normalizeText } from "../text.ts";
import { idNumberProblem, idOrUsccProblem, usccProblem, type IdentifierProblem } from "../id-number-problem.ts";
import { isPlate, normalizePlate } from "../plate.ts";
import { CST_OFFSET_MS, isCalendarDate } from "../time.ts";
import type { MessageKey } from "../i18n.ts";
import { describeInput, type InputMeta } from "../validation.ts";

/**
 * How a front end asks for a field. The mini-app picks a widget and the bot a prompt/parser by
 * kind, so adding a kind means teaching both front ends; keep the list short.
 */
export const FIELD_KINDS = [
  "text",
  "textarea",
  "id_number",
  "uscc",
  "id_or_uscc",
  "plate",
  "date",
  "datetime",
  "number",
  "money",
  "integer",
  "enum",
  "years",
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/**
 * One field of a report form, in display order. Labels and option labels are catalogue keys, so
 * forms and bot prompts are generated from this without per-type UI code.
 */
export interface FieldSpec {
  name: string;
  kind: FieldKind;
  labelKey: MessageKey;
  required: boolean;
  /** Longest text, or the largest number. */
  max?: number;
  /** Smallest number (exclusive when `positive`). */
  min?: number;
  positive?: boolean;
  /** enum values and their label keys */
  options?: readonly { value: string; labelKey: MessageKey }[];
  /** a short hint under the field (format, unit) */
  hintKey?: MessageKey;
  /**
   * `name` for a person's name (a landlord, an owner, a transferee): never logged, masked for roles
   * that need not see it. ID-number and credit-code kinds are sensitive by kind and need no flag.
   */
  pii?: "name";
  /** what numbers are counted in (`unit-yuan`, `unit-day` ...), for messages such as 最多 1,000 场 */
  unitKey?: MessageKey;
}

/** Kinds whose values identify a person or a business (ID numbers, unified social credit codes). */
export const IDENTIFIER_KINDS: readonly FieldKind[] = ["id_number", "uscc", "id_or_uscc"];

/** How a field's value is protected: `identifier` (masked like an ID number), `name`, or null (shown as is). */
export function fieldSensitivity(spec: Pick<FieldSpec, "kind" | "pii">): "identifier" | "name" | null {
  if (IDENTIFIER_KINDS.includes(spec.kind)) return "identifier";
  return spec.pii === "name" ? "name" : null;
}

/** Dates as people type them (2026/3/5, 2026.03.05, 2026年3月5日) folded to YYYY-MM-DD. */
export function normalizeDate(value: string): string {
  const s = normalizeText(value).replace(/\s/g, "").replace(/[/.年月]/g, "-").replace(/日$/, "");
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  return m ? `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` : s;
}

const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO date-time. A time without a zone is China Standard Time (what a clerk means when
 * typing "2026-12-01 19:30"). Returns null for impossible values (hour 25, 2026-02-30).
 */
export function parseCstDateTime(value: string): Date | null {
  const m = DATETIME_RE.exec(normalizeDate(value.slice(0, 10)) + normalizeText(value).slice(10));
  if (!m || !isCalendarDate(m[1]!)) return null;
  const [h, min, sec] = [Number(m[2]), Number(m[3]), Number(m[4] ?? "0")];
  if (h > 23 || min > 59 || sec > 59) return null;
  const zone = m[5] ?? "+08:00";
  const zoneIso = zone === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${String(sec).padStart(2, "0")}${zoneIso}`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** An instant written in CST, as reports store it: 2026-12-01T19:30:00+08:00. */
export function toCstIso(at: Date): string {
  return `${new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

function normalizeDateTime(value: string): string {
  const at = parseCstDateTime(value);
  return at ? toCstIso(at) : normalizeText(value);
}

const MIN_DATE = "1990-01-01";
const MAX_DATE = "2100-12-31";

/** Builds the zod schema of one field: normalisation (full-width, spaces) first, then the checks. */
export function fieldSchema(spec: FieldSpec): z.ZodType {
  const meta: InputMeta = {
    kind: spec.kind,
    labelKey: spec.labelKey,
    ...(spec.unitKey ? { unitKey: spec.unitKey } : {}),
    ...(spec.options ? { options: spec.options } : {}),
  };
  // The message mapping (validation.ts) finds the spec from whichever of these owns an issue.
  const base = describeInput(baseSchema(spec), meta);
  if (spec.required) return base;
  // Forms send "" for an untouched optional field: that means "not given", never "invalid".
  const union = describeInput(z.union([z.literal(""), base]), meta);
  return describeInput(union.optional(), meta);
}

function text(max: number, multiline: boolean) {
  // Prose is kept as typed (full-width punctuation stays); only codes are folded.
  return z
    .string()
    .overwrite((v) => normalizeProse(v, { multiline }))
    .min(1)
    .max(max)
    .refine((v) => !hasControlChars(v), { message: "report-text-control-chars" });
}

/** A code field: folded (full-width, spaces, dashes), then explained when wrong (which character, what length). */
function code(problem: (v: string) => IdentifierProblem | null) {
  return z
    .string()
    .overwrite(normalizeCode)
    .min(1)
    .max(40)
    .superRefine((v, ctx) => {
      if (v === "") return;
      const p = problem(v);
      if (p) ctx.addIssue({ code: "custom", message: p.key, ...(p.params ? { params: p.params } : {}) });
    });
}

/** A date-time typed or picked in two halves: say which half is missing instead of "not valid". */
function missingHalf(v: string): MessageKey | null {
  if (/^\d{1,2}:\d{2}$/.test(v)) return "report-datetime-needs-date";
  if (isCalendarDate(normalizeDate(v))) return "report-datetime-needs-time";
  return null;
}

function baseSchema(spec: FieldSpec): z.ZodType {
  switch (spec.kind) {
    case "text":
      return text(spec.max ?? 100, false);
    case "textarea":
      return text(spec.max ?? 500, true);
    case "id_number":
      return code((v) => idNumberProblem(v));
    case "uscc":
      return code(usccProblem);
    case "id_or_uscc":
      return code((v) => idOrUsccProblem(v));
    case "plate":
      return z.string().overwrite(normalizePlate).min(1).max(12).refine(isPlate, { message: "report-plate-invalid" });
    case "date":
      return z
        .string()
        .overwrite(normalizeDate)
        .min(1)
        .max(20)
        .refine((v) => isCalendarDate(v) && v >= MIN_DATE && v <= MAX_DATE, { message: "report-date-invalid" });
    case "datetime":
      return z
        .string()
        .overwrite(normalizeDateTime)
        .min(1)
        .max(40)
        .superRefine((v, ctx) => {
          if (v === "") return;
          const at = parseCstDateTime(v);
          if (at !== null && v.slice(0, 10) >= MIN_DATE && v.slice(0, 10) <= MAX_DATE) return;
          ctx.addIssue({ code: "custom", message: missingHalf(v) ?? "report-datetime-invalid" });
        });
    case "number":
    case "money":
    case "integer": {
      // Not .int(): its issue aborts the object, which would hide cross-field rules until it is fixed.
      // The refine keeps "integer" in the JSON Schema through meta.
      let n = z.number();
      if (spec.positive) n = n.positive();
      else n = n.min(spec.min ?? 0);
      if (spec.max !== undefined) n = n.max(spec.max);
      if (spec.kind === "integer") return n.refine(Number.isInteger, { message: "report-integer" }).meta({ type: "integer" });
      if (spec.kind === "money") {
        return n.refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, { message: "report-money-cents" });
      }
      return n;
    }
    case "enum": {
      const values = (spec.options ?? []).map((o) => o.value);
      return z.enum(values as [string, ...string[]]);
    }
    case "years":
      return z
        .array(describeInput(z.number().int().min(1990).max(2100), { kind: "years", labelKey: spec.labelKey }))
        .min(1)
        .max(spec.max ?? 5)
        .refine((ys) => new Set(ys).size === ys.length, { message: "report-years-duplicate" });
  }
}

/** The strict object schema of a field list (unknown keys are refused, so typos are noticed). */
export function objectSchema(fields: readonly FieldSpec[]) {
  return z.strictObject(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])));
}

/**
 * Runs a cross-field rule even when other fields failed, as long as the fields it reads are valid,
 * so a form shows every problem at once ("lease end before start" next to a bad ID number).
 */
export function whenFieldsValid(...names: string[]): { when: (payload: { value: unknown; issues: readonly { path?: PropertyKey[] }[] }) => boolean } {
  return {
    when: (payload) =>
      typeof payload.value === "object" &&
      payload.value !== null &&
      !payload.issues.some((i) => names.includes(String(i.path?.[0] ?? ""))),
  };
}
