import Taro from '@tarojs/taro'
import { t, type Timeliness, type ReportStatus } from '@xieshui/core'
import { apiBase, isH5 } from '../../lib/env'
import { getLocale } from '../../lib/i18n'
import { ApiError, request, toApiError } from '../../lib/request'
import { getToken } from '../../lib/session'

/** What POST /reports answers (201 first time, 200 with the same body for the same clientId). */
export interface SubmittedReport {
  id: string
  status: ReportStatus
  timeliness: Timeliness
  possibleDuplicateOf?: string | null
}

/** A report as the API shows it to its reporter and to reviewers. */
export interface ReportView {
  id: string
  type: string
  status: ReportStatus
  timeliness: Timeliness
  unit: { code: string; name: string }
  reporter: string
  summary: string
  data: Record<string, unknown>
  period: string | null
  nil: boolean
  rowCount: number
  possibleDuplicateOf: string | null
  dueAt: string | null
  createdAt: string
  reviewedAt: string | null
  reviewComment: string | null
  photos: number
  /** 1, or the number of the correction after a return */
  version: number
  /** data keys the reviewer named when returning */
  returnedFields: string[]
}

/** An earlier report of the same fact, with a ready-made sentence ("东村 已于 … 报送过相同的内容"). */
export interface PossibleDuplicate {
  id: string
  unit: { code: string; name: string }
  /** null for another unit's report */
  summary: string | null
  status: string
  createdAt: string
  message: string
}

export function submitReport(input: { type: string; clientId: string; data: Record<string, unknown> }): Promise<SubmittedReport> {
  return request<SubmittedReport>('/api/v1/reports', { method: 'POST', data: input })
}

/** Earlier reports with the same duplicate key (only the type's key fields are sent, in the body: they hold ID numbers). */
export async function findDuplicates(type: string, data: Record<string, unknown>, keys: readonly string[]): Promise<PossibleDuplicate[]> {
  const picked: Record<string, unknown> = {}
  for (const k of keys) {
    const v = data[k]
    if (v !== undefined && v !== null) picked[k] = v
  }
  const res = await request<{ duplicates: PossibleDuplicate[] }>('/api/v1/reports/duplicates', { method: 'POST', data: { type, data: picked } })
  return res.duplicates
}

export async function listMyReports(): Promise<ReportView[]> {
  return (await request<{ reports: ReportView[] }>('/api/v1/reports/mine')).reports
}

export function getReport(id: string): Promise<ReportView> {
  return request<ReportView>(`/api/v1/reports/${encodeURIComponent(id)}`)
}

/** One feed of the unit for a period as the API reports it: filed by anyone of the unit, or missing. */
export interface FeedStatus {
  type: string
  period: string
  dueDate: string
  overdue: boolean
  filed: { id: string; nil: boolean; rowCount: number; timeliness: Timeliness; status: ReportStatus; createdAt: string } | null
}

/** The unit's feeds for a period (the unit's duty, whoever of the unit filed). */
export async function feedStatus(period: string): Promise<FeedStatus[]> {
  return (await request<{ feeds: FeedStatus[] }>(`/api/v1/reports/feeds/status?period=${encodeURIComponent(period)}`)).feeds
}

export function fileNilReport(type: string, period: string, clientId: string): Promise<SubmittedReport> {
  return request<SubmittedReport>('/api/v1/reports/feeds/nil', { method: 'POST', data: { type, period, clientId } })
}

/** The answer to a feed upload: row count, encoding found, rows flagged for the tax bureau. */
export interface FeedUploaded extends SubmittedReport {
  period: string
  rows: number
  format: 'csv' | 'xlsx'
  encoding: string | null
  flagged: { line: number; flag: string }[]
}

/**
 * Sends raw bytes (a photo, a CSV/XLSX) as the request body, which is what the API's upload routes
 * take. H5: fetch with a Blob; WeChat: wx.request with an ArrayBuffer read from the temp file.
 */
export async function postBytes<T>(path: string, body: { blob?: Blob; filePath?: string }, contentType: string): Promise<T> {
  const locale = getLocale()
  const header: Record<string, string> = { 'Content-Type': contentType, Accept: 'application/json', 'Accept-Language': locale }
  const token = getToken()
  if (token) header.Authorization = `Bearer ${token}`
  let status: number
  let data: unknown
  try {
    if (isH5()) {
      const blob = body.blob ?? (await (await fetch(body.filePath!)).blob())
      const res = await fetch(`${apiBase()}${path}`, { method: 'POST', headers: header, body: blob })
      status = res.status
      data = await res.text()
    } else {
      const bytes = await new Promise<ArrayBuffer>((resolve, reject) => {
        Taro.getFileSystemManager().readFile({
          filePath: body.filePath!,
          success: (r) => resolve(r.data as ArrayBuffer),
          fail: reject,
        })
      })
      const res = await Taro.request({ url: `${apiBase()}${path}`, method: 'POST', data: bytes, header, dataType: 'json', timeout: 60_000 })
      status = res.statusCode
      data = res.data
    }
  } catch {
    throw new ApiError(0, 'network', t(locale, 'app-error-network'))
  }
  const parsed = typeof data === 'string' ? safeJson(data) : data
  if (status >= 200 && status < 300) return parsed as T
  throw toApiError(status, parsed, locale)
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** MIME type of a picked photo from its name; the server checks the bytes again. */
export function imageMime(name: string): string | null {
  const ext = name.toLowerCase().split('?')[0]!.split('.').pop() ?? ''
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg'
  if (ext === 'png') return 'image/png'
  if (ext === 'webp') return 'image/webp'
  return null
}

/** Uploads one photo of a report; the same bytes again return the first photo (200). */
export function uploadPhoto(reportId: string, photo: { blob?: Blob; filePath?: string }, mime: string): Promise<{ id: string; created: boolean }> {
  return postBytes(`/api/v1/reports/${encodeURIComponent(reportId)}/photos`, photo, mime)
}

/** Feed file types the API takes, by extension. */
export function feedMime(name: string): string | null {
  const ext = name.toLowerCase().split('.').pop() ?? ''
  if (ext === 'csv') return 'text/csv'
  if (ext === 'xlsx') return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  return null
}

export function uploadFeed(type: string, period: string, file: { blob?: Blob; filePath?: string; name: string }): Promise<FeedUploaded> {
  const mime = feedMime(file.name) ?? 'application/octet-stream'
  const q = new URLSearchParams({ fileName: file.name.slice(0, 200) })
  return postBytes(`/api/v1/reports/feeds/${encodeURIComponent(type)}/${encodeURIComponent(period)}?${q.toString()}`, file, mime)
}
