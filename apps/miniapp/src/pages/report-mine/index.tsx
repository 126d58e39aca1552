import Taro, { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { cstDate, getReportType } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { EmptyState } from '../../components/empty-state'
import { Guard } from '../../components/guard'
import { listMyReports } from '../../features/report/api'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'

/** 我的报送: the user's reports, newest first, with status, timeliness and the reviewer's comment; each opens its detail page (a returned one to be corrected). */
export default function MyReportsPage() {
  const t = useT()
  return (
    <View className='page'>
      <PageHeader title={t('app-report-mine-title')} />
      <Guard roles={['reporter']}>
        <Mine />
      </Guard>
    </View>
  )
}

function Mine() {
  const t = useT()
  const mine = useAsync(listMyReports, [])
  const reports = mine.value ?? []
  // Back from a detail page after a correction: show the new status.
  useDidShow(() => {
    if (mine.value) mine.reload()
  })
  return (
    <View>
      <Notice text={mine.error} />
      {!mine.loading && reports.length === 0 && !mine.error ? <EmptyState text={t('app-report-mine-empty')} action={t('fs-empty-mine-action')} onAction={() => void Taro.redirectTo({ url: '/pages/report/index' })} /> : null}
      <View id='mine-list'>
        {reports.map((r) => {
          const type = getReportType(r.type)
          return (
            <View key={r.id} className='ritem ritem--link' id={`mine-${r.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/report-detail/index?id=${encodeURIComponent(r.id)}` })}>
              <View className='ritem__head'>
                <Text className='ritem__type'>{type ? t(type.titleKey) : r.type}</Text>
                <Text className={`badge badge--${r.status}`}>{t(`report-status-${r.status}`)}</Text>
                <Text className={`badge badge--${r.timeliness}`}>{t(`report-timeliness-${r.timeliness}`)}</Text>
                {r.version > 1 ? <Text className='badge'>{t('app-detail-version', { version: r.version })}</Text> : null}
              </View>
              <Text className='ritem__summary'>{r.nil ? `${r.period ?? ''} · ${t('report-nil')}` : r.summary}</Text>
              <Text className='ritem__meta'>{cstDate(new Date(r.createdAt))}{r.photos ? ` · ${t('app-report-photos-uploaded', { count: r.photos })}` : ''}</Text>
              {r.reviewComment ? <Text className='ritem__comment'>{t('app-report-review-comment', { comment: r.reviewComment })}</Text> : null}
              <Text className={`ritem__more${r.status === 'returned' ? ' ritem__more--fix' : ''}`}>{t(r.status === 'returned' ? 'app-mine-fix' : 'app-mine-open')} ›</Text>
            </View>
          )
        })}
      </View>
    </View>
  )
}
