import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { FeedReportType } from '@xieshui/core'
import { getLocale, useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { scrollToId } from '../../lib/scroll'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { feedMime, feedStatus, fileNilReport, uploadFeed } from '../../features/report/api'
import { currentFeedPeriod, feedErrorLines, feedRows, pickFeedFile } from '../../features/report/feeds'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'

const MAX_FILE_BYTES = 20 * 1024 * 1024

interface Outcome {
  type: string
  ok: boolean
  text: string
  lines: string[]
}

function Feeds() {
  const t = useT()
  const period = currentFeedPeriod()
  const mine = useAsync(() => feedStatus(period), [period])
  const [busy, setBusy] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  // An upload's result (rows refused, the count received) is brought to where the eye is.
  useEffect(() => {
    if (outcome) scrollToId(`feed-outcome-${outcome.type}`)
  }, [outcome])
  const rows = feedRows(mine.value ?? [])

  const upload = async (feed: FeedReportType) => {
    const file = await pickFeedFile()
    if (!file) return
    if (!feedMime(file.name)) return setOutcome({ type: feed.code, ok: false, text: t('feed-file-format'), lines: [] })
    if (file.size > MAX_FILE_BYTES) return setOutcome({ type: feed.code, ok: false, text: t('feed-file-too-large', { mb: 20 }), lines: [] })
    setBusy(feed.code)
    try {
      const r = await uploadFeed(feed.code, period, file)
      const flagged = r.flagged.length ? t('app-feeds-flagged', { count: r.flagged.length }) : ''
      setOutcome({ type: feed.code, ok: true, text: t('app-feeds-uploaded', { rows: r.rows, timeliness: t(`report-timeliness-${r.timeliness}`) }) + flagged, lines: [] })
      mine.reload()
    } catch (e) {
      if (isApiError(e)) setOutcome({ type: feed.code, ok: false, text: e.message, lines: feedErrorLines(feed.code, e.fields, getLocale()) })
      else setOutcome({ type: feed.code, ok: false, text: t('app-error-network'), lines: [] })
    } finally {
      setBusy(null)
    }
  }

  const nil = async (feed: FeedReportType) => {
    const answer = await Taro.showModal({ title: t('report-nil'), content: t('app-feeds-nil-confirm', { type: t(feed.titleKey), period }), confirmText: t('app-feeds-nil-yes'), cancelText: t('app-report-dup-cancel') })
    if (!answer.confirm) return
    setBusy(feed.code)
    try {
      const r = await fileNilReport(feed.code, period, `nil-${feed.code}-${period}`)
      setOutcome({ type: feed.code, ok: true, text: t('app-feeds-nil-done', { timeliness: t(`report-timeliness-${r.timeliness}`) }), lines: [] })
      mine.reload()
    } catch (e) {
      setOutcome({ type: feed.code, ok: false, text: isApiError(e) ? e.message : t('app-error-network'), lines: [] })
    } finally {
      setBusy(null)
    }
  }

  return (
    <View>
      <Text className='deadline'>{t('app-feeds-period', { period })}</Text>
      <Notice text={mine.error} />
      {mine.value && rows.length === 0 ? <Notice kind='info' text={t('app-feeds-none')} /> : null}
      {rows.map((row) => (
        <View key={row.feed.code} className='ritem' id={`feed-${row.feed.code}`}>
          <View className='ritem__head'>
            <Text className='ritem__type'>{t(row.feed.titleKey)}</Text>
            {row.filed ? (
              <Text className={`badge badge--${row.filed.timeliness}`}>{t(`report-timeliness-${row.filed.timeliness}`)}</Text>
            ) : (
              <Text className={`badge${row.overdue ? ' badge--overdue' : ' badge--submitted'}`}>{row.overdue ? t('app-feeds-missing') : t('app-feeds-open')}</Text>
            )}
          </View>
          <Text className='ritem__meta'>{t('app-feeds-due', { date: row.dueDate })}</Text>
          {row.filed ? (
            <Text className='ritem__summary'>{row.filed.nil ? t('report-nil') : t('app-feeds-filed-rows', { rows: row.filed.rowCount })} · {t(`report-status-${row.filed.status}`)}</Text>
          ) : null}
          {outcome?.type === row.feed.code ? (
            <View id={`feed-outcome-${row.feed.code}`}>
              <Notice kind={outcome.ok ? 'info' : 'error'} text={outcome.text} />
              {outcome.lines.map((l) => (
                <Text key={l} className='rowerr'>{l}</Text>
              ))}
            </View>
          ) : null}
          {!row.filed ? (
            <View className='btn-row'>
              <ActionButton id={`feed-upload-${row.feed.code}`} disabled={busy !== null} onClick={() => void upload(row.feed)}>{busy === row.feed.code ? t('app-working') : t('app-feeds-upload')}</ActionButton>
              <ActionButton id={`feed-nil-${row.feed.code}`} kind='secondary' disabled={busy !== null} onClick={() => void nil(row.feed)}>{t('report-nil')}</ActionButton>
            </View>
          ) : null}
        </View>
      ))}
    </View>
  )
}

/** 定期数据: this period's feeds of the unit with status and due date; upload a file or file 本期无. */
export default function FeedsPage() {
  const t = useT()
  return (
    <View className='page'>
      <PageHeader title={t('app-feeds-title')} />
      <Guard roles={['reporter']}>
        <Feeds />
      </Guard>
    </View>
  )
}
