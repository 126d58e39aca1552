import { t } from "../i18n.ts";
import { normalizeProse, toHalfWidth } from "../text.ts";
import { cstDate } from "../time.ts";
import type { FieldSpec } from "./fields.ts";

const SKIP_WORDS = new Set(["无", "没有", "跳过", "略", "-", "/", "none", "skip", "n/a", "na"]);
const NUMERIC = new Set(["number", "money", "integer"]);
// Grouping, currency and the units people add to a number ("1,200元", "85.5 平方米", "2场").
const NUMBER_NOISE = /[,\s¥￥]|元|平方米|平米|㎡|m²|人次|人|场|天|个|千瓦时|度|kwh/gi;

/** How a front end hands over an answer. */
export interface AnswerOptions {
  /** Typed chat answers: "无" / "skip" on an optional field means "not given", "2" picks the 2nd option. */
  chat?: boolean;
}

/**
 * THE reader of answers for report fields, shared by the bot (a typed message), the mini-app (the
 * text of an input) and the feeds (a spreadsheet cell): turns what was typed into what the field's
 * schema expects, without judging it. "１,２００元" → 1200, "2025年、2026" → [2025, 2026], "居住" /
 * "residential" → the enum value, "" → undefined (not given). Text fields are kept as typed (prose);
 * codes are folded by their schemas. Whatever does not convert is handed on as typed, so the one
 * message mapping (validation.ts) says what is wrong with it.
 */
export function readFieldAnswer(field: FieldSpec, raw: unknown, opts: AnswerOptions = {}): unknown {
  if (raw === null || raw === undefined) return undefined;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? "" : cstDate(raw);
  if (typeof raw === "number") return NUMERIC.has(field.kind) ? raw : String(raw);
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== "string") return raw;
  const prose = normalizeProse(raw, { multiline: field.kind === "textarea" });
  if (prose === "") return undefined;
  if (opts.chat && !field.required && SKIP_WORDS.has(prose.toLowerCase())) return undefined;
  if (NUMERIC.has(field.kind)) {
    const digits = toHalfWidth(prose).replace(NUMBER_NOISE, "");
    return digits !== "" && Number.isFinite(Number(digits)) ? Number(digits) : prose;
  }
  if (field.kind === "years") {
    const years = parseYearList(prose);
    return years ?? prose;
  }
  if (field.kind === "enum") {
    const options = field.options ?? [];
    const lower = toHalfWidth(prose).toLowerCase();
    const byIndex = opts.chat && /^\d+$/.test(lower) ? options[Number(lower) - 1] : undefined;
    const match = byIndex ?? options.find((o) => o.value === lower || t("zh-CN", o.labelKey) === prose || t("en", o.labelKey).toLowerCase() === lower);
    return match ? match.value : prose;
  }
  return prose;
}

/** "2025,2026", "2025年、2026年", "2025 2026" → [2025, 2026] (sorted, as typed twice stays twice); null when not a list of years. */
export function parseYearList(value: string): number[] | null {
  const parts = toHalfWidth(value).replace(/年/g, " ").split(/[,，、;；/\s]+/).filter(Boolean);
  if (parts.length === 0 || !parts.every((p) => /^\d{4}$/.test(p))) return null;
  return parts.map(Number).sort((a, b) => a - b);
}
