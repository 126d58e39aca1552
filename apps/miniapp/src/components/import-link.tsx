import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { hasRole } from '@xieshui/core'
import { useT } from '../lib/i18n'
import { useSession } from '../lib/session'
import '../features/clearance-import/import.css'

/** A slim link to the clearance import, for the roles that may upload (tax officers, coordinators, admins). */
export function ImportLink() {
  const t = useT()
  const { user } = useSession()
  if (!user || !hasRole(user, 'tax_officer', 'coordinator', 'admin')) return null
  return (
    <View className='import-link' id='open-clearance-import' onClick={() => void Taro.navigateTo({ url: '/pages/clearance-import/index' })}>
      <Text>{t('app-oversight-import')} ›</Text>
    </View>
  )
}
