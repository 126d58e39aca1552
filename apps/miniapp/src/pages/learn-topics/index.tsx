import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { useAsync } from '../../features/report/use-async'
import { learnApi } from '../../features/learn/api'
import { groupByAudience } from '../../features/learn/topics'
import '../../features/learn/learn.css'

/** Browse the knowledge base by job, for those who prefer reading to searching. */
export default function TopicsPage() {
  const t = useT()
  const list = useAsync(() => learnApi.list(null), [])
  const groups = groupByAudience(list.value?.articles ?? [])
  return (
    <View className='page'>
      <PageHeader title={t('app-topics-title')} />
      <Notice text={list.error} />
      {groups.map((g) => (
        <View key={g.audience} className='topic' id={`topic-${g.audience}`}>
          <View className='topic__head'>
            <Text className='topic__title'>{t(`knowledge-audience-${g.audience}`)}</Text>
            <Text className='topic__count'>{t('app-topics-count', { count: g.articles.length })}</Text>
          </View>
          <View className='topic__list'>
            {g.articles.map((a) => (
              <View key={a.id} id={`topic-item-${a.id}`} className='topic__item' onClick={() => void Taro.navigateTo({ url: `/pages/learn-article/index?id=${a.id}` })}><Text>{a.title}</Text></View>
            ))}
          </View>
        </View>
      ))}
    </View>
  )
}
