import { duePeriod } from '@xieshui/core'
import { request } from '../../lib/request'

/** One clearance check from the audit log (no taxpayer names). */
export interface CheckLogEntry {
  at: string
  user: { id: string | null; name: string | null }
  unit: { code: string | null; name: string | null }
  kind: string | null
  key: string | null
  result: string
}

export interface UnusualChecker {
  userId: string
  name: string | null
  unit: { code: string | null; name: string | null }
  checks: number
  ratio: number
}

export interface UnusualReport {
  from: string
  to: string
  median: number
  users: UnusualChecker[]
}

export interface UnitTimeliness {
  unit: { code: string; name: string; type: string }
  onTime: number
  late: number
  overdue: number
  refused: number
  missingFeeds: number
}

export interface MissingFeed {
  type: string
  period: string
  unit: { code: string; name: string; type: string }
  dueDate: string
  overdue: boolean
}

/** Check-list filters; empty strings mean "any". */
export interface CheckFilters {
  user: string
  unit: string
  day: string
}

/** The period coordinators evaluate by default: last month (CST). */
export function defaultPeriod(now: Date = new Date()): string {
  return duePeriod(now)
}

export function isPeriod(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value)
}

function query(params: Record<string, string>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v.trim()) q.set(k, v.trim())
  const s = q.toString()
  return s ? `?${s}` : ''
}

export async function listChecks(filters: CheckFilters): Promise<CheckLogEntry[]> {
  return (await request<{ checks: CheckLogEntry[] }>(`/api/v1/clearances/checks${query({ ...filters, limit: '200' })}`)).checks
}

export function unusualCheckers(): Promise<UnusualReport> {
  return request<UnusualReport>('/api/v1/clearances/unusual')
}

/** Per-unit timeliness of a period; without one, the server picks the period with data (and says which). */
export function timeliness(period: string | null): Promise<{ period: string; units: UnitTimeliness[] }> {
  return request<{ period: string; units: UnitTimeliness[] }>(`/api/v1/reports/timeliness${query({ period: period ?? '' })}`)
}

export async function missingFeeds(period: string): Promise<MissingFeed[]> {
  return (await request<{ missing: MissingFeed[] }>(`/api/v1/reports/missing${query({ period })}`)).missing
}
