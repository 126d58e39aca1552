import {
  getReportType,
  isEventType,
  reportFields,
  t,
  validateReportData,
  type AnyReportType,
  type EventReportType,
  type FieldErrors,
  type FieldSpec,
  type Locale,
} from '@xieshui/core'

/** What a form holds: every field as the text the user typed (years as "2025,2026"). */
export type FormValues = Record<string, string>

const NUMERIC = new Set(['number', 'money', 'integer'])

/** The event (form-filed) report type with this code, or undefined (unknown code or a feed). */
export function eventType(code: string | undefined): EventReportType | undefined {
  const type: AnyReportType | undefined = code ? getReportType(code) : undefined
  return type && isEventType(type) ? type : undefined
}

/** The empty form of a type: one entry per registry field, in form order. */
export function emptyValues(type: AnyReportType): FormValues {
  return Object.fromEntries(reportFields(type).map((f) => [f.name, '']))
}

const toHalfWidth = (s: string) => s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')

/** Years as a form keeps them ("2025,2026") → numbers, sorted. */
export function parseYears(value: string): number[] {
  return toHalfWidth(value)
    .split(/[,，、\s]+/)
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b)
}

/**
 * Turns typed text into the `data` the shared schema expects: numbers for numeric kinds, a year
 * list for years, and no key for an empty optional field. Text that is not a number gets a local
 * message, since zod would only say "expected number".
 */
export function toData(fields: readonly FieldSpec[], values: FormValues, locale: Locale): { data: Record<string, unknown>; fields: FieldErrors } {
  const data: Record<string, unknown> = {}
  const errors: FieldErrors = {}
  for (const f of fields) {
    const raw = (values[f.name] ?? '').trim()
    if (raw === '') {
      if (f.required) data[f.name] = f.kind === 'years' ? [] : NUMERIC.has(f.kind) ? undefined : ''
      continue
    }
    if (NUMERIC.has(f.kind)) {
      const n = Number(toHalfWidth(raw).replace(/[,\s¥￥元]/g, ''))
      if (Number.isFinite(n)) data[f.name] = n
      else errors[f.name] = t(locale, 'app-report-number-invalid')
    } else if (f.kind === 'years') {
      data[f.name] = parseYears(raw)
    } else {
      data[f.name] = raw
    }
  }
  return { data, fields: errors }
}

/**
 * Client-side validation with the SAME schema and time rules as the API (validateReportData), so
 * the messages under each field are the ones the server would send.
 */
export function validateForm(
  type: EventReportType,
  values: FormValues,
  locale: Locale,
  now: Date = new Date(),
): { ok: true; data: Record<string, unknown> } | { ok: false; fields: FieldErrors } {
  const { data, fields: local } = toData(type.fields, values, locale)
  const result = validateReportData(type, data, now, locale)
  if (result.ok && Object.keys(local).length === 0) return { ok: true, data: result.data as Record<string, unknown> }
  const fields: FieldErrors = { ...local }
  if (!result.ok) for (const [k, v] of Object.entries(result.fields)) fields[k] ??= v
  return { ok: false, fields }
}

/** Server field errors (`data.tenantIdNo`) → form field names; the rest go on top of the form. */
export function splitServerFields(fields: FieldErrors): { fields: FieldErrors; other: string[] } {
  const out: FieldErrors = {}
  const other: string[] = []
  for (const [path, message] of Object.entries(fields)) {
    if (path.startsWith('data.')) out[path.slice(5).split('.')[0]!] ??= message
    else other.push(message)
  }
  return { fields: out, other }
}

/** A stored value shown to people: option labels for enums, years joined, numbers as typed. */
export function displayValue(field: FieldSpec, value: unknown, locale: Locale): string {
  if (value === undefined || value === null || value === '') return '—'
  if (field.kind === 'enum') {
    const option = field.options?.find((o) => o.value === value)
    return option ? t(locale, option.labelKey) : String(value)
  }
  if (Array.isArray(value)) return value.join('、')
  if (field.kind === 'datetime' && typeof value === 'string') return value.slice(0, 16).replace('T', ' ')
  return String(value)
}
