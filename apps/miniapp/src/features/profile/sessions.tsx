import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { formatCst } from '@xieshui/core'
import { translate, useT } from '../../lib/i18n'
import { isApiError, request } from '../../lib/request'
import { clearSession } from '../../lib/session'
import { Notice } from '../../components/notice'
import { useAsync } from '../report/use-async'
import '../report-detail/detail.css'

/** A live session of the signed-in user, as GET /me/sessions describes it (labels in the user's language). */
export interface SessionItem {
  id: string
  channel: string
  channelLabel: string
  device: string
  createdAt: string
  lastUsedAt: string
  expiresAt: string
  current: boolean
}

export async function listMySessions(): Promise<SessionItem[]> {
  return (await request<{ sessions: SessionItem[] }>('/api/v1/me/sessions')).sessions
}

export function endMySession(id: string): Promise<void> {
  return request<void>(`/api/v1/me/sessions/${encodeURIComponent(id)}/end`, { method: 'POST' })
}

/** Asks before ending a session (Taro's modal: wx.showModal in WeChat, a dialog in H5). */
async function confirmEnd(session: SessionItem): Promise<boolean> {
  const r = await Taro.showModal({
    title: translate('app-sessions-end-title'),
    content: session.current ? translate('app-sessions-end-current-body') : translate('app-sessions-end-body', { device: session.device }),
    confirmText: translate('app-sessions-end-confirm'),
    cancelText: translate('app-sessions-cancel'),
    confirmColor: '#c62828',
  })
  return r.confirm
}

/**
 * 登录设备 on the profile page: every device the user is signed in on (channel, device, last use in
 * CST), this one marked; each can be signed out after a confirmation, and signing out this one
 * ends the session here too.
 */
export function SessionList() {
  const t = useT()
  const list = useAsync(listMySessions, [])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)

  async function end(session: SessionItem) {
    if (busy || !(await confirmEnd(session))) return
    setBusy(session.id)
    setError(null)
    try {
      await endMySession(session.id)
      if (session.current) {
        clearSession()
        void Taro.reLaunch({ url: '/pages/index/index' })
        return
      }
      list.reload()
    } catch (e) {
      setError(isApiError(e) ? e.message : translate('app-error-network'))
    } finally {
      setBusy(null)
    }
  }

  const sessions = list.value ?? []
  return (
    <View className='card' id='sessions'>
      <Text className='card__title'>{t('app-sessions-title')}</Text>
      <Text className='card__text'>{t('app-sessions-explain')}</Text>
      <Notice text={error ?? list.error} />
      {sessions.map((s) => (
        <View key={s.id} className='session' id={`session-${s.id}`}>
          <View className='session__row'>
            <View>
              <Text className='session__device'>{s.device}</Text>
              {s.current ? <Text className='session__current'>{t('app-sessions-current')}</Text> : null}
              <Text className='session__meta'>{`${s.channelLabel} · ${t('app-sessions-last-used', { time: formatCst(new Date(s.lastUsedAt)) })}`}</Text>
            </View>
            <View id={`session-end-${s.id}`} className='session__end' onClick={() => void end(s)}>
              <Text>{busy === s.id ? t('app-working') : t('app-sessions-end')}</Text>
            </View>
          </View>
        </View>
      ))}
      {!list.loading && sessions.length === 1 ? <Text className='session__meta'>{t('app-sessions-empty')}</Text> : null}
    </View>
  )
}
