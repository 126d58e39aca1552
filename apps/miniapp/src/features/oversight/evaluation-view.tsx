import { useState } from 'react'
import { Picker, Text, Textarea, View } from '@tarojs/components'
import { EVALUATION_CRITERIA, type EvaluationCriterion, type UnitType } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError, request } from '../../lib/request'
import { useSession } from '../../lib/session'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { useAsync } from '../report/use-async'
import { downloadPackFile, recentPeriods } from './figures-api'
import { unitTypeLabel } from './explain'

interface EvaluationRow {
  rank: number
  unit: { code: string; name: string; type: UnitType }
  town: string | null
  points: Record<EvaluationCriterion, number | null>
  adjustment: number
  total: number
  max: number
}

interface Evaluation {
  year: number
  weightsSet: boolean
  rows: EvaluationRow[]
  rules: { criterion: EvaluationCriterion; label: string; weight: number; rule: string }[]
  candidates: { name: string; unit: string; acceptedReports: number; checks: number; quizzes: number; quizAverage: number | null }[]
}

interface Evidence {
  items: { criterion: EvaluationCriterion; effect: 'earned' | 'cost'; text: string }[]
}

function EvidenceList({ year, unit }: { year: number; unit: string }) {
  const t = useT()
  const ev = useAsync(() => request<Evidence>(`/api/v1/oversight/evaluation/evidence?year=${year}&unit=${encodeURIComponent(unit)}`), [year, unit])
  return (
    <View className='evidence' id={`evidence-${unit}`}>
      <Notice text={ev.error} />
      {EVALUATION_CRITERIA.map((c) => {
        const items = (ev.value?.items ?? []).filter((i) => i.criterion === c)
        if (!items.length) return null
        return (
          <View key={c} className='evidence__group'>
            <Text className='evidence__title'>{t(`evaluation-crit-${c}`)}</Text>
            {items.map((i, n) => (
              <Text key={n} className={`evidence__item evidence__item--${i.effect}`}>{`${i.effect === 'cost' ? '−' : '+'} ${i.text}`}</Text>
            ))}
          </View>
        )
      })}
    </View>
  )
}

function AdjustForm({ year, unit, onSaved }: { year: number; unit: string; onSaved: () => void }) {
  const t = useT()
  const [points, setPoints] = useState('')
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [done, setDone] = useState<string | null>(null)
  const submit = () => {
    const n = Number(points)
    if (!/^-?\d+$/.test(points.trim()) || n < -20 || n > 20) {
      setErrors({ points: t('evaluation-points-number') })
      return
    }
    setErrors({})
    request<{ points: number }>('/api/v1/oversight/evaluation/adjustments', { method: 'POST', data: { year, unit, points: n, reason } }).then(
      (a) => {
        setDone(t('evaluation-adjust-saved', { points: a.points }))
        setPoints('')
        setReason('')
        onSaved()
      },
      (e: unknown) => setErrors(isApiError(e) ? { ...e.fields, ...(Object.keys(e.fields).length ? {} : { form: e.message }) } : { form: t('app-error-network') }),
    )
  }
  return (
    <View className='adjust' id={`adjust-${unit}`}>
      <Text className='field__label'>{t('evaluation-adjust-title')}</Text>
      <Notice text={errors.form ?? null} />
      {done ? <Notice kind='info' text={done} /> : null}
      <Field id={`adjust-points-${unit}`} label={t('evaluation-adjust-points')} value={points} onChange={setPoints} error={errors.points} maxlength={3} />
      <View className={`field${errors.reason ? ' field--error' : ''}`} id={`adjust-reason-${unit}-field`}>
        <Text className='field__label'>{t('evaluation-adjust-reason')}</Text>
        <Textarea id={`adjust-reason-${unit}`} className='field__textarea' value={reason} maxlength={500} onInput={(e) => setReason(e.detail.value)} />
        {errors.reason ? <Text className='field__error' id={`adjust-reason-${unit}-error`}>{errors.reason}</Text> : null}
      </View>
      <ActionButton id={`adjust-submit-${unit}`} kind='secondary' onClick={submit}>{t('evaluation-adjust-submit')}</ActionButton>
    </View>
  )
}

