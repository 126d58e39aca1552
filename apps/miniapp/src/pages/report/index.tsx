import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { isEventType, reportTypesForUnit, type UnitType } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { hasContent, loadDraft } from '../../features/report/drafts'
import { deadlineText } from '../../features/report/form-model'
import '../../features/report/report.css'

function Menu() {
  const t = useT()
  const { user } = useSession()
  const types = user ? reportTypesForUnit(user.unit.type as UnitType) : []
  const events = types.filter(isEventType)
  const feeds = types.filter((x) => x.kind === 'feed')

  return (
    <View>
      <Text className='page__title'>{t('app-report-choose-type')}</Text>
      {types.length === 0 ? <Notice kind='info' text={t('app-report-no-types')} /> : null}
      {events.map((type) => {
        const draft = loadDraft(type.code)
        return (
          <View key={type.code} id={`type-${type.code}`} className='rtype' onClick={() => void Taro.navigateTo({ url: `/pages/report-form/index?type=${type.code}` })}>
            <Text className='rtype__title'>{t(type.titleKey)}</Text>
            <Text className='rtype__desc'>{deadlineText(t, type)}</Text>
            {draft && hasContent(draft) ? <Text className='rtype__draft'>{t('app-report-draft-saved')}</Text> : null}
          </View>
        )
      })}
      {feeds.length > 0 ? (
        <View id='type-feeds' className='rtype' onClick={() => void Taro.navigateTo({ url: '/pages/report-feeds/index' })}>
          <Text className='rtype__title'>{t('app-feeds-title')}</Text>
          <Text className='rtype__desc'>{feeds.map((f) => t(f.titleKey)).join('、')}</Text>
        </View>
      ) : null}
      <ActionButton id='open-mine' kind='secondary' onClick={() => void Taro.navigateTo({ url: '/pages/report-mine/index' })}>
        {t('app-report-mine-title')}
      </ActionButton>
    </View>
  )
}

/** The report menu: the types the user's unit files (forms), its periodic feeds, and "my reports". */
export default function ReportPage() {
  const t = useT()
  return (
    <View className='page page--form'>
      <PageHeader title={t('feature-report')} />
      <Guard roles={['reporter']}>
        <Menu />
      </Guard>
    </View>
  )
}
