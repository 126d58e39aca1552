import { getReportType, isCalendarDate, UNIT_TYPES, type MessageKey, type UnitType } from '@xieshui/core'
import type { Translate } from '../../lib/i18n'
import type { UnusualChecker } from './api'

const CHECK_RESULTS = ['cleared', 'missing', 'denied', 'rate_limited', 'invalid'] as const
const CHECK_KINDS = ['vehicle_vessel', 'property_transfer'] as const

/** A check's audit result in words; results the app does not know stay as they are. */
export function checkResultLabel(t: Translate, result: string): string {
  return (CHECK_RESULTS as readonly string[]).includes(result) ? t(`app-oversight-result-${result as (typeof CHECK_RESULTS)[number]}`) : result
}

export function checkKindLabel(t: Translate, kind: string | null): string {
  if (!kind) return ''
  return (CHECK_KINDS as readonly string[]).includes(kind) ? t(`app-oversight-kind-${kind as (typeof CHECK_KINDS)[number]}`) : kind
}

export function unitTypeLabel(t: Translate, type: string): string {
  return (UNIT_TYPES as readonly string[]).includes(type) ? t(`unit-type-${type as UnitType}` as MessageKey) : type
}

export function feedTitle(t: Translate, type: string): string {
  const rt = getReportType(type)
  return rt ? t(rt.titleKey) : type
}

/** Why a user is on the unusual list, in plain words a coordinator can act on. */
export function unusualWhy(t: Translate, u: UnusualChecker): string {
  return t('app-oversight-unusual-why', { checks: u.checks, ratio: u.ratio })
}

/** An empty day means "any"; otherwise it must be a real YYYY-MM-DD. */
export function isDayFilter(value: string): boolean {
  return value.trim() === '' || isCalendarDate(value.trim())
}
