import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { canUse, cstDate, getReportType, periodOf, REPORT_STATUSES, REPORT_TYPES } from '@xieshui/core'
import { isH5 } from '../../lib/env'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { ImportLink } from '../../components/import-link'
import { downloadExport, loadInbox, type InboxFilters } from '../../features/review/api'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'
import '../../features/tip/tip.css'

function Inbox() {
  const t = useT()
  const [filters, setFilters] = useState<InboxFilters>({ type: '', unit: '', status: 'submitted', period: periodOf(new Date()) })
  const [unitText, setUnitText] = useState('')
  const [periodText, setPeriodText] = useState(filters.period)
  const [exportMsg, setExportMsg] = useState<{ ok: boolean; text: string } | null>(null)
  const inbox = useAsync(() => loadInbox(filters), [filters])
  const set = (patch: Partial<InboxFilters>) => setFilters((f) => ({ ...f, ...patch }))
  const periodOk = /^\d{4}-(0[1-9]|1[0-2])$/.test(filters.period)

  const doExport = async (format: 'csv' | 'xlsx') => {
    setExportMsg(null)
    try {
      const name = await downloadExport(filters.type, filters.period, format)
      setExportMsg({ ok: true, text: t('app-review-exported', { file: name }) })
    } catch (e) {
      setExportMsg({ ok: false, text: isApiError(e) ? e.message : String(e) })
    }
  }

  return (
    <View>
      <View className='card'>
        <Text className='field__label'>{t('app-review-filter-type')}</Text>
        <View className='chips chips--filters' id='filter-type'>
          {[{ code: '', label: t('app-review-any') }, ...REPORT_TYPES.map((x) => ({ code: x.code, label: t(x.titleKey) }))].map((o) => (
            <View key={o.code || 'any'} id={`filter-type-${o.code || 'any'}`} className={`chip${filters.type === o.code ? ' chip--on' : ''}`} onClick={() => set({ type: o.code })}>
              <Text>{o.label}</Text>
            </View>
          ))}
        </View>
        <Text className='field__label'>{t('app-review-filter-status')}</Text>
        <View className='chips chips--filters' id='filter-status'>
          {(['', ...REPORT_STATUSES] as const).map((s) => (
            <View key={s || 'any'} id={`filter-status-${s || 'any'}`} className={`chip${filters.status === s ? ' chip--on' : ''}`} onClick={() => set({ status: s })}>
              <Text>{s ? t(`report-status-${s}`) : t('app-review-any')}</Text>
            </View>
          ))}
        </View>
        <View className='btn-row'>
          <View className='field'>
            <Text className='field__label'>{t('app-review-filter-period')}</Text>
            <View className='field__input'>
              <Input id='filter-period' value={periodText} placeholder='2026-11' maxlength={7} onInput={(e) => setPeriodText(e.detail.value)} onBlur={() => set({ period: periodText.trim() })} onConfirm={() => set({ period: periodText.trim() })} />
            </View>
          </View>
          <View className='field'>
            <Text className='field__label'>{t('app-review-filter-unit')}</Text>
            <View className='field__input'>
              <Input id='filter-unit' value={unitText} placeholder='dongcun' maxlength={40} onInput={(e) => setUnitText(e.detail.value)} onBlur={() => set({ unit: unitText.trim() })} onConfirm={() => set({ unit: unitText.trim() })} />
            </View>
          </View>
        </View>
        {filters.type && periodOk ? (
          <View className='btn-row' id='export'>
            {isH5() ? <ActionButton id='export-csv' kind='secondary' onClick={() => void doExport('csv')}>{t('app-review-export', { format: 'CSV' })}</ActionButton> : null}
            <ActionButton id='export-xlsx' kind='secondary' onClick={() => void doExport('xlsx')}>{t('app-review-export', { format: 'XLSX' })}</ActionButton>
          </View>
        ) : (
          <Text className='field__hint'>{t('app-review-export-hint')}</Text>
        )}
        {exportMsg ? <Notice kind={exportMsg.ok ? 'info' : 'error'} text={exportMsg.text} /> : null}
      </View>

      <Notice text={inbox.error} />
      {!inbox.loading && !inbox.error && (inbox.value ?? []).length === 0 ? <Text className='empty'>{t('app-review-empty')}</Text> : null}
      <View id='inbox-list'>
        {(inbox.value ?? []).map((r) => {
          const type = getReportType(r.type)
          return (
            <View key={r.id} id={`inbox-${r.id}`} className='ritem' onClick={() => void Taro.navigateTo({ url: `/pages/review-detail/index?id=${r.id}` })}>
              <View className='ritem__head'>
                <Text className='ritem__type'>{type ? t(type.titleKey) : r.type}</Text>
                <Text className={`badge badge--${r.status}`}>{t(`report-status-${r.status}`)}</Text>
                <Text className={`badge badge--${r.timeliness}`}>{t(`report-timeliness-${r.timeliness}`)}</Text>
                {r.possibleDuplicateOf ? <Text className='badge badge--dup'>{t('app-review-duplicate')}</Text> : null}
              </View>
              <Text className='ritem__summary'>{r.nil ? `${r.period ?? ''} · ${t('report-nil')}` : r.summary}</Text>
              <Text className='ritem__meta'>{r.unit.name} · {r.reporter} · {cstDate(new Date(r.createdAt))}</Text>
            </View>
          )
        })}
      </View>
    </View>
  )
}

/** 审核报送 (tax officers): the inbox with filters, exports, and a tap through to each report. */
export default function ReviewPage() {
  const t = useT()
  const { user } = useSession()
  return (
    <View className='page'>
      <PageHeader title={t('feature-review')} />
      <ImportLink />
      {canUse(user, 'review') ? (
        <View className='tip-link' id='open-unit-tips' onClick={() => void Taro.navigateTo({ url: '/pages/tips-inbox/index' })}>
          <Text>{t('app-tips-unit-link')}</Text>
        </View>
      ) : null}
      {canUse(user, 'review') ? <Inbox /> : <Notice text={t('error-forbidden')} />}
    </View>
  )
}
