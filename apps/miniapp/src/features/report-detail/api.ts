import { request } from '../../lib/request'
import type { ReportView, SubmittedReport } from '../report/api'

/** One version of a report in its history (oldest first, the current one last). */
export interface ReportVersionView {
  version: number
  status: string
  submittedAt: string
  reviewedAt: string | null
  reviewComment: string | null
  returnedFields: string[]
}

/** A report with its history, what changed since the previous version, and whether it is the reader's own. */
export interface ReportDetail extends ReportView {
  mine: boolean
  versions: ReportVersionView[]
  changes: { field: string; before: unknown; after: unknown }[]
}

export function getReportDetail(id: string): Promise<ReportDetail> {
  return request<ReportDetail>(`/api/v1/reports/${encodeURIComponent(id)}`)
}

/** POST /reports/:id/versions: the corrected report as its next version (the same clientId again returns it). */
export function resubmitReport(id: string, input: { clientId: string; data: Record<string, unknown> }): Promise<SubmittedReport & { version: number }> {
  return request(`/api/v1/reports/${encodeURIComponent(id)}/versions`, { method: 'POST', data: input })
}
