import Taro, { useDidShow } from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { hasRole } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { ImportSummary } from '../../components/import-summary'
import { Field } from '../../components/field'
import { useAsync } from '../../features/report/use-async'
import { pickFeedFile, type PickedFile } from '../../features/report/feeds'
import { quizApi, type QuizImportSummary } from '../../features/quiz/api'
import '../../features/quiz/quiz.css'
import '../../features/report/report.css'
import '../../features/admin/admin.css'

function BankImport() {
  const t = useT()
  const [file, setFile] = useState<PickedFile | null>(null)
  const [dryRun, setDryRun] = useState(true)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [summary, setSummary] = useState<QuizImportSummary | null>(null)
  const pick = async () => {
    const picked = await pickFeedFile()
    if (!picked) return
    setSummary(null)
    if (!/\.csv$/i.test(picked.name)) {
      setFile(null)
      setError(t('feed-file-format'))
      return
    }
    setError(null)
    setFile(picked)
  }
  const submit = async () => {
    if (!file || busy) return
    setBusy(true)
    setError(null)
    try {
      setSummary(await quizApi.importBank(file, dryRun))
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...Object.values(e.fields)].join(' ') : t('app-error-network'))
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='card' id='bank-import'>
      <Text className='card__title'>{t('app-quiz-import-title')}</Text>
      <Text className='card__text'>{t('app-quiz-import-intro')}</Text>
      <ActionButton id='bank-pick' kind='secondary' disabled={busy} onClick={() => void pick()}>{t('app-import-pick')}</ActionButton>
      {file ? <Text className='ritem__summary' id='bank-file'>{file.name}</Text> : null}
      <View className='chips chips--filters'>
        <View id='bank-dry-run' className={`chip chip--check${dryRun ? ' chip--on' : ''}`} onClick={() => setDryRun((d) => !d)}>
          <Text>{t('app-import-dry-run')}</Text>
        </View>
      </View>
      <Notice id='bank-error' text={error} />
      <ActionButton id='bank-submit' disabled={!file || busy} onClick={() => void submit()}>{busy ? t('app-working') : t('app-import-submit')}</ActionButton>
      {summary ? <ImportSummary summary={{ ...summary, complete: true, batchId: null }} /> : null}
    </View>
  )
}

function BankList() {
  const t = useT()
  const [q, setQ] = useState('')
  const list = useAsync(() => quizApi.questions(q.trim()), [q])
  return (
    <View className='card' id='bank-list'>
      <Text className='card__title'>{t('app-quiz-bank-title', { total: list.value?.total ?? 0 })}</Text>
      <Field id='bank-q' label={t('app-quiz-bank-search')} value={q} onChange={setQ} maxlength={60} />
      {(list.value?.questions ?? []).map((x) => (
        <View key={x.id} className='quiz__row' id={`bank-${x.id}`} onClick={() => void Taro.navigateTo({ url: `/pages/quiz-question/index?id=${x.id}` })}>
          <Text className='quiz__row-title'>{x.question}</Text>
          <Text className='quiz__meta'>{`${t(`quiz-type-${x.type}`)} · ${t(`quiz-difficulty-${x.difficulty}`)} · ${t('app-quiz-answer-label', { answer: x.answer })}`}</Text>
        </View>
      ))}
    </View>
  )
}

/** 培训测验 (the training tile): the trainer's quizzes, a new quiz, and the question bank import. */
export default function QuizHubPage() {
  const t = useT()
  const { user } = useSession()
  const allowed = user !== null && hasRole(user, 'trainer')
  const [visit, setVisit] = useState(0)
  useDidShow(() => setVisit((v) => v + 1))
  const list = useAsync(() => (allowed ? quizApi.quizzes() : Promise.resolve({ quizzes: [] })), [allowed, visit])
  const quizzes = list.value?.quizzes ?? []
  if (!allowed) {
    return (
      <View className='page'>
        <PageHeader title={t('app-quiz-hub-title')} />
        <Notice text={t('error-forbidden')} />
      </View>
    )
  }
  return (
    <View className='page'>
      <PageHeader title={t('app-quiz-hub-title')} />
      <View className='quiz__top'>
        <ActionButton id='quiz-new' onClick={() => void Taro.navigateTo({ url: '/pages/quiz-build/index' })}>{t('app-quiz-new')}</ActionButton>
      </View>
      <Notice text={list.error} />
      <View className='card' id='quiz-list'>
        <Text className='card__title'>{t('app-quiz-list-title')}</Text>
        {list.value && quizzes.length === 0 ? <Text className='card__text'>{t('app-quiz-list-empty')}</Text> : null}
        {quizzes.map((q) => (
          <View key={q.id} className='quiz__row' id={`quiz-row-${q.id}`} onClick={() => void Taro.navigateTo({ url: q.status === 'pushed' ? `/pages/quiz-results/index?id=${q.id}` : `/pages/quiz-build/index?id=${q.id}` })}>
            <Text className='quiz__row-title'>{q.title}</Text>
            <Text className='quiz__meta'>{t('app-quiz-list-meta', { status: t(q.status === 'pushed' ? 'quiz-status-pushed' : 'quiz-status-draft'), assigned: q.assigned, finished: q.finished, closesAt: q.closesAt })}</Text>
          </View>
        ))}
      </View>
      <BankImport />
      <BankList />
    </View>
  )
}
