import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { FEATURES, type Feature } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { ActionButton } from '../../components/action-button'
import { PageHeader } from '../../components/page-header'

function isFeature(value: unknown): value is Feature {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FEATURES, value)
}

/** Placeholder for a feature whose page is not built yet. */
export default function SoonPage() {
  const t = useT()
  const { params } = useRouter()
  const feature = isFeature(params.feature) ? params.feature : null
  const title = feature ? t(`feature-${feature}`) : t('app-name')

  return (
    <View className='page page--form'>
      <PageHeader title={title} />
      <View className='card card--center'>
        <Text className='page__title'>{title}</Text>
        <Text id='soon-text' className='card__text'>{t('app-soon')}</Text>
        <ActionButton kind='secondary' onClick={() => void Taro.reLaunch({ url: '/pages/index/index' })}>
          {t('app-back-home')}
        </ActionButton>
      </View>
    </View>
  )
}
