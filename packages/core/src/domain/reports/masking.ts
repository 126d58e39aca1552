import { maskIdNumber, maskName } from "../mask.ts";
import { fieldSensitivity, type FieldSpec } from "./fields.ts";
import { REPORT_TYPES, reportFields, type AnyReportType } from "./registry.ts";

/**
 * Every field name of every report type that holds an ID number, a credit code or a person's name.
 * Log redaction is built from it, so a new sensitive field is kept out of logs without a list to edit.
 */
export const SENSITIVE_FIELD_NAMES: readonly string[] = [
  ...new Set(REPORT_TYPES.flatMap((type) => reportFields(type).filter((f) => fieldSensitivity(f) !== null).map((f) => f.name))),
];

/**
 * How much of a report's personal data a viewer gets: `full` for whom the values are their work
 * (the tax officer acting on it, its own reporter), `masked` for everyone else who may see it.
 */
export type Disclosure = "full" | "masked";

/** One value as a viewer with `masked` disclosure sees it (4101**********0740, 张*三); others pass through. */
export function maskFieldValue(spec: Pick<FieldSpec, "kind" | "pii">, value: unknown): unknown {
  if (typeof value !== "string" || value === "") return value;
  const sensitivity = fieldSensitivity(spec);
  if (sensitivity === "identifier") return maskIdNumber(value);
  if (sensitivity === "name") return maskName(value);
  return value;
}

/** A report's `data` (or one feed row) with every sensitive field masked; unknown keys are kept as they are. */
export function maskReportData(fields: readonly FieldSpec[], data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const f of fields) if (f.name in out) out[f.name] = maskFieldValue(f, out[f.name]);
  return out;
}

/** The one-line summary of an event report built from masked data (the stored summary names people). */
export function maskedSummary(type: AnyReportType, data: Record<string, unknown>, stored: string): string {
  if (type.kind !== "event") return stored;
  try {
    return type.summary(maskReportData(type.fields, data));
  } catch {
    return "";
  }
}
