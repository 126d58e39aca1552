import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { cstDate, formatFieldValue, getReportType, reportFields } from '@xieshui/core'
import { getLocale, useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Field } from '../../components/field'
import { Guard } from '../../components/guard'
import { getReport } from '../../features/report/api'
import { getReportDetail, type ReportDetail } from '../../features/report-detail/api'
import { VersionChanges } from '../../features/review/version-changes'
import { ReturnFields } from '../../features/review/return-fields'
import { useAsync } from '../../features/report/use-async'
import { useReview } from '../../features/review/use-review'
import '../../features/report/report.css'

/** The earlier report this one may duplicate, by its unit and date (never its id). */
function DuplicateOf({ id }: { id: string }) {
  const t = useT()
  const other = useAsync(() => getReport(id), [id])
  if (!other.value) return null
  return <Notice id='review-dup' text={t('fs-review-duplicate-of', { unit: other.value.unit.name, date: cstDate(new Date(other.value.createdAt)) })} />
}

function Detail({ report }: { report: ReportDetail }) {
  const t = useT()
  const review = useReview(report.id)
  const shown = review.done ?? report
  const type = getReportType(report.type)
  const fields = type && !report.nil && type.kind === 'event' ? reportFields(type) : []
  const changed = new Set(report.changes.map((c) => c.field))
  return (
    <View>
      <VersionChanges report={report} />
      <View className='card' id='review-report'>
        <View className='ritem__head'>
          <Text className='ritem__type'>{type ? t(type.titleKey) : t('report-type-unknown')}</Text>
          <Text className={`badge badge--${shown.status}`} id='review-status'>{t(`report-status-${shown.status}`)}</Text>
          <Text className={`badge badge--${shown.timeliness}`}>{t(`report-timeliness-${shown.timeliness}`)}</Text>
          {report.version > 1 ? <Text className='badge' id='review-version'>{t('app-detail-version', { version: report.version })}</Text> : null}
        </View>
        <Text className='explain'>{t(`fs-timeliness-${shown.timeliness}`)}</Text>
        <Text className='ritem__meta'>{report.unit.name} · {report.reporter} · {cstDate(new Date(report.createdAt))}</Text>
        {report.possibleDuplicateOf ? <DuplicateOf id={report.possibleDuplicateOf} /> : null}
        {fields.map((f) => (
          <View key={f.name} className={`kv${changed.has(f.name) ? ' kv--changed' : ''}`}>
            <Text className='kv__k'>{t(f.labelKey)}</Text>
            <Text className='kv__v' id={`kv-${f.name}`}>{formatFieldValue(f, report.data[f.name], getLocale())}</Text>
          </View>
        ))}
        {type?.kind === 'feed' ? (
          <View className='kv'>
            <Text className='kv__k'>{t('app-review-period')}</Text>
            <Text className='kv__v'>{report.period} · {report.nil ? t('report-nil') : t('app-feeds-filed-rows', { rows: report.rowCount })}</Text>
          </View>
        ) : null}
        <View className='kv'>
          <Text className='kv__k'>{t('app-report-photos')}</Text>
          <Text className='kv__v'>{report.photos}</Text>
        </View>
        {shown.reviewComment ? <Text className='ritem__comment'>{t('app-report-review-comment', { comment: shown.reviewComment })}</Text> : null}
      </View>

      {shown.status === 'submitted' ? (
        <View className='card'>
          <Field id='review-comment' label={t('app-review-comment')} value={review.comment} onChange={review.setComment} error={review.fields.comment} hint={t('app-review-comment-hint')} maxlength={500} counter />
          <ReturnFields fields={fields} chosen={review.returnFields} onToggle={review.toggleReturnField} />
          <View className='btn-row'>
            <ActionButton id='review-accept' disabled={review.busy} onClick={() => void review.accept()}>{t('app-review-accept')}</ActionButton>
            <ActionButton id='review-return' kind='danger' disabled={review.busy} onClick={() => void review.returnReport()}>{t('app-review-return')}</ActionButton>
          </View>
          {review.error ? <Notice id='review-error' text={review.error} /> : null}
        </View>
      ) : (
        <ActionButton id='review-back' kind='secondary' onClick={() => void Taro.redirectTo({ url: '/pages/review/index' })}>{t('app-review-back')}</ActionButton>
      )}
    </View>
  )
}

/** One report for a tax officer: its fields labelled, the duplicate flag, accept or return (each confirmed). */
export default function ReviewDetailPage() {
  const t = useT()
  const id = useRouter().params.id ?? ''
  return (
    <View className='page'>
      <PageHeader title={t('app-review-detail')} />
      <Guard roles={['tax_officer']}>
        <Loaded id={id} />
      </Guard>
    </View>
  )
}

function Loaded({ id }: { id: string }) {
  const report = useAsync(() => getReportDetail(id), [id])
  return (
    <View>
      <Notice text={report.error} />
      {report.value ? <Detail report={report.value} /> : null}
    </View>
  )
}
