import { t, type Locale } from "../i18n.ts";
import { normalizeText } from "../text.ts";
import type { ParseResult } from "../validation.ts";
import type { FieldSpec } from "./fields.ts";
import { validateField } from "./registry.ts";

const SKIP_WORDS = new Set(["无", "没有", "跳过", "略", "-", "/", "none", "skip", "n/a", "na"]);
const NUMERIC = new Set(["number", "money", "integer"]);

/**
 * Turns one typed answer (a bot message, a text input) into the field's value and validates it:
 * "1,200元" → 1200, "2025 2026" or "2025、2026" → [2025, 2026], "居住" / "residential" / "1" → the
 * enum value, "无" / "skip" on an optional field → undefined. The bot re-asks with `fields[name]`.
 */
export function parseFieldAnswer(field: FieldSpec, text: string, locale: Locale): ParseResult<unknown> {
  const s = normalizeText(text);
  if (!field.required && (s === "" || SKIP_WORDS.has(s.toLowerCase()))) return { ok: true, data: undefined };
  if (s === "") return { ok: false, fields: { [field.name]: t(locale, "field-required") } };
  let value: unknown = s;
  if (NUMERIC.has(field.kind)) {
    const n = Number(s.replace(/[,，\s¥￥元㎡]|平方米|平米|人|场/g, ""));
    if (!Number.isFinite(n)) return { ok: false, fields: { [field.name]: t(locale, "report-number-invalid") } };
    value = n;
  } else if (field.kind === "years") {
    const parts = s.split(/[,，、;；\s]+/).filter(Boolean).map((p) => p.replace(/年$/, ""));
    if (parts.some((p) => !/^\d{4}$/.test(p))) return { ok: false, fields: { [field.name]: t(locale, "report-years-invalid") } };
    value = parts.map(Number);
  } else if (field.kind === "enum") {
    const options = field.options ?? [];
    const lower = s.toLowerCase();
    const byIndex = /^\d+$/.test(s) ? options[Number(s) - 1] : undefined;
    const match = byIndex ?? options.find((o) => o.value === lower || t("zh-CN", o.labelKey) === s || t("en", o.labelKey).toLowerCase() === lower);
    if (!match) return { ok: false, fields: { [field.name]: t(locale, "report-option-invalid", { options: options.map((o) => t(locale, o.labelKey)).join(" / ") }) } };
    value = match.value;
  }
  return validateField(field, value, locale);
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
