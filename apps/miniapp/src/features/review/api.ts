import Taro from '@tarojs/taro'
import { t, type ReportStatus } from '@xieshui/core'
import { apiBase, isH5 } from '../../lib/env'
import { getLocale } from '../../lib/i18n'
import { ApiError, request, toApiError } from '../../lib/request'
import { getToken } from '../../lib/session'
import type { ReportView } from '../report/api'

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
export async function downloadExport(type: string, period: string, format: 'csv' | 'xlsx'): Promise<string> {
  const locale = getLocale()
  const url = `${apiBase()}/api/v1/reports/export?${filterQuery({ type, period, format })}`
  const header: Record<string, string> = { 'Accept-Language': locale }
  const token = getToken()
  if (token) header.Authorization = `Bearer ${token}`
  const fileName = `${type}-${period}.${format}`
  if (isH5()) {
    let res: Response
    try {
      res = await fetch(url, { headers: header })
    } catch {
      throw new ApiError(0, 'network', t(locale, 'app-error-network'))
    }
    if (!res.ok) throw toApiError(res.status, await res.text(), locale)
    const href = URL.createObjectURL(await res.blob())
    const a = document.createElement('a')
    a.href = href
    a.download = fileName
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(href), 60_000)
    return fileName
  }
  const res = await Taro.downloadFile({ url, header }).catch(() => {
    throw new ApiError(0, 'network', t(locale, 'app-error-network'))
  })
  if (res.statusCode < 200 || res.statusCode >= 300) throw toApiError(res.statusCode, null, locale)
  await Taro.openDocument({ filePath: res.tempFilePath, fileType: format === 'xlsx' ? 'xlsx' : undefined, showMenu: true } as Taro.openDocument.Option)
  return fileName
}
