import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { hasRole, KNOWLEDGE_AUDIENCES, KNOWLEDGE_QUERY_MAX, type KnowledgeAudience } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { SnippetText } from '../../components/article-body'
import { useKnowledgeSearch } from '../../features/learn/use-search'
import '../../features/learn/learn.css'

const FILTERS: (KnowledgeAudience | null)[] = [null, ...KNOWLEDGE_AUDIENCES.filter((a) => a !== 'all')]

/** 学习: search the knowledge base as you type, recent searches, browse by job; editors add articles. */
export default function LearnPage() {
  const t = useT()
  const { user } = useSession()
  const search = useKnowledgeSearch()
  const open = (id: string) => {
    search.remember()
    void Taro.navigateTo({ url: `/pages/learn-article/index?id=${id}` })
  }
  const editor = !!user && hasRole(user, 'trainer', 'coordinator')

  return (
    <View className='page'>
      <PageHeader title={t('app-learn-title')} />
      <View className='search'>
        <Input
          id='learn-q'
          className='search__input'
          value={search.query}
          placeholder={t('app-learn-placeholder')}
          maxlength={KNOWLEDGE_QUERY_MAX}
          confirmType='search'
          onInput={(e) => search.setQuery(e.detail.value)}
          onConfirm={() => search.remember()}
        />
        {search.query ? <View id='learn-clear' className='search__clear' onClick={() => search.setQuery('')}><Text>✕</Text></View> : null}
      </View>
      <View className='aud' id='learn-audience'>
        {FILTERS.map((a) => (
          <View key={a ?? 'any'} id={`aud-${a ?? 'any'}`} className={`aud__chip${search.audience === a ? ' aud__chip--on' : ''}`} onClick={() => search.setAudience(a)}>
            <Text>{a ? t(`knowledge-audience-${a}`) : t('app-learn-all')}</Text>
          </View>
        ))}
      </View>

      <Notice id='learn-error' text={search.error} />
      {search.query.trim() ? (
        <View id='learn-results'>
          {search.loading && !search.results ? <Text className='empty'>{t('app-learn-searching')}</Text> : null}
          {search.results && search.results.length === 0 ? <Text className='empty' id='learn-empty'>{t('app-learn-empty')}</Text> : null}
          {(search.results ?? []).map((r) => (
            <View key={r.id} id={`result-${r.id}`} className='result' onClick={() => open(r.id)}>
              <Text className='result__title'>{r.title}</Text>
              <SnippetText snippet={r.snippet} />
            </View>
          ))}
        </View>
      ) : (
        <View>
          <Text className='learn-hint'>{t('app-learn-hint')}</Text>
          {search.recent.length ? (
            <View id='learn-recent'>
              <View className='recent__head'>
                <Text className='recent__title'>{t('app-learn-recent')}</Text>
                <View id='learn-recent-clear' className='recent__clear' onClick={search.forget}><Text>{t('app-learn-recent-clear')}</Text></View>
              </View>
              <View className='recent'>
                {search.recent.map((q) => (
                  <View key={q} className='recent__item' onClick={() => search.setQuery(q)}><Text>{q}</Text></View>
                ))}
              </View>
            </View>
          ) : null}
          <View className='learn-links'>
            <View id='learn-browse' className='learn-link' onClick={() => void Taro.navigateTo({ url: '/pages/learn-topics/index' })}><Text>{t('app-learn-browse')} ›</Text></View>
            {editor ? <View id='learn-new' className='learn-link' onClick={() => void Taro.navigateTo({ url: '/pages/learn-edit/index' })}><Text>{t('app-learn-new')} ›</Text></View> : null}
            {user && hasRole(user, 'trainer') ? <View id='learn-gaps' className='learn-link' onClick={() => void Taro.navigateTo({ url: '/pages/learn-gaps/index' })}><Text>{t('app-learn-gaps')} ›</Text></View> : null}
          </View>
        </View>
      )}
    </View>
  )
}
