import Taro from '@tarojs/taro'
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import { hasRole, type Role } from '@xieshui/core'
import { useT } from '../lib/i18n'
import { useSession } from '../lib/session'
import { ActionButton } from './action-button'

/**
 * Shows a protected page only to the roles that may use it. Signed out, it offers the login (not a
 * refusal); signed in without the role, it says which role is needed and who can grant it, with a
 * way home. The server checks again: this is guidance, not security.
 */
export function Guard({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const t = useT()
  const { user } = useSession()
  if (!user) {
    return (
      <View className='card guard' id='guard'>
        <Text className='card__title'>{t('fs-guard-login-title')}</Text>
        <Text className='card__text'>{t('fs-guard-login-text')}</Text>
        <ActionButton id='guard-login' onClick={() => void Taro.navigateTo({ url: '/pages/login/index' })}>{t('app-login-submit')}</ActionButton>
      </View>
    )
  }
  if (!hasRole(user, ...roles)) {
    return (
      <View className='card guard' id='guard'>
        <Text className='card__text' id='guard-role'>{t('fs-guard-role', { roles: roles.map((r) => t(`role-${r}`)).join('、') })}</Text>
        <ActionButton id='guard-home' kind='secondary' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>{t('app-back-home')}</ActionButton>
      </View>
    )
  }
  return <>{children}</>
}
