import { feedMime, postBytes } from '../report/api'
import type { PickedFile } from '../report/feeds'

/** POST /api/v1/clearances/import's answer (the CLI's --json summary plus run details). */
export interface ClearanceImportSummary {
  imported: number
  updated: number
  /** the first 1,000 rejected rows by line; rejectedCount counts them all */
  rejected: { line: number; reason: string }[]
  rejectedCount?: number
  rejectedTruncated?: boolean
  dryRun: boolean
  complete: boolean
  batchId: string | null
  failedBatch?: { fromLine: number; toLine: number; rows: number; reason: string }
}

/** Clearance exports the API takes: CSV or XLSX. */
export function isImportFile(name: string): boolean {
  return feedMime(name) !== null
}

/** Streams the picked file as the raw request body; a dry run validates and counts but writes nothing. */
export function importClearances(file: PickedFile, dryRun: boolean): Promise<ClearanceImportSummary> {
  const q = new URLSearchParams({ fileName: file.name.slice(0, 200) })
  if (dryRun) q.set('dryRun', '1')
  return postBytes(`/api/v1/clearances/import?${q.toString()}`, file, feedMime(file.name) ?? 'application/octet-stream')
}

/** How many rejected lines the page lists; the rest are counted. */
export const SHOWN_REJECTED = 20

/**
 * The first rejected lines in file order, how many were rejected in all (the server lists at most
 * 1,000 and counts the rest), and how many more there are than shown.
 */
export function rejectedPreview(summary: ClearanceImportSummary, limit = SHOWN_REJECTED): { shown: ClearanceImportSummary['rejected']; more: number; total: number; truncated: boolean } {
  const sorted = [...summary.rejected].sort((a, b) => a.line - b.line)
  const shown = sorted.slice(0, limit)
  const total = Math.max(summary.rejectedCount ?? sorted.length, sorted.length)
  return { shown, more: total - shown.length, total, truncated: summary.rejectedTruncated ?? false }
}

/** A file size people read: 12.3 KB, 4.5 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
