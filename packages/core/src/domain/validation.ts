import type { z } from "zod";
import { isMessageKey, t, type Locale, type MessageKey, type MessageParams } from "./i18n.ts";
import type { FieldKind } from "./reports/fields.ts";

/** Field path → message, the `fields` of the API error body and what forms show under each field. */
export type FieldErrors = Record<string, string>;

/** Outcome of validating one input with a shared schema. */
export type ParseResult<T> = { ok: true; data: T } | { ok: false; fields: FieldErrors };

/**
 * What the message mapping knows about one input, so that a problem is said the way the form
 * asked for it: 请选择用途 for an unchosen option, 最多 90 天 for a number out of range. Report fields
 * get it from their FieldSpec (fieldSchema); other schemas attach it with `describeInput`.
 * `choice` / `choices` are single and multiple picks that are not report enums (a unit, roles).
 */
export interface InputMeta {
  kind: FieldKind | "choice" | "choices";
  labelKey?: MessageKey;
  /** The unit numbers are counted in (元, 天, 平方米), a `unit-*` catalogue key. */
  unitKey?: MessageKey;
  options?: readonly { value: string; labelKey: MessageKey }[];
}

const metaBySchema = new WeakMap<object, InputMeta>();

/**
 * Attaches InputMeta to a schema instance (the same instance must be the one parsed, or an inner
 * schema of it). Returns the schema, so it can wrap a definition in place.
 */
export function describeInput<T extends z.ZodType>(schema: T, meta: InputMeta): T {
  metaBySchema.set(schema, meta);
  return schema;
}

const CHOICE = new Set(["enum", "choice"]);
const MULTI = new Set(["years", "choices"]);

type RawIssue = z.core.$ZodRawIssue & {
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  errors?: z.core.$ZodIssue[][];
};

/** 10000000 → "10,000,000": readable limits in every language (no Intl: not in every mini-program engine). */
export function formatLimit(n: number | bigint): string {
  const s = String(n);
  if (!/^-?\d+$/.test(s)) return s;
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A label as it reads inside a sentence: "月租金（元）" → "月租金", "Monthly rent (CNY)" → "monthly rent". */
function labelInSentence(locale: Locale, key: MessageKey): string {
  const label = t(locale, key).replace(/\s*[（(][^（）()]*[）)]\s*$/, "").trim();
  return locale === "en" && /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

function isBlank(input: unknown): boolean {
  return input === undefined || input === null || (typeof input === "string" && input.trim() === "") || (Array.isArray(input) && input.length === 0);
}

function say(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return t(locale, key, params).replace(/\s+$/, "").replace(/\s{2,}/g, " ");
}

/** "Required" in the words the form used to ask: 请选择用途 for a choice, 请填写地址 for the rest. */
function required(locale: Locale, meta: InputMeta | undefined): string {
  if (!meta?.labelKey) return t(locale, "field-required");
  const label = labelInSentence(locale, meta.labelKey);
  return t(locale, CHOICE.has(meta.kind) || MULTI.has(meta.kind) ? "v-choose-label" : "v-required-label", { label });
}

/**
 * THE mapping from a zod issue to a message for people, used by every front end through
 * parseInput: never an enum literal, a type name, a comparison sign, a regex or a field key. Schemas
 * that know better give a catalogue key as their own message (which wins over this mapping).
 */
export function humanIssue(issue: z.core.$ZodRawIssue, locale: Locale): string {
  const i = issue as RawIssue;
  const meta = (i.schema && metaBySchema.get(i.schema)) || (i.inst && metaBySchema.get(i.inst)) || undefined;
  const unit = meta?.unitKey ? t(locale, meta.unitKey) : "";
  switch (i.code) {
    case "invalid_type": {
      if (isBlank(i.input)) return required(locale, meta);
      if (i.expected === "number" || i.expected === "int") return t(locale, "report-number-invalid");
      if (i.expected === "array") return meta?.kind === "years" ? t(locale, "report-years-invalid") : t(locale, "field-invalid");
      if (i.expected === "string") return t(locale, "v-text");
      return t(locale, "field-invalid");
    }
    case "invalid_value": {
      if (isBlank(i.input)) return required(locale, meta);
      const options = meta?.options?.map((o) => t(locale, o.labelKey)) ?? [];
      return options.length ? t(locale, "v-choose-from", { options: options.join(" / ") }) : t(locale, "v-choose-offered");
    }
    case "too_small": {
      if (i.origin === "string") return Number(i.minimum) <= 1 ? required(locale, meta) : t(locale, "field-too-short", { min: String(i.minimum) });
      if (i.origin === "array" || i.origin === "set") {
        return Number(i.minimum) <= 1 ? required(locale, meta) : say(locale, "v-pick-min", { min: formatLimit(i.minimum!), unit: unit || t(locale, "unit-item") });
      }
      if (meta?.kind === "years") return t(locale, "v-year-too-early", { min: String(i.minimum) });
      if (i.inclusive === false && Number(i.minimum) === 0) return t(locale, "v-positive");
      return say(locale, "v-min", { min: formatLimit(i.minimum!), unit });
    }
    case "too_big": {
      if (i.origin === "string") return t(locale, "field-too-long", { max: String(i.maximum) });
      if (i.origin === "array" || i.origin === "set") return say(locale, "v-pick-max", { max: formatLimit(i.maximum!), unit: unit || t(locale, "unit-item") });
      if (meta?.kind === "years") return t(locale, "v-year-too-late", { max: String(i.maximum) });
      return say(locale, "v-max", { max: formatLimit(i.maximum!), unit });
    }
    case "invalid_union": {
      // An optional field is `"" | value`: the last branch says what is wrong with the value.
      const last = i.errors?.at(-1)?.[0]?.message;
      return last ?? t(locale, "field-invalid");
    }
    case "unrecognized_keys":
      return t(locale, "field-unknown");
    default:
      return t(locale, "field-invalid");
  }
}

/**
 * Validates input with the schema every front end shares, and localises the messages through
 * humanIssue. Schemas give their own messages as catalogue keys (`{ message: "invite-code-format" }`,
 * with `params` on custom issues). Paths are dot-joined (`data.tenantIdNo`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, { error: (issue) => humanIssue(issue, locale) });
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, fields: issuesToFields(result.error.issues, locale) };
}

/** Turns zod issues into one message per field path (the first issue of a path wins). */
export function issuesToFields(issues: readonly z.core.$ZodIssue[], locale: Locale): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = base ? `${base}.${key}` : key;
        fields[path] ??= t(locale, "field-unknown");
      }
      continue;
    }
    const params = (issue as { params?: MessageParams }).params;
    const message = isMessageKey(issue.message) ? t(locale, issue.message, params) : issue.message;
    fields[base] ??= message;
  }
  return fields;
}
