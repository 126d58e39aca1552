import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { hasRole, TIP_STATUSES, type TipStatus } from '@xieshui/core'
import { tipInboxApi } from '../../features/tip/api'
import { useAsync } from '../../features/report/use-async'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import '../../features/tip/tip.css'

/** The supervision office's inbox (every tip), or a tax officer's list of tips assigned to their unit. */
export default function TipsInboxPage() {
  const t = useT()
  const { user } = useSession()
  const handler = user ? hasRole(user, 'tip_handler') : false
  const [status, setStatus] = useState<TipStatus | ''>(handler ? 'new' : '')
  const [overdue, setOverdue] = useState(false)
  const [selected, setSelected] = useState<string[]>([])
  const [info, setInfo] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const list = useAsync(() => tipInboxApi.list(status, overdue), [status, overdue])
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]))
  const closeSpam = async () => {
    setError(null)
    try {
      const r = await tipInboxApi.closeSpam(selected)
      setInfo(t('app-tips-closed-spam', { count: r.closed }))
      setSelected([])
      list.reload()
    } catch (e) {
      setError(isApiError(e) ? e.message : String(e))
    }
  }
  return (
    <View className='page'>
      <PageHeader title={t(handler ? 'app-tips-inbox-title' : 'app-tips-unit-title')} />
      <View className='card'>
        <View className='chips chips--filters' id='tips-filter'>
          {(['', ...TIP_STATUSES] as const).map((s) => (
            <View key={s || 'any'} id={`tips-filter-${s || 'any'}`} className={`chip${status === s && !overdue ? ' chip--on' : ''}`} onClick={() => { setOverdue(false); setStatus(s) }}>
              <Text>{s ? t(`tip-status-${s}`) : t('app-tips-filter-any')}</Text>
            </View>
          ))}
          <View id='tips-filter-overdue' className={`chip${overdue ? ' chip--on' : ''}`} onClick={() => { setStatus(''); setOverdue(true) }}>
            <Text>{t('app-tips-filter-overdue')}</Text>
          </View>
        </View>
      </View>
      <Notice id='tips-error' text={error ?? list.error} />
      <Notice id='tips-info' kind='info' text={info} />
      {list.value && list.value.tips.length === 0 ? <Notice id='tips-empty' kind='info' text={t('app-tips-empty')} /> : null}
      {list.value?.tips.map((tip) => (
        <View key={tip.id} className='card tip-item' id={`tip-${tip.id}`}>
          <View onClick={() => void Taro.navigateTo({ url: `/pages/tip-detail/index?id=${encodeURIComponent(tip.id)}` })}>
            <Text className='card__title'>{`${t(`tip-category-${tip.category}`)} · ${t(`tip-status-${tip.status}`)}${tip.realName ? ` · ${t('app-tips-real-name')}` : ''}`}</Text>
            <Text className='card__text'>{tip.preview}</Text>
            <Text className='field__hint'>{`${tip.filedOn} · ${t('app-tips-deadlines', { ack: tip.acknowledgeBy, conclude: tip.concludeBy })}${tip.unit ? ` · ${tip.unit.name}` : ''}`}</Text>
            {tip.acknowledgeOverdue ? <Notice kind='error' text={t('app-tips-ack-overdue', { date: tip.acknowledgeBy })} /> : null}
            {tip.concludeOverdue ? <Notice kind='error' text={t('app-tips-conclude-overdue', { date: tip.concludeBy })} /> : null}
          </View>
          {handler && (tip.status === 'new' || tip.status === 'accepted' || tip.status === 'investigating') ? (
            <View id={`tip-select-${tip.id}`} className={`chip chip--check${selected.includes(tip.id) ? ' chip--on' : ''}`} onClick={() => toggle(tip.id)}>
              <Text>{t('app-tips-select')}</Text>
            </View>
          ) : null}
        </View>
      ))}
      {handler && selected.length > 0 ? (
        <ActionButton id='tips-close-spam' kind='danger' onClick={() => void closeSpam()}>
          {t('app-tips-close-spam', { count: selected.length })}
        </ActionButton>
      ) : null}
    </View>
  )
}
