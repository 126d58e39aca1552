import Taro, { useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { cstYear, formatCst, type EventReportType, type MessageKey } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { ReportField } from '../../components/report-field'
import { SubmitBar } from '../../components/submit-bar'
import { deadlineOf, deadlineText, eventType } from '../../features/report/form-model'
import { useReportForm } from '../../features/report/use-report-form'
import { MAX_PHOTOS } from '../../features/report/photos'
import { requestNextCheck } from '../../features/check/report-link'
import '../../features/report/report.css'

function ReportForm({ type }: { type: EventReportType }) {
  const t = useT()
  const form = useReportForm(type)
  const year = cstYear(new Date())
  const due = deadlineOf(type, form.values)

  if (form.result) {
    const r = form.result
    return (
      <View className='card' id='report-result'>
        <Text className='card__title'>{t('app-report-submitted')}</Text>
        <View className='result__row'>
          <Text className='result__label'>{t('app-report-status')}</Text>
          <Text className='result__value' id='result-status'>{t(`report-status-${r.status}`)}</Text>
        </View>
        <View className='result__row result__row--explained'>
          <View className='result__line'>
            <Text className='result__label'>{t('app-report-timeliness')}</Text>
            <Text className={`result__value badge badge--${r.timeliness}`} id='result-timeliness'>{t(`report-timeliness-${r.timeliness}`)}</Text>
          </View>
          <Text className='explain' id='result-timeliness-explain'>{t(`fs-timeliness-${r.timeliness}`)}</Text>
        </View>
        {form.photos.length > 0 ? (
          <View className='result__row'>
            <Text className='result__label'>{t(`fs-photos-${type.code}` as MessageKey)}</Text>
            <Text className='result__value'>{t('app-report-photos-uploaded', { count: r.photosUploaded })}</Text>
          </View>
        ) : null}
        {r.possibleDuplicateOf ? <Notice kind='info' text={t('app-report-submitted-duplicate')} /> : null}
        {r.photoErrors.length > 0 ? <Notice text={t('app-report-photo-failed', { reason: r.photoErrors[0]! })} /> : null}
        <Text className='card__text' id='result-hint'>{t('app-report-submitted-hint')}</Text>
        <ActionButton id='goto-mine' onClick={() => void Taro.redirectTo({ url: '/pages/report-mine/index' })}>{t('app-report-mine-title')}</ActionButton>
        {/* A vehicle is reported from a check: the next one starts with the next check, not an empty form. */}
        {type.code === 'vehicle_no_clearance' ? (
          <ActionButton id='check-next-vehicle' kind='secondary' onClick={() => {
            requestNextCheck()
            void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/pages/check/index' }))
          }}>{t('app-check-next')}</ActionButton>
        ) : (
          <ActionButton id='report-again' kind='secondary' onClick={form.reset}>{t('app-report-again')}</ActionButton>
        )}
      </View>
    )
  }

  return (
    <View>
      <View className='deadline' id='form-deadline'>
        <Text>{deadlineText(t, type)}</Text>
        {due ? <Text className='deadline__date'>{t('fs-due-date', { due: formatCst(due.dueAt) })}</Text> : null}
      </View>
      {form.restored ? <Notice id='draft-restored' kind='info' text={t('app-report-draft-restored')} /> : null}
      <View className='card'>
        {type.fields.map((f) => (
          <ReportField key={f.name} field={f} value={form.values[f.name] ?? ''} onChange={(v) => form.setValue(f.name, v)} error={form.fields[f.name]} year={year} />
        ))}
        <View className='field'>
          <Text className='field__label' id='photos-label'>{t(`fs-photos-${type.code}` as MessageKey)}</Text>
          <View className='photos' id='photos'>
            {form.photos.map((p) => (
              <View key={p.path} className='photo'>
                <Image className='photo__img' src={p.path} mode='aspectFill' />
                {p.uploadedId ? <Text className='photo__ok'>✓</Text> : <Text className='photo__remove' onClick={() => form.removePhoto(p.path)}>×</Text>}
              </View>
            ))}
          </View>
          {form.photos.length < MAX_PHOTOS ? (
            <ActionButton id='add-photo' kind='secondary' onClick={() => void form.addPhotos()}>{t('app-report-add-photo')}</ActionButton>
          ) : null}
          <Text className='field__hint' id='photos-hint'>{t('app-report-photos-hint', { max: MAX_PHOTOS })}</Text>
        </View>
      </View>

      {form.late ? (
        <View className='card dup' id='late-warning'>
          <Text className='card__title'>{t('fs-late-title')}</Text>
          <Text className='card__text'>{t('fs-late-explain', { due: form.late.due })}</Text>
          <ActionButton id='late-continue' disabled={form.submitting} onClick={() => void form.submit({ confirmLate: true })}>{t('fs-late-continue')}</ActionButton>
          <ActionButton id='late-cancel' kind='secondary' onClick={form.dismissLate}>{t('app-report-dup-cancel')}</ActionButton>
        </View>
      ) : form.duplicates ? (
        <View className='card dup' id='dup-prompt'>
          <Text className='card__title'>{t('app-report-dup-title', { unit: form.duplicates[0]!.unit.name })}</Text>
          {form.duplicates.map((d) => (
            <Text key={d.id} className='dup__item'>{d.message}</Text>
          ))}
          <Text className='card__text'>{t('app-report-dup-explain')}</Text>
          <ActionButton id='dup-continue' disabled={form.submitting} onClick={() => void form.submit({ confirmDuplicates: true, confirmLate: true })}>{t('app-report-dup-continue')}</ActionButton>
          <ActionButton id='dup-cancel' kind='secondary' onClick={form.dismissDuplicates}>{t('app-report-dup-cancel')}</ActionButton>
        </View>
      ) : (
        <SubmitBar id='report-submit' busy={form.submitting} onSubmit={() => form.submit()} fields={form.fields} message={form.formError} order={type.fields.map((f) => f.name)}>
          {form.submitting ? t('app-working') : t('app-report-submit')}
        </SubmitBar>
      )}
    </View>
  )
}

/** A report form generated from the registry for the type in the URL (?type=rental). */
export default function ReportFormPage() {
  const t = useT()
  const type = eventType(useRouter().params.type)
  return (
    <View className='page page--form'>
      <PageHeader title={type ? t(type.titleKey) : t('feature-report')} />
      {/* A failed check is a checker's authority to report that vehicle. */}
      <Guard roles={type?.code === 'vehicle_no_clearance' ? ['reporter', 'checker'] : ['reporter']}>{type ? <ReportForm type={type} /> : <Notice text={t('report-type-unknown')} />}</Guard>
    </View>
  )
}
