import type { z } from "zod";
import zodZhCN from "zod/v4/locales/zh-CN.js";
import zodEn from "zod/v4/locales/en.js";
import { isMessageKey, t, type Locale } from "./i18n.ts";

/** Field path → message, the `fields` of the API error body and what forms show under each field. */
export type FieldErrors = Record<string, string>;

/** Outcome of validating one input with a shared schema. */
export type ParseResult<T> = { ok: true; data: T } | { ok: false; fields: FieldErrors };

const zodLocales = { "zh-CN": zodZhCN().localeError, en: zodEn().localeError } as const;

/**
 * Validates input with the schema every front end shares, and localises the messages.
 * Schemas give their own messages as catalogue keys (`{ message: "invite-code-format" }`);
 * everything else gets zod's message for the locale. Missing fields say "required" instead of
 * zod's "expected string, received undefined". Paths are dot-joined (`data.tenantIdNo`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, locale: Locale): ParseResult<z.output<S>> {
  const result = schema.safeParse(input, {
    error: (issue) => {
      if (issue.code === "invalid_type" && issue.input === undefined) return t(locale, "field-required");
      if (issue.code === "too_big" && issue.origin === "string") return t(locale, "field-too-long", { max: String(issue.maximum) });
      if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1) return t(locale, "field-required");
      if (issue.code === "too_small" && issue.origin === "string") return t(locale, "field-too-short", { min: String(issue.minimum) });
      const message = zodLocales[locale](issue);
      return typeof message === "string" ? message : message?.message;
    },
  });
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
    const params = (issue as { params?: Record<string, string | number> }).params;
    const message = isMessageKey(issue.message) ? t(locale, issue.message, params) : issue.message;
    fields[base] ??= message;
  }
  return fields;
}
