import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { cstDate, formatCode, type Role } from '@xieshui/core'
import { useT } from '../lib/i18n'
import { scrollToId } from '../lib/scroll'
import { ActionButton } from './action-button'

export interface IssuedCodeProps {
  code: string
  unit: string
  roles: readonly Role[]
  expiresAt: string
}

/**
 * A just-issued invite code, shown once: large and grouped for reading aloud or copying by hand,
 * a copy button, and the bot command that redeems it.
 */
export function IssuedCode({ code, unit, roles, expiresAt }: IssuedCodeProps) {
  const t = useT()
  const [copied, setCopied] = useState(false)
  // The admin taps "create" at the bottom of the form: bring the new code into view.
  useEffect(() => {
    setCopied(false)
    scrollToId('issued-code')
  }, [code])
  const copy = async () => {
    try {
      await Taro.setClipboardData({ data: code })
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  return (
    <View className='card issued' id='issued-code'>
      <Text className='field__label'>{t('app-admin-code-title')}</Text>
      <Text className='issued__code' id='issued-code-value' userSelect>{formatCode(code)}</Text>
      <Text className='ritem__meta'>{t('app-admin-code-for', { unit, roles: roles.map((r) => t(`role-${r}`)).join('、'), expires: cstDate(new Date(expiresAt)) })}</Text>
      <Text className='issued__bot' id='issued-code-bot'>{t('app-admin-bot-hint', { command: `/start ${code}` })}</Text>
      <ActionButton id='issued-copy' kind='secondary' onClick={() => void copy()}>{copied ? t('app-admin-copied') : t('app-admin-copy')}</ActionButton>
      <Text className='field__hint'>{t('app-admin-code-warn')}</Text>
    </View>
  )
}
