import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { cstDate, getReportType, periodOf, previousPeriod, REPORT_STATUSES, REPORT_TYPES } from '@xieshui/core'
import { isH5 } from '../../lib/env'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { EmptyState } from '../../components/empty-state'
import { FilterOptions, FilterSelect } from '../../components/filter-select'
import { Guard } from '../../components/guard'
import { ImportLink } from '../../components/import-link'
import { periodLabel } from '../../components/period-picker'
import { SearchPicker } from '../../components/search-picker'
import { downloadExport, loadInbox, type InboxFilters } from '../../features/review/api'
import { usePeopleOptions } from '../../features/review/use-people'
import { useUnitOptions } from '../../features/review/use-units'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'
import '../../features/tip/tip.css'

type Open = 'type' | 'status' | 'period' | null

/** The last twelve months, newest first: what a reviewer picks a period from. */
function recentPeriods(now: Date = new Date()): string[] {
  const out = [periodOf(now)]
  while (out.length < 12) out.push(previousPeriod(out[out.length - 1]!))
  return out
}

function Inbox() {
  const t = useT()
  const initial: InboxFilters = { type: '', unit: '', reporter: '', status: 'submitted', period: periodOf(new Date()) }
  const [filters, setFilters] = useState<InboxFilters>(initial)
  const [open, setOpen] = useState<Open>(null)
  const [more, setMore] = useState(false)
  const [names, setNames] = useState<{ unit: string | null; reporter: string | null }>({ unit: null, reporter: null })
  const [exportMsg, setExportMsg] = useState<{ ok: boolean; text: string } | null>(null)
  const inbox = useAsync(() => loadInbox(filters), [filters])
  const units = useUnitOptions()
  const people = usePeopleOptions()
  const set = (patch: Partial<InboxFilters>) => {
    setFilters((f) => ({ ...f, ...patch }))
    setOpen(null)
  }

  const typeOptions = [{ value: '', label: t('app-review-any') }, ...REPORT_TYPES.map((x) => ({ value: x.code, label: t(x.titleKey) }))]
  const statusOptions = [{ value: '', label: t('app-review-any') }, ...REPORT_STATUSES.map((s) => ({ value: s, label: t(`report-status-${s}`) }))]
  const periodOptions = [{ value: '', label: t('fs-filter-any-period') }, ...recentPeriods().map((p) => ({ value: p, label: periodLabel(t, p) }))]
  const options = { type: typeOptions, status: statusOptions, period: periodOptions }

  const doExport = async (format: 'csv' | 'xlsx') => {
    setExportMsg(null)
    try {
      const name = await downloadExport(filters.type, filters.period, format)
      setExportMsg({ ok: true, text: t('app-review-exported', { file: name }) })
    } catch (e) {
      setExportMsg({ ok: false, text: isApiError(e) ? e.message : t('app-error-network') })
    }
  }

  const clearFilters = () => {
    setFilters({ ...initial, status: '', period: '' })
    setNames({ unit: null, reporter: null })
  }

  return (
    <View>
      <View className='card'>
        <View className='frow'>
          <FilterSelect id='filter-type' label={t('app-review-filter-type')} value={filters.type} options={typeOptions} open={open === 'type'} onOpen={() => setOpen(open === 'type' ? null : 'type')} />
          <FilterSelect id='filter-status' label={t('app-review-filter-status')} value={filters.status} options={statusOptions} open={open === 'status'} onOpen={() => setOpen(open === 'status' ? null : 'status')} />
          <FilterSelect id='filter-period' label={t('app-review-filter-period')} value={filters.period} options={periodOptions} open={open === 'period'} onOpen={() => setOpen(open === 'period' ? null : 'period')} />
        </View>
        {open ? (
          <View className='frow__panel'>
            <FilterOptions id={`filter-${open}-options`} options={options[open]} value={filters[open]} onPick={(v) => set({ [open]: v } as Partial<InboxFilters>)} />
          </View>
        ) : null}
        <View className='frow__more' id='filter-more' onClick={() => setMore(!more)}>
          <Text>{more ? t('fs-filter-fewer') : `${t('fs-filter-more')}${names.unit || names.reporter ? ` · ${[names.unit, names.reporter].filter(Boolean).join('、')}` : ''}`}</Text>
        </View>
        {more ? (
          <View className='frow__panel'>
            <SearchPicker
              id='filter-unit'
              label={t('fs-filter-unit')}
              chosen={names.unit}
              placeholder={t('fs-filter-any-unit')}
              options={units.options}
              allowNone
              onPick={(o) => {
                setNames((n) => ({ ...n, unit: o?.label ?? null }))
                set({ unit: o?.value ?? '' })
              }}
            />
            <SearchPicker
              id='filter-user'
              label={t('fs-filter-user')}
              chosen={names.reporter}
              placeholder={t('fs-filter-any-user')}
              options={people.options}
              onSearch={people.search}
              allowNone
              onPick={(o) => {
                setNames((n) => ({ ...n, reporter: o?.label ?? null }))
                set({ reporter: o?.value ?? '' })
              }}
            />
          </View>
        ) : null}
        {filters.type && filters.period ? (
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
      {!inbox.loading && !inbox.error && (inbox.value ?? []).length === 0 ? <EmptyState text={t('app-review-empty')} action={t('fs-empty-filters-action')} onAction={clearFilters} /> : null}
      <View id='inbox-list'>
        {(inbox.value ?? []).map((r) => {
          const type = getReportType(r.type)
          return (
            <View key={r.id} id={`inbox-${r.id}`} className='ritem' onClick={() => void Taro.navigateTo({ url: `/pages/review-detail/index?id=${r.id}` })}>
              <View className='ritem__head'>
                <Text className='ritem__type'>{type ? t(type.titleKey) : t('report-type-unknown')}</Text>
                <Text className={`badge badge--${r.status}`}>{t(`report-status-${r.status}`)}</Text>
                <Text className={`badge badge--${r.timeliness}`}>{t(`report-timeliness-${r.timeliness}`)}</Text>
                {r.possibleDuplicateOf ? <Text className='badge badge--dup'>{t('app-review-duplicate')}</Text> : null}
                {r.version > 1 ? <Text className='badge'>{t('app-detail-version', { version: r.version })}</Text> : null}
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

/** 审核报送 (tax officers): the inbox with filters in one row, exports, and a tap through to each report. */
export default function ReviewPage() {
  const t = useT()
  return (
    <View className='page'>
      <PageHeader title={t('feature-review')} />
      <Guard roles={['tax_officer']}>
        <ImportLink />
        <View className='tip-link' id='open-unit-tips' onClick={() => void Taro.navigateTo({ url: '/pages/tips-inbox/index' })}>
          <Text>{t('app-tips-unit-link')}</Text>
        </View>
        <Inbox />
      </Guard>
    </View>
  )
}
