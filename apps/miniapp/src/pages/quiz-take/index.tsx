import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { QuizQuestion } from '../../components/quiz-question'
import { useAsync } from '../../features/report/use-async'
import { quizApi, type QuizProgress, type QuizResultForUser } from '../../features/quiz/api'
import '../../features/quiz/quiz.css'

/** The score and each wrong question with its explanation and article. */
export function QuizResultCard({ title, result }: { title: string; result: QuizResultForUser }) {
  const t = useT()
  return (
    <View className='card' id='quiz-result'>
      <Text className='card__title'>{title}</Text>
      <Text className={`quiz__score${result.passed ? ' quiz__score--pass' : ''}`} id='quiz-score'>{t('app-quiz-result-score', { score: result.score })}</Text>
      <Text className='quiz__center'>{`${result.passed ? t('app-quiz-passed') : t('app-quiz-failed')} · ${t('app-quiz-result-line', { correct: result.correct, total: result.total, passMark: result.passMark })}`}</Text>
      <Text className='field__label'>{result.wrong.length ? t('app-quiz-result-wrong') : t('app-quiz-result-none-wrong')}</Text>
      {result.wrong.map((w) => (
        <View key={w.position} className='quiz__wrong' id={`quiz-wrong-${w.position}`}>
          <Text className='quiz__wrong-q'>{`${w.position}. ${w.question}`}</Text>
          <Text className='quiz__meta'>{t('app-quiz-result-your', { chosen: w.chosen || t('app-quiz-none-chosen'), answer: w.answer })}</Text>
          <Text className='quiz__explanation'>{w.explanation}</Text>
          {w.articleTitle ? (
            <View className='quiz__article' onClick={() => void Taro.navigateTo({ url: `/pages/learn-article/index?id=${w.articleId}` })}>
              <Text>{t('app-quiz-take-article', { title: w.articleTitle })}</Text>
            </View>
          ) : null}
        </View>
      ))}
    </View>
  )
}

/** Taking a quiz: one question per screen with feedback, then the result; resumes where the server says. */
export default function QuizTakePage() {
  const t = useT()
  const id = useRouter().params.id ?? ''
  const loaded = useAsync(() => quizApi.progress(id), [id])
  const [live, setLive] = useState<QuizProgress | null>(null)
  const [pending, setPending] = useState<QuizProgress | null>(null)
  const p = live ?? loaded.value
  const state = p?.state === 'upcoming' ? t('quiz-not-open', { opensAt: p.opensAt }) : p?.state === 'closed' && !p.result ? t('quiz-closed', { closesAt: p.closesAt }) : null
  return (
    <View className='page'>
      <PageHeader title={p?.title ?? t('app-quiz-home-title')} />
      <Notice text={loaded.error} />
      <Notice id='quiz-state' kind='info' text={state} />
      {p?.next ? (
        <QuizQuestion
          key={p.next.position}
          q={p.next}
          nextLabel={t('app-quiz-take-next')}
          submit={async (chosen) => {
            const r = await quizApi.answer(id, p.next!.position, chosen)
            setPending(r.progress)
            return r.feedback
          }}
          onNext={() => setLive(pending)}
        />
      ) : null}
      {p && !p.next && p.result ? <QuizResultCard title={p.title} result={p.result} /> : null}
      {p && !p.next && p.result ? <ActionButton id='quiz-home' kind='secondary' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>{t('app-back')}</ActionButton> : null}
    </View>
  )
}
