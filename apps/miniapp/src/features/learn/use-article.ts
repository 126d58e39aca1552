import { useEffect, useState } from 'react'
import type { KnowledgeArticleView } from '@xieshui/core'
import { learnApi, type LearnApi } from './api'

/**
 * Loads an article when `enabled` (null while loading, when missing or offline). Used where an
 * article is optional content, such as the clearance page's explanation (K040).
 */
export function useOptionalArticle(id: string, enabled: boolean, api: Pick<LearnApi, 'article'> = learnApi): KnowledgeArticleView | null {
  const [article, setArticle] = useState<KnowledgeArticleView | null>(null)
  useEffect(() => {
    if (!enabled) return
    let live = true
    api.article(id).then((a) => live && setArticle(a), () => live && setArticle(null))
    return () => {
      live = false
    }
  }, [id, enabled, api])
  return enabled ? article : null
}
