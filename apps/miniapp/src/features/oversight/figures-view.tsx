import { useState } from 'react'
import { Picker, Text, View } from '@tarojs/components'
import { noClearanceShare, onTimeRate } from '@xieshui/core'
import { useT, type Translate } from '../../lib/i18n'
import { Notice } from '../../components/notice'
import { periodLabel } from '../../components/period-picker'
import { useAsync } from '../report/use-async'
import { oversightUnits, recentPeriods, type FigureRow, type Figures } from './figures-api'
import { unitTypeLabel } from './explain'

type Kind = 'month' | 'quarter' | 'year'

/** A period code as people read it: 2026年11月, 2026年第4季度, 2026年. */
export function oversightPeriodLabel(t: Translate, code: string): string {
  const q = /^(\d{4})Q([1-4])$/.exec(code)
  if (q) return t('oversight-quarter-label', { year: q[1]!, q: q[2]! })
  if (/^\d{4}$/.test(code)) return t('oversight-year-label', { year: code })
  return periodLabel(t, code)
}

const dash = (v: number | null) => (v === null ? '—' : String(v))
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`)

/** One stacked bar: on time, late, not filed, by count (the on-time rate as its label). */
function DutyBar({ f }: { f: Figures }) {
  const on = f.onTime ?? 0
  const late = f.late ?? 0
  const over = f.overdue ?? 0
  const all = on + late + over
  if (all === 0) return null
  return (
    <View className='dutybar'>
      <View className='dutybar__track'>
        {on ? <View className='dutybar__seg dutybar__seg--on' style={{ width: `${(on / all) * 100}%` }} /> : null}
        {late ? <View className='dutybar__seg dutybar__seg--late' style={{ width: `${(late / all) * 100}%` }} /> : null}
        {over ? <View className='dutybar__seg dutybar__seg--over' style={{ width: `${(over / all) * 100}%` }} /> : null}
      </View>
      <Text className='dutybar__label'>{pct(onTimeRate(f))}</Text>
    </View>
  )
}

function RowLines({ f }: { f: Figures }) {
  const t = useT()
  const duties = (f.onTime ?? 0) + (f.late ?? 0) + (f.overdue ?? 0)
  return (
    <View>
      <DutyBar f={f} />
      <Text className='ritem__summary'>{duties ? t('oversight-row-reports', { onTime: dash(f.onTime), late: dash(f.late), overdue: dash(f.overdue), missing: dash(f.missingFeeds) }) : t('oversight-no-duties')}</Text>
      {f.accepted || f.returned ? <Text className='ritem__meta'>{t('oversight-row-reviews', { accepted: dash(f.accepted), returned: dash(f.returned) })}</Text> : null}
      {f.checks ? <Text className='ritem__meta'>{t('oversight-row-checks', { checks: dash(f.checks), share: pct(noClearanceShare(f)) })}</Text> : null}
      {f.quizParticipants ? <Text className='ritem__meta'>{t('oversight-row-quiz', { count: dash(f.quizParticipants), average: dash(f.quizAverage) })}</Text> : null}
      {f.tipsAssigned ? <Text className='ritem__meta'>{t('oversight-row-tips', { assigned: dash(f.tipsAssigned), inTime: dash(f.tipsHandledInTime) })}</Text> : null}
      {f.openTasks ? <Text className='ritem__meta ritem__meta--warn'>{t('oversight-row-later', { tasks: dash(f.openTasks) })}</Text> : null}
      {f.overdueFollowUps ? <Text className='ritem__meta ritem__meta--alert'>{t('entrusted-row-overdue', { count: f.overdueFollowUps })}</Text> : null}
    </View>
  )
}

function UnitCard({ row }: { row: FigureRow }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const members = row.members ?? []
  return (
    <View className='ritem' id={`figures-${row.unit.code}`}>
      <View className='ritem__head'>
        <Text className='ritem__type'>{members.length ? t('oversight-unit-total', { name: row.unit.name }) : row.unit.name}</Text>
        <Text className='badge'>{unitTypeLabel(t, row.unit.type)}</Text>
      </View>
      <RowLines f={row.total ?? row.figures} />
      {members.length ? (
        <View className='members'>
          <View className='members__toggle' id={`members-${row.unit.code}`} onClick={() => setOpen((o) => !o)}>
            <Text>{open ? t('oversight-hide-members') : t('oversight-show-members', { count: members.length })}</Text>
          </View>
          {open
            ? members.map((m) => (
              <View key={m.unit.code} className='members__item' id={`figures-${m.unit.code}`}>
                <Text className='ritem__type'>{m.unit.name}</Text>
                <RowLines f={m.figures} />
              </View>
            ))
            : null}
        </View>
      ) : null}
    </View>
  )
}

/** Per-unit figures for a month, quarter or year, with bars where people would rather look than read. */
export function FiguresView() {
  const t = useT()
  const [kind, setKind] = useState<Kind>('quarter')
  const options = recentPeriods(kind)
  const [period, setPeriod] = useState(options[0]!)
  const data = useAsync(() => oversightUnits(period), [period])
  const d = data.value?.district
  return (
    <View>
      <View className='card'>
        <View className='segmented' id='figures-kind'>
          {(['month', 'quarter', 'year'] as const).map((k) => (
            <View key={k} id={`figures-kind-${k}`} className={`segmented__item${kind === k ? ' segmented__item--active' : ''}`} onClick={() => { setKind(k); setPeriod(recentPeriods(k)[0]!) }}>
              <Text>{t(`oversight-period-kind-${k}`)}</Text>
            </View>
          ))}
        </View>
        <View className='field' id='figures-period-field'>
          <Picker mode='selector' range={options.map((o) => oversightPeriodLabel(t, o))} value={Math.max(options.indexOf(period), 0)} onChange={(e) => setPeriod(options[Number(e.detail.value)]!)}>
            <View className='picker__value' id='figures-period'>
              <Text>{oversightPeriodLabel(t, period)}</Text>
              <Text className='picker__arrow'>▾</Text>
            </View>
          </Picker>
        </View>
      </View>
      <Notice text={data.error} />
      {d ? (
        <View className='card' id='figures-district'>
          <Text className='card__title'>{t('oversight-pack-summary')}</Text>
          <View className='stats'>
            {([['onTime', d.onTime], ['late', d.late], ['overdue', d.overdue], ['accepted', d.accepted], ['returned', d.returned], ['checks', d.checks]] as const).map(([k, v]) => (
              <View key={k} className='stats__item'>
                <Text className='stats__value'>{dash(v)}</Text>
                <Text className='stats__label'>{t(`oversight-fig-${k}`)}</Text>
              </View>
            ))}
          </View>
          <DutyBar f={d} />
          <Text className='explain explain--legend'>{t('oversight-chart-legend')}</Text>
        </View>
      ) : null}
      {data.value && data.value.rows.length === 0 ? <Text className='empty'>{t('oversight-figures-empty')}</Text> : null}
      <View id='figures-list'>
        {(data.value?.rows ?? []).map((r) => <UnitCard key={r.unit.code} row={r} />)}
      </View>
      {(data.value?.notes ?? []).map((n) => <Text key={n} className='explain'>{n}</Text>)}
    </View>
  )
}
