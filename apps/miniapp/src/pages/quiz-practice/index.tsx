import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { QuizQuestion } from '../../components/quiz-question'
import { useAsync } from '../../features/report/use-async'
import { quizApi, type PracticeRound } from '../../features/quiz/api'
import '../../features/quiz/quiz.css'

/** 每日练习: today's round (due for review, then new), the same as /practice in the bot; the optional reminder. */
export default function QuizPracticePage() {
  const t = useT()
  const loaded = useAsync(() => quizApi.practice(), [])
  const reminder = useAsync(() => quizApi.reminder(), [])
  const [live, setLive] = useState<PracticeRound | null>(null)
  const [pending, setPending] = useState<PracticeRound | null>(null)
  const [remind, setRemind] = useState<{ enabled: boolean; hour: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const r = live ?? loaded.value
  const rem = remind ?? reminder.value
  const toggleReminder = async () => {
    if (!rem) return
    try {
      setRemind(await quizApi.setReminder(!rem.enabled, rem.hour))
    } catch (e) {
      setError(isApiError(e) ? e.message : t('app-error-network'))
    }
  }
  return (
    <View className='page'>
      <PageHeader title={t('app-quiz-practice-title')} />
      <Notice text={loaded.error ?? error} />
      {r && r.answered === 0 && r.next ? <Notice kind='info' text={t('app-quiz-practice-intro', { total: r.total })} /> : null}
      {r?.next ? (
        <QuizQuestion
          key={r.next.position}
          q={r.next}
          nextLabel={t('app-quiz-take-next')}
          submit={async (chosen) => {
            const a = await quizApi.answerPractice(r.roundId, r.next!.position, chosen)
            setPending(a.round)
            return a.feedback
          }}
          onNext={() => setLive(pending)}
        />
      ) : null}
      {r && !r.next ? (
        <View className='card' id='practice-done'>
          <Text className='quiz__center'>{t('app-quiz-practice-done', { correct: r.correct, total: r.total })}</Text>
        </View>
      ) : null}
      {rem ? (
        <View className='qchips'>
          <View id='practice-reminder' className={`qchip${rem.enabled ? ' qchip--on' : ''}`} onClick={() => void toggleReminder()}>
            <Text>{`${rem.enabled ? '☑' : '☐'} ${t('app-quiz-practice-reminder', { hour: rem.hour })}`}</Text>
          </View>
        </View>
      ) : null}
      <ActionButton id='open-mistakes' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/quiz-mistakes/index' })}>{t('app-quiz-home-mistakes')}</ActionButton>
    </View>
  )
}
