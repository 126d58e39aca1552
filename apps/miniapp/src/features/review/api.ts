import { type ReportStatus } from '@xieshui/core'
import { request } from '../../lib/request'
import type { ReportView } from '../report/api'
import { downloadWithToken } from '../../lib/download'

/** Inbox filters; empty strings mean "any". `unit` is a unit code and `reporter` a user id, both picked by name. */
export interface InboxFilters {
  type: string
  unit: string
  reporter: string
  status: '' | ReportStatus
  period: string
}

/** A person as the filters pick them: by name, with their unit. */
export interface PersonOption {
  id: string
  name: string
  unit: { code: string; name: string }
}

/** People whose name or unit contains `q` (GET /people), for the pickers of the back office. */
export function searchPeople(q: string): Promise<PersonOption[]> {
  return request<PersonOption[]>(`/api/v1/people?${new URLSearchParams({ q: q.trim().slice(0, 40) }).toString()}`)
}

/** The query string of the inbox / export for these filters (empty ones left out). */
export function filterQuery(filters: Partial<InboxFilters> & { format?: string }): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(filters)) if (typeof v === 'string' && v.trim()) q.set(k, v.trim())
  return q.toString()
}

export async function loadInbox(filters: InboxFilters): Promise<ReportView[]> {
  const q = filterQuery(filters)
  return (await request<{ reports: ReportView[] }>(`/api/v1/reports/inbox${q ? `?${q}` : ''}`)).reports
}

/** Accept, or return with a reason and optionally the fields concerned (shown next to them on the reporter's page). */
export function reviewReport(id: string, decision: 'accept' | 'return', comment: string, fields: string[] = []): Promise<ReportView> {
  const data: Record<string, unknown> = { decision }
  if (comment) data.comment = comment
  if (decision === 'return' && fields.length) data.fields = fields
  return request<ReportView>(`/api/v1/reports/${encodeURIComponent(id)}/review`, { method: 'POST', data })
}

/**
 * Downloads an export (CSV/XLSX of one type and period) with the bearer token. H5: fetch → blob →
 * object URL → a download link; WeChat: downloadFile, then openDocument (which can forward it).
 */
export function downloadExport(type: string, period: string, format: 'csv' | 'xlsx'): Promise<string> {
  return downloadWithToken(`/api/v1/reports/export?${filterQuery({ type, period, format })}`, `${type}-${period}.${format}`, format)
}
