import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { formatCst, hasRole, UNIT_TYPES, ROLES, type FieldErrors } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { useAsync } from '../../features/report/use-async'
import { quizApi, type QuizView } from '../../features/quiz/api'
import '../../features/quiz/quiz.css'

function Chips<T extends string>({ id, label, values, on, toggle, text }: { id: string; label: string; values: readonly T[]; on: readonly T[]; toggle: (v: T) => void; text: (v: T) => string }) {
  return (
    <View className='field' id={id}>
      <Text className='field__label'>{label}</Text>
      <View className='qchips'>
        {values.map((v) => (
          <View key={v} id={`${id}-${v}`} className={`qchip${on.includes(v) ? ' qchip--on' : ''}`} onClick={() => toggle(v)}>
            <Text>{text(v)}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}

const flip = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v])

/** The quiz builder: questions by topic, difficulty and type (or random), N, pass mark, open/close (CST), targets; preview, then push. */
export default function QuizBuildPage() {
  const t = useT()
  const { user } = useSession()
  const draftId = useRouter().params.id ?? ''
  const facets = useAsync(() => quizApi.facets(), [])
  const units = useAsync(() => quizApi.units(), [])
  const draft = useAsync(() => (draftId ? quizApi.quiz(draftId) : Promise.resolve(null)), [draftId])
  const now = Date.now()
  const [title, setTitle] = useState('')
  const [count, setCount] = useState('10')
  const [passMark, setPassMark] = useState('60')
  const [opensAt, setOpensAt] = useState(formatCst(new Date(now)))
  const [closesAt, setClosesAt] = useState(formatCst(new Date(now + 7 * 86_400_000)))
  const [tags, setTags] = useState<string[]>([])
  const [difficulties, setDifficulties] = useState<string[]>([])
  const [types, setTypes] = useState<string[]>([])
  const [unitTypes, setUnitTypes] = useState<string[]>([])
  const [unitCodes, setUnitCodes] = useState<string[]>([])
  const [roles, setRoles] = useState<string[]>([])
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [built, setBuilt] = useState<QuizView | null>(null)
  const preview = built ?? draft.value

  const fail = (e: unknown) => {
    if (isApiError(e)) {
      setFields(e.fields)
      setError(e.message)
    } else setError(t('app-error-network'))
  }
  const build = async () => {
    if (busy) return
    setBusy(true)
    setFields({})
    setError(null)
    try {
      setBuilt(
        await quizApi.build({
          title,
          count: Number(count) || 0,
          passMark: Number(passMark),
          opensAt,
          closesAt,
          selection: { tags, difficulties, types },
          targets: { unitTypes, units: unitCodes, roles },
        }),
      )
    } catch (e) {
      fail(e)
    } finally {
      setBusy(false)
    }
  }
  const push = async () => {
    if (!preview || busy) return
    setBusy(true)
    setError(null)
    try {
      await quizApi.push(preview.id)
      void Taro.redirectTo({ url: `/pages/quiz-results/index?id=${preview.id}` })
    } catch (e) {
      fail(e)
    } finally {
      setBusy(false)
    }
  }
  const f = (k: string) => fields[k]
  if (!user || !hasRole(user, 'trainer')) return <View className='page'><PageHeader title={t('app-quiz-build-title')} /><Notice text={t('error-forbidden')} /></View>
  return (
    <View className='page'>
      <PageHeader title={t('app-quiz-build-title')} />
      {!draftId ? (
        <View className='card' id='quiz-form'>
          <Field id='quiz-title' label={t('app-quiz-field-title')} value={title} onChange={setTitle} error={f('title')} maxlength={60} />
          <Field id='quiz-count' label={t('app-quiz-field-count')} value={count} onChange={setCount} error={f('count')} maxlength={3} />
          <Field id='quiz-pass' label={t('app-quiz-field-pass')} value={passMark} onChange={setPassMark} error={f('passMark')} maxlength={3} />
          <Field id='quiz-opens' label={t('app-quiz-field-opens')} value={opensAt} onChange={setOpensAt} error={f('opensAt')} maxlength={20} />
          <Field id='quiz-closes' label={t('app-quiz-field-closes')} value={closesAt} onChange={setClosesAt} error={f('closesAt')} maxlength={20} />
          <Chips id='quiz-difficulty' label={t('app-quiz-pick-difficulty')} values={['easy', 'medium', 'hard'] as const} on={difficulties as never} toggle={(v) => setDifficulties((l) => flip(l, v))} text={(v) => t(`quiz-difficulty-${v}`)} />
          <Chips id='quiz-type' label={t('app-quiz-pick-type')} values={['single', 'multi', 'judge'] as const} on={types as never} toggle={(v) => setTypes((l) => flip(l, v))} text={(v) => t(`quiz-type-${v}`)} />
          <Chips id='quiz-tags' label={t('app-quiz-pick-tags')} values={(facets.value?.tags ?? []).slice(0, 16).map((x) => x.tag)} on={tags} toggle={(v) => setTags((l) => flip(l, v))} text={(v) => v} />
          {f('selection') ? <Text className='field__error' id='quiz-selection-error'>{f('selection')}</Text> : null}
          <Chips id='quiz-unit-types' label={t('app-quiz-pick-unit-types')} values={UNIT_TYPES} on={unitTypes as never} toggle={(v) => setUnitTypes((l) => flip(l, v))} text={(v) => t(`unit-type-${v}`)} />
          <Chips id='quiz-units' label={t('app-quiz-pick-units')} values={(units.value ?? []).map((u) => u.code)} on={unitCodes} toggle={(v) => setUnitCodes((l) => flip(l, v))} text={(v) => units.value?.find((u) => u.code === v)?.name ?? v} />
          <Chips id='quiz-roles' label={t('app-quiz-pick-roles')} values={ROLES} on={roles as never} toggle={(v) => setRoles((l) => flip(l, v))} text={(v) => t(`role-${v}`)} />
          {f('targets.units') || f('targets') ? <Text className='field__error' id='quiz-targets-error'>{f('targets.units') ?? f('targets')}</Text> : null}
          <Notice id='quiz-build-error' text={error && !preview ? error : null} />
          <ActionButton id='quiz-preview' kind={preview ? 'secondary' : 'primary'} disabled={busy} onClick={() => void build()}>{busy ? t('app-working') : preview ? t('app-quiz-redraw') : t('app-quiz-preview')}</ActionButton>
        </View>
      ) : null}
      {preview ? (
        <View className='card' id='quiz-preview-card'>
          <Text className='card__title'>{t('app-quiz-preview-title', { count: preview.items.length })}</Text>
          <Notice id='quiz-audience' kind={preview.audience.problem ? 'error' : 'info'} text={preview.audience.problem ?? t('app-quiz-audience', { units: preview.audience.units, users: preview.audience.users, telegram: preview.audience.withTelegram })} />
          {preview.items.map((i) => (
            <View key={i.position} className='quiz__item'>
              <Text className='quiz__wrong-q'>{`${i.position}. [${t(`quiz-type-${i.type}`)}] ${i.question}`}</Text>
              {i.options.map((o, k) => <Text key={k} className='quiz__meta'>{`${'ABCD'[k]}. ${o}`}</Text>)}
              <Text className='quiz__meta'>{t('app-quiz-answer-label', { answer: i.answer })}</Text>
            </View>
          ))}
          <Notice id='quiz-push-error' text={error && preview ? [error, ...Object.values(fields)].filter((x, k, a) => a.indexOf(x) === k).join(' ') : null} />
          {preview.status === 'draft' ? (
            <ActionButton id='quiz-push' disabled={busy || !!preview.audience.problem} onClick={() => void push()}>{t('app-quiz-push')}</ActionButton>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}
