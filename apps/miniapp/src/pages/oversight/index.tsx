import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Picker, Text, View } from '@tarojs/components'
import { cstDate, formatCst, periodOf } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { PeriodPicker } from '../../components/period-picker'
import { SearchPicker } from '../../components/search-picker'
import { listChecks, missingFeeds, timeliness, unusualCheckers, type CheckFilters } from '../../features/oversight/api'
import { checkKindLabel, checkResultLabel, feedTitle, unitTypeLabel, unusualWhy } from '../../features/oversight/explain'
import { usePeopleOptions } from '../../features/review/use-people'
import { useUnitOptions } from '../../features/review/use-units'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'
import '../../features/admin/admin.css'
import '../../features/oversight/oversight.css'
import { FiguresView } from '../../features/oversight/figures-view'
import { PackView } from '../../features/oversight/pack-view'
import { EvaluationView } from '../../features/oversight/evaluation-view'

function Checks() {
  const t = useT()
  const [filters, setFilters] = useState<CheckFilters>({ user: '', unit: '', day: '' })
  const [names, setNames] = useState<{ user: string | null; unit: string | null }>({ user: null, unit: null })
  const checks = useAsync(() => listChecks(filters), [filters])
  const unusual = useAsync(unusualCheckers, [])
  const units = useUnitOptions()
  const people = usePeopleOptions()

  return (
    <View>
      <View className='card' id='unusual'>
        <Text className='card__title'>{t('app-oversight-unusual')}</Text>
        <Notice text={unusual.error} />
        {unusual.value ? <Text className='ritem__meta'>{t('app-oversight-unusual-range', { from: unusual.value.from, to: unusual.value.to, median: unusual.value.median })}</Text> : null}
        {unusual.value && unusual.value.users.length === 0 ? <Text className='empty'>{t('app-oversight-unusual-none')}</Text> : null}
        {(unusual.value?.users ?? []).map((u) => (
          <View key={u.userId} id={`unusual-${u.userId}`} className='ritem'>
            <View className='ritem__head'>
              <Text className='ritem__type'>{u.name ?? '—'}</Text>
              <Text className='badge badge--overdue'>×{u.ratio}</Text>
            </View>
            <Text className='ritem__meta'>{u.unit.name ?? ''}</Text>
            <Text className='why'>{unusualWhy(t, u)}</Text>
          </View>
        ))}
      </View>

      <View className='card'>
        <SearchPicker
          id='checks-user'
          label={t('fs-filter-user')}
          chosen={names.user}
          placeholder={t('fs-filter-any-user')}
          options={people.options}
          onSearch={people.search}
          allowNone
          onPick={(o) => {
            setNames((n) => ({ ...n, user: o?.label ?? null }))
            setFilters((f) => ({ ...f, user: o?.value ?? '' }))
          }}
        />
        <SearchPicker
          id='checks-unit'
          label={t('fs-filter-unit')}
          chosen={names.unit}
          placeholder={t('fs-filter-any-unit')}
          options={units.options}
          allowNone
          onPick={(o) => {
            setNames((n) => ({ ...n, unit: o?.label ?? null }))
            setFilters((f) => ({ ...f, unit: o?.value ?? '' }))
          }}
        />
        <View className='field' id='checks-day-field'>
          <Text className='field__label'>{t('app-oversight-filter-day')}</Text>
          <View className='btn-row'>
            <View className='grow'>
            <Picker mode='date' value={filters.day || cstDate(new Date())} end={cstDate(new Date())} onChange={(e) => setFilters((f) => ({ ...f, day: e.detail.value }))}>
              <View className={`picker__value${filters.day ? '' : ' picker__value--empty'}`} id='checks-day'>
                <Text>{filters.day || t('fs-picker-any')}</Text>
                <Text className='picker__arrow'>▾</Text>
              </View>
            </Picker>
            </View>
            {filters.day ? <ActionButton id='checks-day-clear' kind='secondary' onClick={() => setFilters((f) => ({ ...f, day: '' }))}>{t('fs-picker-any')}</ActionButton> : null}
          </View>
        </View>
      </View>

      <Text className='section__title'>{t('app-oversight-checks')}</Text>
      <Notice text={checks.error} />
      {!checks.loading && !checks.error && (checks.value ?? []).length === 0 ? <Text className='empty'>{t('app-oversight-checks-empty')}</Text> : null}
      <View id='checks-list'>
        {(checks.value ?? []).map((c, i) => (
          <View key={`${c.at}-${i}`} className='ritem check-row'>
            <View className='ritem__head'>
              <Text className='ritem__type'>{c.key ?? '—'}</Text>
              <Text className={`badge ${c.result === 'cleared' ? 'badge--on_time' : 'badge--overdue'}`}>{checkResultLabel(t, c.result)}</Text>
            </View>
            <Text className='ritem__summary'>{checkKindLabel(t, c.kind)}</Text>
            <Text className='ritem__meta'>{c.user.name ?? '—'} · {c.unit.name ?? '—'} · {formatCst(new Date(c.at))}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}

function Reports() {
  const t = useT()
  // null until the server has said which period has data (the current month, or the one due now).
  const [period, setPeriod] = useState<string | null>(null)
  const units = useAsync(() => timeliness(period), [period])
  const shown = period ?? units.value?.period ?? null
  const missing = useAsync(() => (shown ? missingFeeds(shown) : Promise.resolve([])), [shown])
  return (
    <View>
      <View className='card'>
        <Text className='field__label'>{t('app-oversight-period')}</Text>
        {shown ? <PeriodPicker value={shown} latest={periodOf(new Date())} onChange={setPeriod} /> : null}
      </View>

      <Text className='section__title'>{t('app-oversight-timeliness')}</Text>
      <Text className='explain explain--legend' id='timeliness-legend'>{t('fs-timeliness-legend')}</Text>
      <Notice text={units.error} />
      {!units.loading && !units.error && (units.value?.units ?? []).length === 0 ? <Text className='empty'>{t('app-oversight-timeliness-empty')}</Text> : null}
      <View id='timeliness-list'>
        {(units.value?.units ?? []).map((u) => (
          <View key={u.unit.code} id={`timeliness-${u.unit.code}`} className='ritem'>
            <View className='ritem__head'>
              <Text className='ritem__type'>{u.unit.name}</Text>
              <Text className='badge'>{unitTypeLabel(t, u.unit.type)}</Text>
            </View>
            <Text className='ritem__summary'>{t('app-oversight-counts', { onTime: u.onTime, late: u.late, overdue: u.overdue })}</Text>
            {u.refused || u.missingFeeds ? (
              <Text className='ritem__meta'>
                {[u.missingFeeds ? t('app-oversight-missing-feeds', { count: u.missingFeeds }) : '', u.refused ? t('fs-oversight-refused', { count: u.refused }) : ''].filter(Boolean).join(' · ')}
              </Text>
            ) : null}
          </View>
        ))}
      </View>

      <Text className='section__title'>{t('app-oversight-missing')}</Text>
      <Notice text={missing.error} />
      {!missing.loading && !missing.error && (missing.value ?? []).length === 0 ? <Text className='empty'>{t('app-oversight-missing-empty')}</Text> : null}
      <View id='missing-list'>
        {(missing.value ?? []).map((m) => (
          <View key={`${m.type}-${m.unit.code}`} id={`missing-${m.type}-${m.unit.code}`} className='ritem'>
            <View className='ritem__head'>
              <Text className='ritem__type'>{m.unit.name}</Text>
              <Text className={`badge ${m.overdue ? 'badge--overdue' : 'badge--submitted'}`}>{m.overdue ? t('app-oversight-overdue') : t('app-oversight-not-due')}</Text>
            </View>
            <Text className='ritem__summary'>{feedTitle(t, m.type)}</Text>
            <Text className='ritem__meta'>{t('app-oversight-due', { date: m.dueDate })}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}

const TABS = ['reports', 'figures', 'pack', 'evaluation', 'checks'] as const
type Tab = (typeof TABS)[number]

/**
 * 监督考核 (coordinators; tax officers use it too): clearance checks by user, unit and day with the
 * unusual checkers, per-unit reporting timeliness and missing periodic feeds for a month, every unit's
 * figures for a month, quarter or year (towns with their villages), and the quarterly meeting pack.
 */
export default function OversightPage() {
  const t = useT()
  // The evaluation of the current period is what a coordinator opens the page for.
  const [tab, setTab] = useState<Tab>('reports')
  return (
    <View className='page'>
      <PageHeader title={t('feature-oversight')} />
      <Guard roles={['coordinator', 'tax_officer']}>
        <View>
          <View className='tabs tabs--many'>
            {TABS.map((k) => (
              <View key={k} id={`tab-${k}`} className={`tabs__tab${tab === k ? ' tabs__tab--active' : ''}`} onClick={() => setTab(k)}>
                <Text>{k === 'figures' || k === 'pack' || k === 'evaluation' ? t(`oversight-tab-short-${k}`) : t(`app-oversight-tab-${k}`)}</Text>
              </View>
            ))}
          </View>
          {tab === 'figures' ? <FiguresView /> : tab === 'pack' ? <PackView /> : tab === 'evaluation' ? <EvaluationView /> : tab === 'checks' ? <Checks /> : <Reports />}
          <ActionButton id='open-targets' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/targets/index' })}>{t('targets-link')}</ActionButton>
          <ActionButton id='open-import' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/clearance-import/index' })}>{t('app-oversight-import')}</ActionButton>
          <ActionButton id='open-accountability' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/accountability/index' })}>{t('accountability-nav')}</ActionButton>
          <ActionButton id='open-meetings' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/meetings/index' })}>{t('app-meetings-link')}</ActionButton>
        </View>
      </Guard>
    </View>
  )
}
