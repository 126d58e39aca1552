import { useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { TIP_MESSAGE_MAX, type TipStatusView } from '@xieshui/core'
import { addEvidence, replyToTip, tipStatus } from '../../features/tip/api'
import { choosePhotos, notImageMessage } from '../../features/report/photos'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { Notice } from '../../components/notice'
import { PageHeader } from '../../components/page-header'
import '../../features/tip/tip.css'

/** Follow a tip with its receipt: status, the handlers' messages, an answer, more evidence. No sign-in. */
export default function TipStatusPage() {
  const t = useT()
  const [receipt, setReceipt] = useState('')
  const [view, setView] = useState<TipStatusView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [fieldError, setFieldError] = useState<string | undefined>(undefined)
  const [reply, setReply] = useState('')
  const [replyError, setReplyError] = useState<string | undefined>(undefined)
  const [info, setInfo] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const run = async (work: () => Promise<void>) => {
    if (busy) return
    setBusy(true)
    setError(null)
    setInfo(null)
    try {
      await work()
    } catch (e) {
      if (!isApiError(e)) throw e
      setError(e.message)
      if (e.fields.receipt) setFieldError(e.fields.receipt)
      if (e.fields.text) setReplyError(e.fields.text)
    } finally {
      setBusy(false)
    }
  }
  const lookup = () =>
    run(async () => {
      setFieldError(undefined)
      setView(null)
      setView(await tipStatus(receipt))
    })
  const send = () =>
    run(async () => {
      setReplyError(undefined)
      setView(await replyToTip(receipt, reply))
      setReply('')
      setInfo(t('app-tip-status-reply-sent'))
    })
  const pick = () =>
    run(async () => {
      const [photo] = await choosePhotos(1)
      if (!photo) return
      if (!photo.mime) {
        setError(notImageMessage())
        return
      }
      const r = await addEvidence(receipt, photo, photo.mime)
      setView((v) => (v ? { ...v, attachments: r.attachments } : v))
      setInfo(t('app-tip-status-evidence-added', { count: r.attachments }))
    })
  const open = view && view.status !== 'closed' && view.status !== 'not_accepted'

  return (
    <View className='page page--form'>
      <PageHeader title={t('app-tip-status-title')} />
      <View className='card'>
        <Notice id='tip-status-error' text={error} />
        <Field id='tip-status-receipt' label={t('app-tip-status-receipt')} hint={t('app-tip-status-receipt-hint')} value={receipt} onChange={(x) => { setReceipt(x); setFieldError(undefined) }} error={fieldError} placeholder='0000 0000 0000 0000' maxlength={40} />
        <ActionButton id='tip-status-lookup' disabled={busy} onClick={() => void lookup()}>
          {busy ? t('app-working') : t('app-tip-status-lookup')}
        </ActionButton>
      </View>
      {view ? (
        <View className='card' id='tip-status-view'>
          <View className='kv'><Text className='kv__key'>{t('app-tip-status-category')}</Text><Text className='kv__value'>{t(`tip-category-${view.category}`)}</Text></View>
          <View className='kv'><Text className='kv__key'>{t('app-tip-status-filed')}</Text><Text className='kv__value'>{view.filedOn}</Text></View>
          <View className='kv'><Text className='kv__key'>{t('app-tip-status-status')}</Text><Text className='kv__value' id='tip-status-status'>{t(`tip-status-${view.status}`)}</Text></View>
          <View className='kv'><Text className='kv__key'>{t('app-tip-status-evidence')}</Text><Text className='kv__value'>{String(view.attachments)}</Text></View>
          {view.reward ? <Notice id='tip-reward' kind='info' text={t('tip-reward-claim', { band: t(`tip-reward-${view.reward}`) })} /> : null}
          <Text className='card__title'>{t('app-tip-status-messages')}</Text>
          {view.messages.length === 0 ? <Text className='field__hint' id='tip-no-messages'>{t('app-tip-status-no-messages')}</Text> : null}
          {view.messages.map((m, i) => (
            <View key={i} className={`tip-msg tip-msg--${m.from}`}>
              <Text className='tip-msg__who'>{`${m.on} · ${t(m.from === 'handler' ? 'tip-from-handler' : 'tip-from-tipster')}`}</Text>
              <Text className='tip-msg__text'>{m.text}</Text>
            </View>
          ))}
          <Notice id='tip-status-info' kind='info' text={info} />
          {open ? (
            <View>
              <View className={`field${replyError ? ' field--error' : ''}`}>
                <Text className='field__label'>{t('app-tip-status-reply')}</Text>
                <Textarea id='tip-reply' className='tip-textarea' value={reply} maxlength={TIP_MESSAGE_MAX} autoHeight onInput={(e) => { setReply(e.detail.value); setReplyError(undefined) }} />
                {replyError ? <Text className='field__error' id='tip-reply-error'>{replyError}</Text> : null}
              </View>
              <ActionButton id='tip-reply-send' disabled={busy} onClick={() => void send()}>{t('app-tip-status-reply-send')}</ActionButton>
              <ActionButton id='tip-evidence-add' kind='secondary' disabled={busy} onClick={() => void pick()}>{t('app-tip-status-evidence-add')}</ActionButton>
            </View>
          ) : (
            <Text className='field__hint'>{t('app-tip-status-closed')}</Text>
          )}
        </View>
      ) : null}
    </View>
  )
}
