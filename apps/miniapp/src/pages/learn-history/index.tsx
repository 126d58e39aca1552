import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { formatCst, type KnowledgeArticleView } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ArticleBody } from '../../components/article-body'
import { useAsync } from '../../features/report/use-async'
import { learnApi } from '../../features/learn/api'
import '../../features/learn/learn.css'

/** An article's revisions (who, when, how), each viewable and restorable as a new revision. */
export default function HistoryPage() {
  const t = useT()
  const id = useRouter().params.id ?? ''
  const [tick, setTick] = useState(0)
  const history = useAsync(() => learnApi.history(id), [id, tick])
  const [open, setOpen] = useState<KnowledgeArticleView | null>(null)
  const [notice, setNotice] = useState<{ kind: 'info' | 'error'; text: string } | null>(null)
  const revisions = history.value?.revisions ?? []
  const current = revisions[0]?.revision ?? 0

  const view = async (revision: number) => {
    try {
      setOpen(open?.revision === revision ? null : await learnApi.revision(id, revision))
    } catch (e) {
      setNotice({ kind: 'error', text: isApiError(e) ? e.message : t('app-error-network') })
    }
  }
  const restore = async (revision: number) => {
    try {
      const restored = await learnApi.restore(id, revision, current)
      setNotice({ kind: 'info', text: t('app-history-restored', { revision: restored.revision }) })
      setOpen(null)
      setTick((n) => n + 1)
    } catch (e) {
      setNotice({ kind: 'error', text: isApiError(e) ? e.message : t('app-error-network') })
      setTick((n) => n + 1)
    }
  }

  return (
    <View className='page'>
      <PageHeader title={t('app-history-title', { id })} />
      <Notice text={history.error} />
      {notice ? <Notice id='history-notice' kind={notice.kind} text={notice.text} /> : null}
      <View id='history-list'>
        {revisions.map((r) => (
          <View key={r.revision} className='rev' id={`rev-${r.revision}`}>
            <View className='rev__head'>
              <Text className='rev__num'>{t('app-history-rev', { revision: r.revision })}</Text>
              {r.revision === current ? <Text className='rev__current'>{t('app-history-current')}</Text> : null}
            </View>
            <Text className='rev__meta'>{`${t(`knowledge-source-${r.source as 'edit'}`)}${r.restoredFrom ? ` · ${t('app-history-restored-from', { revision: r.restoredFrom })}` : ''} · ${t('app-history-by', { author: r.author ?? t('app-history-system'), time: formatCst(new Date(r.at)) })}`}</Text>
            <Text className='rev__meta'>{r.title}</Text>
            <View className='rev__actions'>
              <View id={`rev-view-${r.revision}`} className='rev__action' onClick={() => void view(r.revision)}><Text>{t('app-history-preview')}</Text></View>
              {r.revision !== current ? <View id={`rev-restore-${r.revision}`} className='rev__action' onClick={() => void restore(r.revision)}><Text>{t('app-history-restore')}</Text></View> : null}
            </View>
            {open?.revision === r.revision ? <View className='editor__preview' id={`rev-text-${r.revision}`}><ArticleBody markdown={open.body} /></View> : null}
          </View>
        ))}
      </View>
    </View>
  )
}
