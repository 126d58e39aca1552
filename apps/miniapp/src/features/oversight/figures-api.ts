import { type FigureKey, type UnitType } from '@xieshui/core'
import { request } from '../../lib/request'
import { downloadWithToken } from '../../lib/download'

export type Figures = Record<FigureKey, number | null>

export interface FigureRow {
  unit: { code: string; name: string; type: UnitType }
  figures: Figures
  total?: Figures
  members?: FigureRow[]
}

export interface OversightUnits {
  period: { code: string; kind: 'month' | 'quarter' | 'year'; from: string; to: string }
  rows: FigureRow[]
  district: Figures
  notes: string[]
}

export interface PackChange {
  unit: { code: string; name: string; type: UnitType }
  before: number
  after: number
}

export interface PackSummary {
  quarter: string
  previousQuarter: string
  from: string
  to: string
  generatedAt: string
  empty: boolean
  noActivity: boolean
  overview: { key: string; label: string; value: number | null; previous: number | null }[]
  improved: PackChange[]
  behind: PackChange[]
  notes: string[]
  files: { format: PackFormat; fileName: string; url: string }[]
}

export type PackFormat = 'xlsx' | 'html' | 'pdf'

export function oversightUnits(period: string): Promise<OversightUnits> {
  return request<OversightUnits>(`/api/v1/oversight/units?period=${encodeURIComponent(period)}`)
}

export function quarterlyPack(quarter: string): Promise<PackSummary> {
  return request<PackSummary>(`/api/v1/oversight/quarterly?quarter=${encodeURIComponent(quarter)}`)
}

/**
 * Downloads one file of the pack with the bearer token. H5: fetch → blob → a download link; WeChat:
 * downloadFile, then openDocument (which can forward it to a colleague or print it).
 */
export function downloadPackFile(file: { format: PackFormat; fileName: string; url: string }): Promise<string> {
  return downloadWithToken(file.url, file.fileName, file.format === 'html' ? undefined : file.format)
}

/** Recent periods to choose from, newest first, never one that has not started. */
export function recentPeriods(kind: 'month' | 'quarter' | 'year', now: Date = new Date()): string[] {
  const cst = new Date(now.getTime() + 8 * 3600_000)
  const y = cst.getUTCFullYear()
  const m = cst.getUTCMonth() + 1
  if (kind === 'year') return [0, 1, 2].map((i) => String(y - i))
  if (kind === 'quarter') {
    const q = Math.floor((m - 1) / 3) + 1
    return Array.from({ length: 8 }, (_, i) => {
      const idx = y * 4 + (q - 1) - i
      return `${Math.floor(idx / 4)}Q${(idx % 4) + 1}`
    })
  }
  return Array.from({ length: 12 }, (_, i) => {
    const idx = y * 12 + (m - 1) - i
    return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`
  })
}
