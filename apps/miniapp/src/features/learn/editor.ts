import { useCallback, useState } from 'react'
import { KnowledgeArticleCreateSchema, KnowledgeArticleSaveSchema, parseInput, type FieldErrors, type KnowledgeArticleView, type KnowledgeAudience } from '@xieshui/core'
import { getLocale, translate } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { learnApi, type LearnApi } from './api'

/** What the editor form holds. Tags are typed as one line, separated by commas (or 、 ， ;). */
export interface ArticleDraft {
  title: string
  tags: string
  audience: KnowledgeAudience[]
  law: string
  body: string
}

export const emptyDraft = (): ArticleDraft => ({ title: '', tags: '', audience: ['all'], law: '', body: '' })

export function draftOf(article: KnowledgeArticleView): ArticleDraft {
  return { title: article.title, tags: article.tags.join('，'), audience: [...article.audience], law: article.law, body: article.body }
}

/** Splits the tag line on commas, 、，; and line breaks. */
export function splitTags(line: string): string[] {
  return line.split(/[,，、;；\n]/).map((t) => t.trim()).filter(Boolean)
}

/**
 * The editor's state: the draft, field errors from the shared schema (before sending) and from
 * the API, and the conflict case: when someone saved since this edit began, the draft stays as
 * typed, `conflict` holds their version, and the user either loads it or saves over it knowingly.
 */
export function useArticleEditor(initial: KnowledgeArticleView | null, api: Pick<LearnApi, 'create' | 'save' | 'article'> = learnApi) {
  const [draft, setDraft] = useState<ArticleDraft>(() => (initial ? draftOf(initial) : emptyDraft()))
  const [base, setBase] = useState<KnowledgeArticleView | null>(initial)
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [conflict, setConflict] = useState<KnowledgeArticleView | null>(null)
  const [saved, setSaved] = useState<KnowledgeArticleView | null>(null)
  const [saving, setSaving] = useState(false)

  const set = useCallback(<K extends keyof ArticleDraft>(key: K, value: ArticleDraft[K]) => setDraft((d) => ({ ...d, [key]: value })), [])
  const toggleAudience = useCallback((a: KnowledgeAudience) => setDraft((d) => ({ ...d, audience: d.audience.includes(a) ? d.audience.filter((x) => x !== a) : [...d.audience, a] })), [])

  const save = useCallback(async (overBase?: KnowledgeArticleView) => {
    if (saving) return
    const target = overBase ?? base
    const payload = { title: draft.title, tags: splitTags(draft.tags), audience: draft.audience, law: draft.law, body: draft.body, ...(target ? { baseRevision: target.revision } : {}) }
    const parsed = target ? parseInput(KnowledgeArticleSaveSchema, payload, getLocale()) : parseInput(KnowledgeArticleCreateSchema, payload, getLocale())
    if (!parsed.ok) {
      setFields(parsed.fields)
      return
    }
    setFields({})
    setError(null)
    setSaving(true)
    try {
      const result = target ? await api.save(target.id, payload) : await api.create(payload)
      setSaved(result)
      setBase(result)
      setConflict(null)
    } catch (e) {
      if (isApiError(e) && e.code === 'conflict' && target) {
        setError(e.message)
        setConflict(await api.article(target.id).catch(() => null))
      } else if (isApiError(e)) {
        setFields(e.fields)
        setError(e.message)
      } else setError(translate('app-error-network'))
    } finally {
      setSaving(false)
    }
  }, [api, base, draft, saving])

  /** Drops this draft for the version someone else saved. */
  const loadTheirs = useCallback(() => {
    if (!conflict) return
    setDraft(draftOf(conflict))
    setBase(conflict)
    setConflict(null)
    setError(null)
  }, [conflict])

  /** Saves this draft on top of the version someone else saved (after comparing). */
  const overwrite = useCallback(() => (conflict ? save(conflict) : Promise.resolve()), [conflict, save])

  return { draft, set, toggleAudience, fields, error, conflict, saved, saving, save: () => save(), loadTheirs, overwrite }
}
