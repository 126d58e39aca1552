import type { LocalTax, TargetStatus, TaxFigureKind } from '@xieshui/core'
import { request } from '../../lib/request'
import { feedMime, postBytes } from '../report/api'
import type { PickedFile } from '../report/feeds'

/** One tax of a town (or of the district) against its target; money is fen as decimal strings. */
export interface TargetLine {
  tax: LocalTax
  targetFen: string | null
  actualFen: string
  share: number | null
  status: TargetStatus
}

/** GET /api/v1/targets/progress. */
export interface TargetProgress {
  year: number
  through: string | null
  monthsElapsed: number
  yearShare: number
  towns: { unit: { code: string; name: string }; taxes: TargetLine[] }[]
  district: TargetLine[]
  empty: boolean
  noTargets: boolean
}

/** POST /api/v1/targets/import's answer. */
export interface TaxFigureImportSummary {
  kind: TaxFigureKind
  imported: number
  updated: number
  rejected: { line: number; reason: string }[]
  rejectedCount: number
  dryRun: boolean
  importId: string
}

export function targetProgress(year: number): Promise<TargetProgress> {
  return request(`/api/v1/targets/progress?year=${year}`)
}

/** Streams the picked file as the raw body; a dry run checks and counts but writes no figure. */
export function importTaxFigures(file: PickedFile, kind: TaxFigureKind, dryRun: boolean): Promise<TaxFigureImportSummary> {
  const q = new URLSearchParams({ kind, fileName: file.name.slice(0, 200) })
  if (dryRun) q.set('dryRun', '1')
  return postBytes(`/api/v1/targets/import?${q.toString()}`, file, feedMime(file.name) ?? 'application/octet-stream')
}

/** A bar's width: the share of target, 0..100 (a share above the target fills the bar). */
export function barPercent(share: number | null): number {
  return share === null ? 0 : Math.max(0, Math.min(100, Math.round(share * 1000) / 10))
}

/** A 0..1 share as people read it: 91.7%. */
export function showShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 1000) / 10}%`
}
