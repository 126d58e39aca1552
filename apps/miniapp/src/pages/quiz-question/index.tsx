import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { hasRole, type FieldErrors } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { useAsync } from '../../features/report/use-async'
import { quizApi, type BankQuestion } from '../../features/quiz/api'
import '../../features/quiz/quiz.css'

/** Editing one question of the bank (the import's rules; a stale revision is refused and nothing is overwritten). */
export default function QuizQuestionPage() {
  const t = useT()
  const { user } = useSession()
  const id = useRouter().params.id ?? ''
  const loaded = useAsync(() => quizApi.question(id), [id])
  const [q, setQ] = useState<BankQuestion | null>(null)
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (loaded.value) setQ({ ...loaded.value, options: [...loaded.value.options, '', '', '', ''].slice(0, 4) })
  }, [loaded.value])
  if (!user || !hasRole(user, 'trainer')) return <View className='page'><PageHeader title={t('app-quiz-question-title')} /><Notice text={t('error-forbidden')} /></View>
  const set = (patch: Partial<BankQuestion>) => {
    setSaved(false)
    setQ((x) => (x ? { ...x, ...patch } : x))
  }
  const save = async () => {
    if (!q || busy) return
    setBusy(true)
    setFields({})
    setError(null)
    try {
      const options = q.type === 'judge' ? q.options.slice(0, 2) : q.options.slice(0, 4 - [...q.options].reverse().findIndex((o) => o.trim() !== ''))
      const r = await quizApi.saveQuestion(q.id, { type: q.type, question: q.question, options, answer: q.answer, explanation: q.explanation, articleId: q.articleId, difficulty: q.difficulty, baseRevision: q.revision })
      setQ({ ...r, options: [...r.options, '', '', '', ''].slice(0, 4) })
      setSaved(true)
    } catch (e) {
      if (isApiError(e)) {
        setFields(e.fields)
        setError(e.message)
      } else setError(t('app-error-network'))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='page'>
      <PageHeader title={t('app-quiz-question-title')} />
      <Notice text={loaded.error} />
      {q ? (
        <View className='card' id='question-form'>
          <View className='field'>
            <Text className='field__label'>{t('app-quiz-pick-type')}</Text>
            <View className='qchips'>
              {(['single', 'multi', 'judge'] as const).map((v) => (
                <View key={v} id={`question-type-${v}`} className={`qchip${q.type === v ? ' qchip--on' : ''}`} onClick={() => set({ type: v })}><Text>{t(`quiz-type-${v}`)}</Text></View>
              ))}
            </View>
          </View>
          <View className={`field${fields.question ? ' field--error' : ''}`}>
            <Text className='field__label'>{t('app-quiz-col-question')}</Text>
            <Textarea id='question-text' className='field__input' value={q.question} maxlength={300} autoHeight onInput={(e) => set({ question: e.detail.value })} />
            {fields.question ? <Text className='field__error'>{fields.question}</Text> : null}
          </View>
          {q.options.map((o, i) => (
            <Field key={i} id={`question-option-${i}`} label={t('app-quiz-option', { letter: 'ABCD'[i]! })} value={o} maxlength={100} error={fields[`options.${i}`]} onChange={(v) => set({ options: q.options.map((x, k) => (k === i ? v : x)) })} />
          ))}
          <Field id='question-answer' label={t('app-quiz-col-answer')} value={q.answer} maxlength={8} error={fields.answer} onChange={(v) => set({ answer: v })} />
          <View className={`field${fields.explanation ? ' field--error' : ''}`}>
            <Text className='field__label'>{t('app-quiz-col-explanation')}</Text>
            <Textarea id='question-explanation' className='field__input' value={q.explanation} maxlength={200} autoHeight onInput={(e) => set({ explanation: e.detail.value })} />
            {fields.explanation ? <Text className='field__error'>{fields.explanation}</Text> : null}
          </View>
          <Field id='question-article' label={t('app-quiz-col-article')} value={q.articleId} maxlength={8} error={fields.articleId} hint={q.articleTitle ?? undefined} onChange={(v) => set({ articleId: v })} />
          <View className='field'>
            <Text className='field__label'>{t('app-quiz-pick-difficulty')}</Text>
            <View className='qchips'>
              {(['easy', 'medium', 'hard'] as const).map((v) => (
                <View key={v} id={`question-difficulty-${v}`} className={`qchip${q.difficulty === v ? ' qchip--on' : ''}`} onClick={() => set({ difficulty: v })}><Text>{t(`quiz-difficulty-${v}`)}</Text></View>
              ))}
            </View>
          </View>
          <Notice id='question-error' text={error} />
          <Notice id='question-saved' kind='info' text={saved ? t('app-quiz-question-saved', { revision: q.revision }) : null} />
          <ActionButton id='question-save' disabled={busy} onClick={() => void save()}>{busy ? t('app-working') : t('app-quiz-question-save')}</ActionButton>
          <ActionButton id='question-back' kind='secondary' onClick={() => void Taro.navigateBack()}>{t('app-back')}</ActionButton>
        </View>
      ) : null}
    </View>
  )
}
