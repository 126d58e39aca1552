import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { hasRole, REWARD_BANDS, TIP_TRANSITIONS, type TipStatus } from '@xieshui/core'
import { tipInboxApi, type TipDetail } from '../../features/tip/api'
import { useAsync } from '../../features/report/use-async'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { SearchPicker } from '../../components/search-picker'
import { unitTypeLabel } from '../../features/oversight/explain'
import '../../features/tip/tip.css'

/** One tip: the facts for the assigned unit; for handlers also messages, history and every action. */
export default function TipDetailPage() {
  const t = useT()
  const id = useRouter().params.id ?? ''
  const { user } = useSession()
  const handler = user ? hasRole(user, 'tip_handler') : false
  const loaded = useAsync(() => tipInboxApi.get(id), [id])
  const units = useAsync(() => (handler ? tipInboxApi.units() : Promise.resolve([])), [handler])
  const [tip, setTip] = useState<TipDetail | null>(null)
  const [to, setTo] = useState<TipStatus | ''>('')
  const [reason, setReason] = useState('')
  const [unit, setUnit] = useState('')
  const [message, setMessage] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [info, setInfo] = useState<string | null>(null)
  const shown = tip ?? loaded.value

  const act = async (work: () => Promise<TipDetail>, after?: () => void) => {
    setError(null)
    setInfo(null)
    setFields({})
    try {
      setTip(await work())
      after?.()
      setInfo(t('app-tip-detail-saved'))
    } catch (e) {
      if (!isApiError(e)) throw e
      setError(e.message)
      setFields(e.fields)
    }
  }
  if (!shown) return <View className='page'><PageHeader title={t('app-tip-detail-title')} /><Notice id='tip-detail-error' text={loaded.error} /></View>
  const f = shown.facts
  const row = (label: string, value: string | undefined) =>
    value ? <View className='kv'><Text className='kv__key'>{label}</Text><Text className='kv__value'>{value}</Text></View> : null
  const next = TIP_TRANSITIONS[shown.status]
  return (
    <View className='page page--form'>
      <PageHeader title={t('app-tip-detail-title')} />
      <View className='card' id='tip-facts'>
        <Text className='card__title'>{`${t(`tip-category-${shown.category}`)} · ${t(`tip-status-${shown.status}`)}`}</Text>
        <Text className='field__hint'>{`${shown.filedOn} · ${t('app-tips-deadlines', { ack: shown.acknowledgeBy, conclude: shown.concludeBy })}`}</Text>
        {shown.acknowledgeOverdue ? <Notice kind='error' text={t('app-tips-ack-overdue', { date: shown.acknowledgeBy })} /> : null}
        {shown.concludeOverdue ? <Notice kind='error' text={t('app-tips-conclude-overdue', { date: shown.concludeBy })} /> : null}
        {row(t('app-tip-detail-subject'), f.subject)}
        {row(t('app-tip-detail-location'), f.location)}
        {row(t('app-tip-detail-when'), f.when)}
        {row(t('app-tip-detail-description'), f.description)}
        {row(t('app-tip-detail-contact'), f.contact)}
        {row(t('app-tip-detail-evidence'), String(shown.attachments))}
        {row(t('app-tip-detail-unit'), shown.unit?.name ?? t('app-tip-detail-unassigned'))}
        {shown.reward ? row(t('app-tip-detail-reward'), t(`tip-reward-${shown.reward}`)) : null}
      </View>
      <Notice id='tip-detail-error' text={error} />
      <Notice id='tip-detail-info' kind='info' text={info} />
      {handler && shown.messages ? (
        <View className='card' id='tip-thread'>
          <Text className='card__title'>{t('app-tip-status-messages')}</Text>
          {shown.messages.map((m, i) => (
            <View key={i} className={`tip-msg tip-msg--${m.from}`}>
              <Text className='tip-msg__who'>{`${m.on} · ${t(m.from === 'handler' ? 'tip-from-handler' : 'tip-from-tipster')}`}</Text>
              <Text className='tip-msg__text'>{m.text}</Text>
            </View>
          ))}
          <Text className='field__label'>{t('app-tip-detail-message')}</Text>
          <Textarea id='tip-message' className='tip-textarea' value={message} maxlength={2000} autoHeight onInput={(e) => setMessage(e.detail.value)} />
          {fields.text ? <Text className='field__error'>{fields.text}</Text> : null}
          <ActionButton id='tip-message-send' onClick={() => void act(() => tipInboxApi.message(id, message), () => setMessage(''))}>{t('app-tip-detail-message-send')}</ActionButton>
        </View>
      ) : null}
      {handler && next.length > 0 ? (
        <View className='card' id='tip-change'>
          <Text className='card__title'>{t('app-tip-detail-change')}</Text>
          <View className='chips' id='tip-status-to'>
            {next.map((s) => (
              <View key={s} id={`tip-to-${s}`} className={`chip${to === s ? ' chip--on' : ''}`} onClick={() => setTo(s)}><Text>{t(`tip-status-${s}`)}</Text></View>
            ))}
          </View>
          {fields.status ? <Text className='field__error'>{fields.status}</Text> : null}
          <Text className='field__label'>{t('app-tip-detail-reason')}</Text>
          <Textarea id='tip-reason' className='tip-textarea' value={reason} maxlength={500} autoHeight onInput={(e) => setReason(e.detail.value)} />
          {fields.reason ? <Text className='field__error' id='tip-reason-error'>{fields.reason}</Text> : null}
          <ActionButton id='tip-change-save' disabled={!to} onClick={() => to && void act(() => tipInboxApi.status(id, to, reason), () => { setReason(''); setTo('') })}>{t('app-tip-detail-change')}</ActionButton>
        </View>
      ) : null}
      {handler ? (
        <View className='card' id='tip-assign'>
          <Text className='card__title'>{t('app-tip-detail-assign')}</Text>
          <SearchPicker
            id='tip-assign-unit'
            label={t('app-tip-detail-assign-to')}
            chosen={unit ? (units.value ?? []).find((u) => u.code === unit)?.name ?? null : null}
            placeholder={t('app-tip-detail-assign-hint')}
            options={(units.value ?? []).map((u) => ({ value: u.code, label: u.name, detail: unitTypeLabel(t, u.type) }))}
            onPick={(o) => setUnit(o?.value ?? '')}
            error={fields.unit}
          />
          <ActionButton id='tip-assign-save' kind='secondary' onClick={() => void act(() => tipInboxApi.assign(id, unit))}>{t('app-tip-detail-assign-button')}</ActionButton>
        </View>
      ) : null}
      {handler && shown.status === 'closed' ? (
        <View className='card' id='tip-reward'>
          <Text className='card__title'>{t('app-tip-detail-reward')}</Text>
          <View className='chips'>
            {REWARD_BANDS.map((b) => (
              <View key={b} id={`tip-reward-${b}`} className={`chip${shown.reward === b ? ' chip--on' : ''}`} onClick={() => void act(() => tipInboxApi.reward(id, b))}><Text>{t(`tip-reward-${b}`)}</Text></View>
            ))}
          </View>
        </View>
      ) : null}
      {handler && shown.history && shown.history.length > 0 ? (
        <View className='card' id='tip-history'>
          <Text className='card__title'>{t('app-tip-detail-history')}</Text>
          {shown.history.map((h, i) => (
            <View key={i} className='tip-msg'>
              <Text className='tip-msg__who'>{`${h.on} · ${h.by} · ${t(`tip-status-${h.status}`)}`}</Text>
              <Text className='tip-msg__text'>{h.reason}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}
