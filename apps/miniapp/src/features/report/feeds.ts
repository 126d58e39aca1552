import Taro from '@tarojs/taro'
import { duePeriod, getReportType, reportFields, t, type FeedReportType, type FieldErrors, type Locale } from '@xieshui/core'
import { isH5 } from '../../lib/env'
import type { FeedStatus } from './api'

/** The period a feed is due for now: last month (due by day N of this month). */
export function currentFeedPeriod(now: Date = new Date()): string {
  return duePeriod(now)
}

/** One feed of the unit for a period, as the feeds page lists it. */
export interface FeedRow extends FeedStatus {
  feed: FeedReportType
}

/** Pairs the API's feed statuses with their registry entries (statuses of unknown types are dropped). */
export function feedRows(statuses: readonly FeedStatus[]): FeedRow[] {
  return statuses.flatMap((s) => {
    const feed = getReportType(s.type)
    return feed && feed.kind === 'feed' ? [{ ...s, feed }] : []
  })
}

/**
 * The per-row validation report of a refused upload, in reading order: `rows.<line>.<column>` →
 * "第 3 行 · 容积率：…", `columns.<header>` → "列“其他”：…".
 */
export function feedErrorLines(type: string, fields: FieldErrors, locale: Locale): string[] {
  const feed = getReportType(type)
  const labels = new Map(feed ? reportFields(feed).map((f) => [f.name, t(locale, f.labelKey)]) : [])
  const rows: { line: number; text: string }[] = []
  const other: string[] = []
  for (const [path, message] of Object.entries(fields)) {
    const row = /^rows\.(\d+)\.(.+)$/.exec(path)
    if (row) {
      rows.push({ line: Number(row[1]), text: t(locale, 'app-feeds-row-error', { line: row[1]!, column: labels.get(row[2]!) ?? row[2]!, message }) })
      continue
    }
    const col = /^columns\.(.+)$/.exec(path)
    other.push(col ? t(locale, 'app-feeds-column-error', { column: col[1]!, message }) : message)
  }
  return [...other, ...rows.sort((a, b) => a.line - b.line).map((r) => r.text)]
}

/** A spreadsheet picked by the user: H5 gives the File, WeChat a temp path from a chat. */
export interface PickedFile {
  name: string
  size: number
  blob?: Blob
  filePath?: string
}

/** Opens the platform's file chooser for a CSV/XLSX; null when cancelled. */
export function pickFeedFile(): Promise<PickedFile | null> {
  if (isH5()) {
    return new Promise((resolve) => {
      const input = document.createElement('input')
      input.type = 'file'
      input.accept = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      input.style.display = 'none'
      input.addEventListener('change', () => {
        const file = input.files?.[0]
        input.remove()
        resolve(file ? { name: file.name, size: file.size, blob: file } : null)
      })
      document.body.appendChild(input)
      input.click()
    })
  }
  return Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv', 'xlsx'] }).then(
    (res) => {
      const f = res.tempFiles[0]
      return f ? { name: f.name, size: f.size, filePath: f.path } : null
    },
    () => null,
  )
}
