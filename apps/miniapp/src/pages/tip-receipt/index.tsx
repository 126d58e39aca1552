import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { formatReceipt } from '@xieshui/core'
import { takeIssuedReceipt } from '../../features/tip/api'
import { useT } from '../../lib/i18n'
import { ActionButton } from '../../components/action-button'
import { Notice } from '../../components/notice'
import { PageHeader } from '../../components/page-header'
import '../../features/tip/tip.css'

/** The receipt, shown once after filing (held in memory only), with a copy button and the advice to keep it. */
export default function TipReceiptPage() {
  const t = useT()
  const [receipt] = useState(() => takeIssuedReceipt())
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    if (!receipt) return
    try {
      await Taro.setClipboardData({ data: formatReceipt(receipt) })
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  return (
    <View className='page'>
      <PageHeader title={t('app-tip-receipt-title')} />
      {receipt ? (
        <View className='card'>
          <Text className='card__title'>{t('app-tip-receipt-done')}</Text>
          <Text className='field__label'>{t('app-tip-receipt-label')}</Text>
          <View className='tip-receipt-wrap'>
            <Text className='tip-receipt' id='tip-receipt' userSelect selectable>{formatReceipt(receipt)}</Text>
          </View>
          <Text className='tip-keep' id='tip-keep'>{t('app-tip-receipt-keep')}</Text>
          <ActionButton id='tip-copy' kind='secondary' onClick={() => void copy()}>
            {copied ? t('app-tip-receipt-copied') : t('app-tip-receipt-copy')}
          </ActionButton>
        </View>
      ) : (
        <View className='card'>
          <Notice id='tip-receipt-gone' kind='info' text={t('app-tip-receipt-gone')} />
        </View>
      )}
      <ActionButton id='tip-go-status' onClick={() => void Taro.redirectTo({ url: '/pages/tip-status/index' })}>
        {t('app-tip-receipt-status')}
      </ActionButton>
    </View>
  )
}
