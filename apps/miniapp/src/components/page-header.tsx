import Taro from '@tarojs/taro'
import { useEffect } from 'react'
import { Text, View } from '@tarojs/components'
import { isH5 } from '../lib/env'
import { useT } from '../lib/i18n'

/**
 * Sets the page title in the current language. WeChat draws its own bar with a back arrow; the H5
 * build (browser, Telegram) has none, so it gets a slim bar with a back button here.
 */
export function PageHeader({ title }: { title: string }) {
  const t = useT()
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title }).catch(() => undefined)
  }, [title])
  if (!isH5()) return null
  const back = () => {
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack()
    else void Taro.reLaunch({ url: '/pages/index/index' })
  }
  return (
    <View className='topbar'>
      <View className='topbar__back' id='nav-back' onClick={back}>
        <Text>‹ {t('app-back')}</Text>
      </View>
      <Text className='topbar__title'>{title}</Text>
    </View>
  )
}
