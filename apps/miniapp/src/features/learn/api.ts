import type { KnowledgeArticleSummary, KnowledgeArticleView, KnowledgeAudience, KnowledgeRevisionView, KnowledgeSearchResult } from '@xieshui/core'
import { request } from '../../lib/request'

/** The knowledge API the learn pages use. Search, reading and browsing work without sign-in. */
export const learnApi = {
  search: (q: string, audience: KnowledgeAudience | null, limit = 10) =>
    request<{ results: KnowledgeSearchResult[] }>(`/api/v1/knowledge/search?q=${encodeURIComponent(q)}&limit=${limit}${audience ? `&audience=${audience}` : ''}`),
  article: (id: string) => request<KnowledgeArticleView>(`/api/v1/knowledge/articles/${encodeURIComponent(id)}`),
  list: (audience: KnowledgeAudience | null) => request<{ articles: KnowledgeArticleSummary[] }>(`/api/v1/knowledge/articles${audience ? `?audience=${audience}` : ''}`),
  create: (body: Record<string, unknown>) => request<KnowledgeArticleView>('/api/v1/knowledge/articles', { method: 'POST', data: body }),
  save: (id: string, body: Record<string, unknown>) => request<KnowledgeArticleView>(`/api/v1/knowledge/articles/${encodeURIComponent(id)}`, { method: 'PUT', data: body }),
  history: (id: string) => request<{ revisions: KnowledgeRevisionView[] }>(`/api/v1/knowledge/articles/${encodeURIComponent(id)}/revisions`),
  revision: (id: string, revision: number) => request<KnowledgeArticleView>(`/api/v1/knowledge/articles/${encodeURIComponent(id)}/revisions/${revision}`),
  restore: (id: string, revision: number, baseRevision: number) =>
    request<KnowledgeArticleView>(`/api/v1/knowledge/articles/${encodeURIComponent(id)}/restore`, { method: 'POST', data: { revision, baseRevision } }),
  zeroResults: () => request<{ queries: { query: string; count: number; lastAt: string }[] }>('/api/v1/knowledge/zero-results'),
  synonyms: () => request<{ groups: { id: string | null; terms: string[]; builtIn: boolean }[] }>('/api/v1/knowledge/synonyms'),
  addSynonym: (terms: string[]) => request<{ id: string }>('/api/v1/knowledge/synonyms', { method: 'POST', data: { terms } }),
  removeSynonym: (id: string) => request<void>(`/api/v1/knowledge/synonyms/${encodeURIComponent(id)}`, { method: 'DELETE' }),
}
export type LearnApi = typeof learnApi
