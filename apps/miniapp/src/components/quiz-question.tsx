import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useT } from '../lib/i18n'
import { isApiError } from '../lib/request'
import { lettersOf, type AskedQuestion, type QuizFeedback } from '../features/quiz/api'
import { ActionButton } from './action-button'
import { Notice } from './notice'

/**
 * One question per screen: progress, the options (one for single and true/false, several for
 * multiple choice), submit; then right/wrong, the explanation and the article, and "next".
 */
export function QuizQuestion({ q, submit, onNext, nextLabel }: {
  q: AskedQuestion
  submit: (chosen: string) => Promise<QuizFeedback>
  onNext: () => void
  nextLabel: string
}) {
  const t = useT()
  const [picked, setPicked] = useState<number[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [feedback, setFeedback] = useState<QuizFeedback | null>(null)
  const multi = q.type === 'multi'
  const toggle = (i: number) => {
    if (feedback) return
    setPicked((p) => (multi ? (p.includes(i) ? p.filter((x) => x !== i) : [...p, i]) : [i]))
  }
  const send = async () => {
    if (busy || picked.length === 0) return
    setBusy(true)
    setError(null)
    try {
      setFeedback(await submit(lettersOf(picked)))
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...Object.values(e.fields)].join(' ') : t('app-error-network'))
    } finally {
      setBusy(false)
    }
  }
  const answerLetters = feedback ? feedback.answer.split('') : []
  return (
    <View className='card quiz' id='quiz-question'>
      <View className='quiz__progress'>
        <Text id='quiz-progress'>{t('app-quiz-take-progress', { position: q.position, total: q.total })}</Text>
        <Text className='quiz__type'>{t(`quiz-type-${q.type}`)}</Text>
      </View>
      <View className='quiz__bar'><View className='quiz__bar-fill' style={{ width: `${Math.round((100 * (q.position - (feedback ? 0 : 1))) / q.total)}%` }} /></View>
      <Text className='quiz__text' id='quiz-text'>{q.question}</Text>
      {multi ? <Text className='field__hint'>{t('app-quiz-multi-hint')}</Text> : null}
      <View className='quiz__options'>
        {q.options.map((o, i) => {
          const letter = 'ABCD'[i]!
          const on = picked.includes(i)
          const state = feedback ? (answerLetters.includes(letter) ? ' quiz__option--right' : on ? ' quiz__option--wrong' : '') : on ? ' quiz__option--on' : ''
          return (
            <View key={i} id={`quiz-option-${letter}`} className={`quiz__option${state}`} onClick={() => toggle(i)}>
              <Text className='quiz__letter'>{multi ? (on ? '☑' : '☐') : letter}</Text>
              <Text className='quiz__option-text'>{multi ? `${letter}. ${o}` : o}</Text>
            </View>
          )
        })}
      </View>
      <Notice id='quiz-error' text={error} />
      {feedback ? (
        <View className={`quiz__feedback quiz__feedback--${feedback.correct ? 'right' : 'wrong'}`} id='quiz-feedback'>
          <Text className='quiz__verdict'>{feedback.correct ? t('app-quiz-take-right') : t('app-quiz-take-wrong', { answer: feedback.answer })}</Text>
          <Text className='quiz__explanation'>{feedback.explanation}</Text>
          {feedback.articleTitle ? (
            <View id='quiz-article' className='quiz__article' onClick={() => void Taro.navigateTo({ url: `/pages/learn-article/index?id=${feedback.articleId}` })}>
              <Text>{t('app-quiz-take-article', { title: feedback.articleTitle })}</Text>
            </View>
          ) : null}
          <ActionButton id='quiz-next' onClick={onNext}>{nextLabel}</ActionButton>
        </View>
      ) : (
        <ActionButton id='quiz-submit' disabled={busy || picked.length === 0} onClick={() => void send()}>{busy ? t('app-working') : t('app-quiz-take-submit')}</ActionButton>
      )}
    </View>
  )
}
