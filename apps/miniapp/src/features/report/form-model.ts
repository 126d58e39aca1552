import {
  DEFAULT_RULES,
  fieldSchema,
  getReportType,
  isEventType,
  readFieldAnswer,
  reportFields,
  validateReportData,
  type AnyReportType,
  type EventReportType,
  type FieldErrors,
  type Locale,
  type MessageKey,
  type ReportRulesConfig,
} from '@xieshui/core'
import type { Translate } from '../../lib/i18n'

/** What a form holds: every field as the text the user typed (years as "2025,2026"). */
export type FormValues = Record<string, string>

/** The event (form-filed) report type with this code, or undefined (unknown code or a feed). */
export function eventType(code: string | undefined): EventReportType | undefined {
  const type: AnyReportType | undefined = code ? getReportType(code) : undefined
  return type && isEventType(type) ? type : undefined
}

/** The empty form of a type: one entry per registry field, in form order. */
export function emptyValues(type: AnyReportType): FormValues {
  return Object.fromEntries(reportFields(type).map((f) => [f.name, '']))
}

/**
 * Turns the typed text into the `data` the shared schema expects, with core's one reader of answers
 * (the same the bot and the feeds use): numbers, year lists, option values; no key for a field left
 * empty (the schema then says "请填写…" for a required one).
 */
export function toData(type: EventReportType, values: FormValues): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  for (const f of type.fields) {
    const value = readFieldAnswer(f, values[f.name] ?? '')
    if (value !== undefined) data[f.name] = value
  }
  return data
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
  const result = validateReportData(type, toData(type, values), now, locale)
  return result.ok ? { ok: true, data: result.data as Record<string, unknown> } : { ok: false, fields: result.fields }
}

/** Server field paths (`data.tenantIdNo`) → form field names; null for paths of no form field. */
export function formFieldOf(path: string): string | null {
  return path.startsWith('data.') ? path.slice(5).split('.')[0]! : null
}

/**
 * When a report is on time until, for what the form holds now (null while the fields the rule reads
 * are incomplete): the deadline shown at the top of the form and the late warning before a submit.
 */
export function deadlineOf(type: EventReportType, values: FormValues, now: Date = new Date(), rules: ReportRulesConfig = DEFAULT_RULES): { dueAt: Date; late: boolean } | null {
  // Only the fields that are valid on their own: the date the rule reads is enough to know the deadline.
  const valid: Record<string, unknown> = {}
  for (const f of type.fields) {
    const r = fieldSchema(f).safeParse(readFieldAnswer(f, values[f.name] ?? ''))
    if (r.success && r.data !== undefined && r.data !== '') valid[f.name] = r.data
  }
  try {
    const { timeliness, dueAt } = type.deadline(valid, now, rules)
    return dueAt && !Number.isNaN(dueAt.getTime()) ? { dueAt, late: timeliness !== 'on_time' } : null
  } catch {
    return null // the field the rule reads is not there yet
  }
}

/** The deadline of a type in words, with the registry's rules (提前 3 天以上为按时, 30 天内登记). */
export function deadlineText(t: Translate, type: EventReportType, rules: ReportRulesConfig = DEFAULT_RULES): string {
  return t(`report-deadline-${type.code}` as MessageKey, { days: rules.rentalDueDays, lead: rules.performanceLeadDays })
}
