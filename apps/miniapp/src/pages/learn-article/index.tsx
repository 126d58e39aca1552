import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { cstDate, hasRole } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { ArticleBody } from '../../components/article-body'
import { useAsync } from '../../features/report/use-async'
import { learnApi } from '../../features/learn/api'
import '../../features/learn/learn.css'

/** One article: title, who it is for, the text (safe Markdown), the legal basis; editors can edit and see history. */
export default function ArticlePage() {
  const t = useT()
  const { user } = useSession()
  const id = useRouter().params.id ?? ''
  // Coming back from the editor shows the saved text.
  const [visit, setVisit] = useState(0)
  useDidShow(() => setVisit((v) => v + 1))
  const article = useAsync(() => learnApi.article(id), [id, visit])
  const a = article.value
  const editor = !!user && hasRole(user, 'trainer', 'coordinator')

  return (
    <View className='page'>
      <PageHeader title={a?.title ?? t('app-learn-title')} />
      <Notice text={article.error} />
      {a ? (
        <View className='card' id='article'>
          <Text className='article__title' id='article-title'>{a.title}</Text>
          <Text className='article__meta'>{t('app-article-audience', { audience: a.audience.map((x) => t(`knowledge-audience-${x}`)).join('、') })}</Text>
          <Text className='article__meta' id='article-meta'>{t('app-article-meta', { date: a.updated || cstDate(new Date(a.updatedAt)), revision: a.revision })}</Text>
          <View className='article__tags'>
            {a.tags.map((tag) => <Text key={tag} className='article__tag'>{tag}</Text>)}
          </View>
          <ArticleBody markdown={a.body} id='article-body' />
          <Text className='article__law' id='article-law'>{`${t('app-article-law')}：${a.law}`}</Text>
          {editor ? (
            <View className='article__actions'>
              <ActionButton id='article-edit' onClick={() => void Taro.navigateTo({ url: `/pages/learn-edit/index?id=${a.id}` })}>{t('app-article-edit')}</ActionButton>
              <ActionButton id='article-history' kind='secondary' onClick={() => void Taro.navigateTo({ url: `/pages/learn-history/index?id=${a.id}` })}>{t('app-article-history')}</ActionButton>
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}
