import { KNOWLEDGE_AUDIENCES, type KnowledgeArticleSummary, type KnowledgeAudience } from '@xieshui/core'

/** Each job's articles: those written for it; articles for everyone are listed under 全体协税人员. */
export function groupByAudience(articles: readonly KnowledgeArticleSummary[]): { audience: KnowledgeAudience; articles: KnowledgeArticleSummary[] }[] {
  return KNOWLEDGE_AUDIENCES.map((audience) => ({ audience, articles: articles.filter((a) => a.audience.includes(audience)) })).filter((g) => g.articles.length > 0)
}

