import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'
import { ActionButton } from '../../components/action-button'
import { PageHeader } from '../../components/page-header'

/** Where an unknown address lands (a stale link, a typo): says so and offers the way home. */
export default function NotFoundPage() {
  const t = useT()
  return (
    <View className='page page--form'>
      <PageHeader title={t('fs-not-found-title')} />
      <View className='card card--center' id='not-found'>
        <Text className='page__title'>{t('fs-not-found-title')}</Text>
        <Text className='card__text'>{t('fs-not-found-text')}</Text>
        <ActionButton id='not-found-home' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>{t('app-back-home')}</ActionButton>
      </View>
    </View>
  )
}
