import Taro, { useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { canUse, cstDate, getReportType, reportFields } from '@xieshui/core'
import { getLocale, useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { getReportDetail, type ReportDetail } from '../../features/report-detail/api'
import { VersionChanges } from '../../features/review/version-changes'
import { ReturnFields } from '../../features/review/return-fields'
import { displayValue } from '../../features/report/form-model'
import { useAsync } from '../../features/report/use-async'
import { useReview } from '../../features/review/use-review'
import '../../features/report/report.css'

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
          <Text className='ritem__type'>{type ? t(type.titleKey) : report.type}</Text>
          <Text className={`badge badge--${shown.status}`} id='review-status'>{t(`report-status-${shown.status}`)}</Text>
          <Text className={`badge badge--${shown.timeliness}`}>{t(`report-timeliness-${shown.timeliness}`)}</Text>
          {report.version > 1 ? <Text className='badge' id='review-version'>{t('app-detail-version', { version: report.version })}</Text> : null}
        </View>
        <Text className='ritem__meta'>{report.unit.name} · {report.reporter} · {cstDate(new Date(report.createdAt))}</Text>
        {report.possibleDuplicateOf ? <Notice id='review-dup' text={t('app-review-duplicate-of', { id: report.possibleDuplicateOf })} /> : null}
        {fields.map((f) => (
          <View key={f.name} className={`kv${changed.has(f.name) ? ' kv--changed' : ''}`}>
            <Text className='kv__k'>{t(f.labelKey)}</Text>
            <Text className='kv__v' id={`kv-${f.name}`}>{displayValue(f, report.data[f.name], getLocale())}</Text>
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
          <Notice id='review-error' text={review.error} />
          <View className={`field${review.fields.comment ? ' field--error' : ''}`}>
            <Text className='field__label'>{t('app-review-comment')}</Text>
            <View className='field__input'>
              <Input id='review-comment' value={review.comment} maxlength={500} onInput={(e) => review.setComment(e.detail.value)} />
            </View>
            {review.fields.comment ? <Text className='field__error' id='review-comment-error'>{review.fields.comment}</Text> : <Text className='field__hint'>{t('app-review-comment-hint')}</Text>}
          </View>
          <ReturnFields fields={fields} chosen={review.returnFields} onToggle={review.toggleReturnField} />
          <View className='btn-row'>
            <ActionButton id='review-accept' disabled={review.busy} onClick={() => void review.accept()}>{t('app-review-accept')}</ActionButton>
            <ActionButton id='review-return' kind='danger' disabled={review.busy} onClick={() => void review.returnReport()}>{t('app-review-return')}</ActionButton>
          </View>
        </View>
      ) : (
        <ActionButton id='review-back' kind='secondary' onClick={() => void Taro.redirectTo({ url: '/pages/review/index' })}>{t('app-review-back')}</ActionButton>
      )}
    </View>
  )
}

/** One report for a tax officer: its fields labelled, the duplicate flag, accept or return with a reason. */
export default function ReviewDetailPage() {
  const t = useT()
  const { user } = useSession()
  const id = useRouter().params.id ?? ''
  const report = useAsync(() => getReportDetail(id), [id])
  return (
    <View className='page'>
      <PageHeader title={t('app-review-detail')} />
      {!canUse(user, 'review') ? <Notice text={t('error-forbidden')} /> : null}
      <Notice text={report.error} />
      {report.value && canUse(user, 'review') ? <Detail report={report.value} /> : null}
    </View>
  )
}