/** The annual evaluation: ranking with points per criterion, the evidence behind them, adjustments, the XLSX. */
export function EvaluationView() {
  const t = useT()
  const session = useSession()
  const canAdjust = session.user?.roles.includes('coordinator') ?? false
  const years = recentPeriods('year')
  const [year, setYear] = useState(Number(years[0]))
  const data = useAsync(() => request<Evaluation>(`/api/v1/oversight/evaluation?year=${year}`), [year])
  const [open, setOpen] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const e = data.value
  return (
    <View>
      <View className='card'>
        <Text className='field__label'>{t('evaluation-year')}</Text>
        <Picker mode='selector' range={years.map((y) => t('oversight-year-label', { year: y }))} value={Math.max(years.indexOf(String(year)), 0)} onChange={(ev) => setYear(Number(years[Number(ev.detail.value)]))}>
          <View className='picker__value' id='evaluation-year'>
            <Text>{t('oversight-year-label', { year })}</Text>
            <Text className='picker__arrow'>▾</Text>
          </View>
        </Picker>
        {e ? <Text className='ritem__meta' id='evaluation-weights'>{t('evaluation-weights-line', { line: e.rules.map((r) => `${r.label} ${r.weight}`).join(' · ') })}{e.weightsSet ? '' : t('evaluation-default-weights')}</Text> : null}
      </View>
      <Notice text={data.error ?? message} />
      <View id='evaluation-list'>
        {(e?.rows ?? []).map((r) => (
          <View key={r.unit.code} className='ritem' id={`evaluation-${r.unit.code}`}>
            <View className='ritem__head'>
              <Text className='ritem__type'>{`${t('evaluation-rank-of', { rank: r.rank })} · ${r.unit.name}`}</Text>
              <Text className='badge'>{unitTypeLabel(t, r.unit.type)}</Text>
            </View>
            <View className='dutybar'>
              <View className='dutybar__track'>
                <View className='dutybar__seg dutybar__seg--on' style={{ width: `${Math.max(0, Math.min(100, (r.total / (r.max || 1)) * 100))}%` }} />
              </View>
              <Text className='dutybar__label dutybar__label--wide'>{t('evaluation-score', { total: r.total, max: r.max })}</Text>
            </View>
            <Text className='ritem__meta'>
              {EVALUATION_CRITERIA.map((c) => `${t(`evaluation-crit-${c}`)} ${r.points[c] ?? t('evaluation-not-scored')}`).join(' · ')}
              {r.adjustment ? ` · ${t('evaluation-adjustment')} ${r.adjustment > 0 ? '+' : ''}${r.adjustment}` : ''}
            </Text>
            <View className='members__toggle' id={`evaluation-open-${r.unit.code}`} onClick={() => setOpen((o) => (o === r.unit.code ? null : r.unit.code))}>
              <Text>{open === r.unit.code ? t('evaluation-hide-evidence') : t('evaluation-open-evidence')}</Text>
            </View>
            {open === r.unit.code ? (
              <View>
                <EvidenceList year={year} unit={r.unit.code} />
                {canAdjust ? <AdjustForm year={year} unit={r.unit.code} onSaved={data.reload} /> : null}
              </View>
            ) : null}
          </View>
        ))}
      </View>
      {e ? (
        <View className='card' id='evaluation-candidates'>
          <Text className='card__title'>{t('evaluation-candidates')}</Text>
          {e.candidates.length === 0 ? <Text className='ritem__meta'>{t('evaluation-candidates-none')}</Text> : null}
          {e.candidates.map((c) => (
            <View key={`${c.unit}-${c.name}`} className='ritem'>
              <View className='ritem__head'>
                <Text className='ritem__type'>{c.name}</Text>
                <Text className='badge'>{c.unit}</Text>
              </View>
              <Text className='ritem__meta'>{t('evaluation-candidate-line', { accepted: c.acceptedReports, checks: c.checks, quizzes: c.quizzes, average: c.quizAverage ?? '—' })}</Text>
            </View>
          ))}
        </View>
      ) : null}
      {e ? (
        <ActionButton
          id='evaluation-download'
          kind='secondary'
          onClick={() => {
            setMessage(null)
            downloadPackFile({ format: 'xlsx', fileName: `evaluation-${year}.xlsx`, url: `/api/v1/oversight/evaluation/${year}/xlsx` }).catch((err: unknown) => setMessage(isApiError(err) ? err.message : t('app-error-network')))
          }}
        >
          {t('evaluation-download')}
        </ActionButton>
      ) : null}
      {(e?.rules ?? []).map((r) => <Text key={r.criterion} className='explain'>{`${r.label}（${r.weight}）：${r.rule}`}</Text>)}
    </View>
  )
}
