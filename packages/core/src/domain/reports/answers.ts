import { t, type Locale } from "../i18n.ts";
import type { ParseResult } from "../validation.ts";
import type { FieldSpec } from "./fields.ts";
import { readFieldAnswer, type AnswerOptions } from "./read-answer.ts";
import { validateField } from "./registry.ts";

/**
 * Reads and validates one typed answer (a bot message): the field's value, or the message to re-ask
 * with in `fields[name]`. An optional field skipped gives `data: undefined`.
 */
export function parseFieldAnswer(field: FieldSpec, text: string, locale: Locale, opts: AnswerOptions = { chat: true }): ParseResult<unknown> {
  return validateField(field, readFieldAnswer(field, text, opts), locale);
}

/** Shows a value as people read it: enum labels, years joined, date-times without seconds. */
export function formatFieldValue(field: FieldSpec, value: unknown, locale: Locale): string {
  if (value === undefined || value === null || value === "") return "—";
  if (field.kind === "enum") {
    const o = field.options?.find((x) => x.value === value);
    return o ? t(locale, o.labelKey) : String(value);
  }
  if (Array.isArray(value)) return value.join(locale === "en" ? ", " : "、");
  if (field.kind === "datetime" && typeof value === "string") return value.slice(0, 16).replace("T", " ");
  return String(value);
}

/** The confirmation summary of a draft ("label: value" per field, form order) for the bot and the form. */
export function reportSummaryLines(fields: readonly FieldSpec[], data: Record<string, unknown>, locale: Locale): { name: string; label: string; value: string }[] {
  return fields.map((f) => ({ name: f.name, label: t(locale, f.labelKey), value: formatFieldValue(f, data[f.name], locale) }));
}
