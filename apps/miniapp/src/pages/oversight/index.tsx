import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { formatCst, hasRole } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { defaultPeriod, isPeriod, listChecks, missingFeeds, timeliness, unusualCheckers, type CheckFilters } from '../../features/oversight/api'
import { checkKindLabel, checkResultLabel, feedTitle, isDayFilter, unitTypeLabel, unusualWhy } from '../../features/oversight/explain'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'
import '../../features/admin/admin.css'

function FilterInput({ id, label, value, placeholder, onChange, onCommit, error }: { id: string; label: string; value: string; placeholder: string; onChange: (v: string) => void; onCommit: () => void; error?: string | undefined }) {
  return (
    <View className={`field${error ? ' field--error' : ''}`}>
      <Text className='field__label'>{label}</Text>
      <View className='field__input'>
        <Input id={id} value={value} placeholder={placeholder} maxlength={64} onInput={(e) => onChange(e.detail.value)} onBlur={onCommit} onConfirm={onCommit} />
      </View>
      {error ? <Text className='field__error' id={`${id}-error`}>{error}</Text> : null}
    </View>
  )
}

function Checks() {
  const t = useT()
  const [text, setText] = useState<CheckFilters>({ user: '', unit: '', day: '' })
  const [filters, setFilters] = useState<CheckFilters>(text)
  const checks = useAsync(() => listChecks(filters), [filters])
  const unusual = useAsync(unusualCheckers, [])
  const dayOk = isDayFilter(text.day)
  const commit = () => {
    if (isDayFilter(text.day)) setFilters({ user: text.user.trim(), unit: text.unit.trim(), day: text.day.trim() })
  }

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
              <Text className='ritem__type'>{u.name ?? u.userId}</Text>
              <Text className='badge badge--overdue'>×{u.ratio}</Text>
            </View>
            <Text className='ritem__meta'>{u.unit.name ?? u.unit.code ?? ''}</Text>
            <Text className='why'>{unusualWhy(t, u)}</Text>
          </View>
        ))}
      </View>

      <View className='card'>
        <View className='btn-row'>
          <FilterInput id='checks-user' label={t('app-oversight-filter-user')} value={text.user} placeholder='' onChange={(user) => setText((f) => ({ ...f, user }))} onCommit={commit} />
          <FilterInput id='checks-unit' label={t('app-oversight-filter-unit')} value={text.unit} placeholder='jiaojing' onChange={(unit) => setText((f) => ({ ...f, unit }))} onCommit={commit} />
        </View>
        <FilterInput id='checks-day' label={t('app-oversight-filter-day')} value={text.day} placeholder='2026-11-26' onChange={(day) => setText((f) => ({ ...f, day }))} onCommit={commit} error={dayOk ? undefined : 'YYYY-MM-DD'} />
        <ActionButton id='checks-search' kind='secondary' onClick={commit}>{t('app-oversight-search')}</ActionButton>
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
            <Text className='ritem__meta'>{c.user.name ?? c.user.id ?? '—'} · {c.unit.name ?? c.unit.code ?? '—'} · {formatCst(new Date(c.at))}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}

function Reports() {
  const t = useT()
  const [periodText, setPeriodText] = useState(defaultPeriod())
  const [period, setPeriod] = useState(periodText)
  const units = useAsync(() => timeliness(period), [period])
  const missing = useAsync(() => missingFeeds(period), [period])
  const ok = isPeriod(periodText.trim())
  const commit = () => {
    if (isPeriod(periodText.trim())) setPeriod(periodText.trim())
  }
  return (
    <View>
      <View className='card'>
        <FilterInput id='report-period' label={t('app-oversight-period')} value={periodText} placeholder='2026-10' onChange={setPeriodText} onCommit={commit} error={ok ? undefined : t('app-oversight-period-bad')} />
        <ActionButton id='report-search' kind='secondary' onClick={commit}>{t('app-oversight-search')}</ActionButton>
      </View>

      <Text className='section__title'>{t('app-oversight-timeliness')}</Text>
      <Notice text={units.error} />
      {!units.loading && !units.error && (units.value ?? []).length === 0 ? <Text className='empty'>{t('app-oversight-timeliness-empty')}</Text> : null}
      <View id='timeliness-list'>
        {(units.value ?? []).map((u) => (
          <View key={u.unit.code} id={`timeliness-${u.unit.code}`} className='ritem'>
            <View className='ritem__head'>
              <Text className='ritem__type'>{u.unit.name}</Text>
              <Text className='badge'>{unitTypeLabel(t, u.unit.type)}</Text>
            </View>
            <Text className='ritem__summary'>{t('app-oversight-counts', { onTime: u.onTime, late: u.late, overdue: u.overdue })}</Text>
            {u.refused || u.missingFeeds ? (
              <Text className='ritem__meta'>
                {[u.refused ? t('app-oversight-refused', { count: u.refused }) : '', u.missingFeeds ? t('app-oversight-missing-feeds', { count: u.missingFeeds }) : ''].filter(Boolean).join(' · ')}
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

/**
 * 监督考核 (coordinators; tax officers use it too): clearance checks by user, unit and day with the
 * unusual checkers, and per-unit reporting timeliness and missing periodic feeds for a month.
 */
export default function OversightPage() {
  const t = useT()
  const { user } = useSession()
  const [tab, setTab] = useState<'checks' | 'reports'>('checks')
  const allowed = user !== null && hasRole(user, 'coordinator', 'tax_officer')
  return (
    <View className='page'>
      <PageHeader title={t('feature-oversight')} />
      {allowed ? (
        <View>
          <View className='tabs'>
            {(['checks', 'reports'] as const).map((k) => (
              <View key={k} id={`tab-${k}`} className={`tabs__tab${tab === k ? ' tabs__tab--active' : ''}`} onClick={() => setTab(k)}>
                <Text>{t(`app-oversight-tab-${k}`)}</Text>
              </View>
            ))}
          </View>
          {tab === 'checks' ? <Checks /> : <Reports />}
          <ActionButton id='open-import' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/clearance-import/index' })}>{t('app-oversight-import')}</ActionButton>
        </View>
      ) : (
        <Notice text={t('error-forbidden')} />
      )}
    </View>
  )
}
