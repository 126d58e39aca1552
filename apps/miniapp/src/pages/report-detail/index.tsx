import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { cstDate, cstYear, formatCst, getReportType, type EventReportType, formatFieldValue } from '@xieshui/core'
import { getLocale, useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { ReportField } from '../../components/report-field'
import { SubmitBar } from '../../components/submit-bar'
import { useAsync } from '../../features/report/use-async'
import { getReportDetail, type ReportDetail } from '../../features/report-detail/api'
import { useFix } from '../../features/report-detail/use-fix'
import '../../features/report/report.css'
import '../../features/report-detail/detail.css'

function Fixable({ report, type, onDone }: { report: ReportDetail; type: EventReportType; onDone: (version: number) => void }) {
  const t = useT()
  const fix = useFix(report, type, onDone)
  const flagged = new Set(report.status === 'returned' ? report.returnedFields : [])
  const reason = report.reviewComment ?? ''
  // Correcting: bring the first answer the reviewer named into view.
  const first = type.fields.find((f) => flagged.has(f.name))?.name
  useEffect(() => {
    if (fix.editing && first) void Taro.pageScrollTo({ selector: `#f-${first}-field`, duration: 200 }).catch(() => undefined)
  }, [fix.editing, first])
  if (!fix.editing) {
    return (
      <View>
        <View className='card'>
          {type.fields.map((f) => (
            <View key={f.name} className={`dkv${flagged.has(f.name) ? ' dkv--flagged' : ''}`} id={`kv-${f.name}`}>
              <View className='dkv__row'>
                <Text className='dkv__k'>{t(f.labelKey)}</Text>
                <Text className='dkv__v'>{formatFieldValue(f, report.data[f.name], getLocale())}</Text>
              </View>
              {flagged.has(f.name) ? <Text className='dkv__reason' id={`kv-${f.name}-reason`}>{t('app-detail-field-reason', { comment: reason })}</Text> : null}
            </View>
          ))}
          <View className='dkv'>
            <View className='dkv__row'>
              <Text className='dkv__k'>{t('app-report-photos')}</Text>
              <Text className='dkv__v'>{report.photos}</Text>
            </View>
          </View>
        </View>
        {report.status === 'returned' && report.mine ? (
          <ActionButton id='fix-start' onClick={fix.start}>{t('app-fix-start')}</ActionButton>
        ) : null}
      </View>
    )
  }
  return (
    <View>
      <Text className='deadline'>{t('app-fix-hint')}</Text>
      <View className='card'>
        {type.fields.map((f) => (
          <ReportField
            key={f.name}
            field={f}
            value={fix.values[f.name] ?? ''}
            onChange={(v) => fix.setValue(f.name, v)}
            error={fix.fields[f.name] ?? (flagged.has(f.name) ? t('app-detail-field-reason', { comment: reason }) : undefined)}
            year={cstYear(new Date())}
          />
        ))}
      </View>
      <SubmitBar id='fix-submit' busy={fix.busy} onSubmit={fix.submit} fields={fix.fields} message={fix.error} order={type.fields.map((f) => f.name)}>
        {fix.busy ? t('app-working') : t('app-fix-submit')}
      </SubmitBar>
      <ActionButton id='fix-cancel' kind='secondary' onClick={fix.cancel}>{t('app-fix-cancel')}</ActionButton>
    </View>
  )
}

function Detail({ report, onDone, done }: { report: ReportDetail; onDone: (version: number) => void; done: number | null }) {
  const t = useT()
  const type = getReportType(report.type)
  const event = type && type.kind === 'event' && !report.nil ? (type as EventReportType) : null
  const history = report.versions.length > 1 ? report.versions : []
  return (
    <View>
      <View className='card' id='detail-card'>
        <View className='ritem__head'>
          <Text className='ritem__type'>{type ? t(type.titleKey) : t('app-detail-title')}</Text>
          <Text className={`badge badge--${report.status}`} id='detail-status'>{t(`report-status-${report.status}`)}</Text>
          <Text className={`badge badge--${report.timeliness}`}>{t(`report-timeliness-${report.timeliness}`)}</Text>
          {report.version > 1 ? <Text className='badge' id='detail-version'>{t('app-detail-version', { version: report.version })}</Text> : null}
        </View>
        <Text className='ritem__summary'>{report.nil ? `${report.period ?? ''} · ${t('report-nil')}` : report.summary}</Text>
        <Text className='ritem__meta'>{t('app-detail-filed', { date: cstDate(new Date(report.createdAt)) })} · {report.unit.name}</Text>
      </View>
      {done ? <Notice id='fix-done' kind='info' text={t('app-fix-done', { version: done })} /> : null}
      {report.status === 'returned' && report.reviewComment ? (
        <View className='card card--returned' id='detail-reason'>
          <Text className='card__title'>{t('app-detail-returned-title')}</Text>
          <Text className='card__text'>{report.reviewComment}</Text>
        </View>
      ) : null}
      {event ? <Fixable key={`${report.id}-${report.version}`} report={report} type={event} onDone={onDone} /> : null}
      {!event && type?.kind === 'feed' ? (
        <View className='card'>
          <View className='dkv'>
            <View className='dkv__row'>
              <Text className='dkv__k'>{t('app-review-period')}</Text>
              <Text className='dkv__v'>{report.period} · {report.nil ? t('report-nil') : t('app-feeds-filed-rows', { rows: report.rowCount })}</Text>
            </View>
          </View>
          {report.status === 'returned' && report.mine ? (
            <View>
              <Text className='card__text'>{t('app-detail-feed-hint')}</Text>
              <ActionButton id='open-feeds' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/report-feeds/index' })}>{t('app-detail-open-feeds')}</ActionButton>
            </View>
          ) : null}
        </View>
      ) : null}
      {history.length ? (
        <View className='card' id='detail-history'>
          <Text className='card__title'>{t('app-detail-history')}</Text>
          {history.map((v) => (
            <View key={v.version} className='history__item'>
              <Text className='history__head'>
                {t('app-detail-history-item', { version: v.version, date: formatCst(new Date(v.submittedAt)), status: t(`report-status-${v.status}` as 'report-status-submitted') })}
              </Text>
              {v.reviewComment ? <Text className='history__comment'>{t('app-report-review-comment', { comment: v.reviewComment })}</Text> : null}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}

/** One of my reports (我的报送 → an item): its answers, the reviewer's reason next to the fields concerned, the correction of a returned report. */
export default function ReportDetailPage() {
  const t = useT()
  const id = useRouter().params.id ?? ''
  const report = useAsync(() => getReportDetail(id), [id])
  const [done, setDone] = useState<number | null>(null)
  return (
    <View className='page page--form'>
      <PageHeader title={t('app-detail-title')} />
      <Notice text={report.error} />
      {report.value ? (
        <Detail
          report={report.value}
          done={done}
          onDone={(version) => {
            setDone(version)
            report.reload()
            void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
          }}
        />
      ) : null}
    </View>
  )
}
