import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import { hasRole } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { useAsync } from '../../features/report/use-async'
import { barChartSvg, svgDataUri } from '../../features/quiz/chart'
import { downloadQuizExport, quizApi } from '../../features/quiz/api'
import '../../features/quiz/quiz.css'

function Chart({ id, bars, color }: { id: string; bars: { label: string; value: number; max: number }[]; color?: string }) {
  if (bars.length === 0) return null
  const svg = barChartSvg(bars, { width: 640, suffix: '%', ...(color ? { color } : {}) })
  const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 60)
  // The box keeps the chart's aspect ratio at any width (padding-bottom is a share of the width).
  return (
    <View className='quiz__chart' style={{ paddingBottom: `${((100 * height) / 640).toFixed(2)}%` }}>
      <Image id={id} className='quiz__chart-img' src={svgDataUri(svg)} />
    </View>
  )
}

/** A pushed quiz's results for its trainer: per unit and per question with charts, per person, reminder, export. */
export default function QuizResultsPage() {
  const t = useT()
  const { user } = useSession()
  const id = useRouter().params.id ?? ''
  const allowed = !!user && hasRole(user, 'trainer')
  const [tick, setTick] = useState(0)
  const results = useAsync(() => (allowed ? quizApi.results(id) : Promise.reject(new Error('forbidden'))), [id, tick, allowed])
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const r = results.value
  const act = async (fn: () => Promise<string>) => {
    setError(null)
    setNotice(null)
    try {
      setNotice(await fn())
    } catch (e) {
      setError(isApiError(e) ? e.message : t('app-error-network'))
    }
  }
  if (!allowed) return <View className='page'><PageHeader title={t('app-quiz-results-title')} /><Notice text={t('error-forbidden')} /></View>
  const totals = r ? r.units.reduce((s, u) => ({ invited: s.invited + u.invited, finished: s.finished + u.finished, passed: s.passed + u.passed }), { invited: 0, finished: 0, passed: 0 }) : null
  const statusText = (s: 'not_started' | 'in_progress' | 'finished') => t(`quiz-result-${s === 'not_started' ? 'not-started' : s === 'in_progress' ? 'in-progress' : 'finished'}`)
  return (
    <View className='page'>
      <PageHeader title={r?.title ?? t('app-quiz-results-title')} />
      <Notice text={results.error} />
      <Notice id='results-error' text={error} />
      <Notice id='results-notice' kind='info' text={notice} />
      {r && totals ? (
        <View>
          <View className='card' id='results-summary'>
            <Text className='card__title'>{r.title}</Text>
            <Text className='card__text'>{t('app-quiz-results-summary', totals)}</Text>
            <View className='quiz__actions'>
              <ActionButton id='results-remind' onClick={() => void act(async () => { const x = await quizApi.remind(id); setTick((n) => n + 1); return t('app-quiz-reminded', x) })}>{t('app-quiz-remind')}</ActionButton>
              <ActionButton id='results-csv' kind='secondary' onClick={() => void act(async () => t('app-quiz-exported', { file: await downloadQuizExport(id, 'csv') }))}>{t('app-quiz-export-csv')}</ActionButton>
              <ActionButton id='results-xlsx' kind='secondary' onClick={() => void act(async () => t('app-quiz-exported', { file: await downloadQuizExport(id, 'xlsx') }))}>{t('app-quiz-export-xlsx')}</ActionButton>
            </View>
          </View>
          <View className='card' id='results-units'>
            <Text className='card__title'>{t('app-quiz-results-units')}</Text>
            <Chart id='chart-units' color='#2e7d32' bars={r.units.map((u) => ({ label: u.unitName, value: u.invited ? Math.round((100 * u.finished) / u.invited) : 0, max: 100 }))} />
            {r.units.map((u) => (
              <View key={u.unitCode} className='quiz__item'>
                <Text className='quiz__wrong-q'>{u.unitName}</Text>
                <Text className='quiz__meta'>{t('app-quiz-unit-line', { invited: u.invited, started: u.started, finished: u.finished, passed: u.passed, average: u.averageScore ?? '—' })}</Text>
              </View>
            ))}
          </View>
          <View className='card' id='results-questions'>
            <Text className='card__title'>{t('app-quiz-results-questions')}</Text>
            <Chart id='chart-questions' bars={r.questions.map((q) => ({ label: `${q.position}. ${q.question}`, value: q.wrongShare ?? 0, max: 100 }))} />
            {r.questions.map((q) => (
              <View key={q.position} className='quiz__item'>
                <Text className='quiz__wrong-q'>{`${q.position}. ${q.question}`}</Text>
                <Text className='quiz__meta'>{`${t('app-quiz-answer-label', { answer: q.answer })} · ${q.wrongShare === null ? '—' : t('app-quiz-question-line', { share: q.wrongShare, top: q.topWrong ?? '—' })}`}</Text>
              </View>
            ))}
          </View>
          <View className='card' id='results-people'>
            <Text className='card__title'>{t('app-quiz-results-people')}</Text>
            {r.users.map((u) => (
              <View key={u.userId} className='quiz__item'>
                <Text className='quiz__wrong-q'>{u.name}</Text>
                <Text className='quiz__meta'>{t('app-quiz-user-line', { unit: u.unitName, status: statusText(u.status), score: u.score === null ? '—' : `${t('app-quiz-result-score', { score: u.score })} · ${u.passed ? t('app-quiz-passed') : t('app-quiz-failed')}` })}</Text>
                {u.botStatus === 'blocked' ? <Text className='quiz__meta'>{t('quiz-bot-status-blocked')}</Text> : null}
              </View>
            ))}
          </View>
        </View>
      ) : null}
    </View>
  )
}
