import { useCallback, useEffect, useRef, useState } from 'react'
import { KNOWLEDGE_QUERY_MAX, type KnowledgeAudience, type KnowledgeSearchResult } from '@xieshui/core'
import { isApiError } from '../../lib/request'
import { translate } from '../../lib/i18n'
import { learnApi, type LearnApi } from './api'
import { clearRecent, readRecent, rememberSearch } from './recent'

/** Wait this long after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 250

/**
 * The learn page's search: results as the user types (debounced; an answer to an older query is
 * dropped), an audience filter, and recent searches remembered when a result is opened or the
 * search settles with results.
 */
export function useKnowledgeSearch(api: Pick<LearnApi, 'search'> = learnApi, debounceMs = SEARCH_DEBOUNCE_MS) {
  const [query, setQuery] = useState('')
  const [audience, setAudience] = useState<KnowledgeAudience | null>(null)
  const [results, setResults] = useState<KnowledgeSearchResult[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [recent, setRecent] = useState<string[]>(() => readRecent())
  const seq = useRef(0)

  useEffect(() => {
    const q = query.trim().slice(0, KNOWLEDGE_QUERY_MAX)
    const mine = ++seq.current
    if (!q) {
      setResults(null)
      setError(null)
      setLoading(false)
      return
    }
    setLoading(true)
    const timer = setTimeout(() => {
      api.search(q, audience).then(
        (answer) => {
          if (mine !== seq.current) return
          setResults(answer.results)
          setError(null)
          setLoading(false)
        },
        (e: unknown) => {
          if (mine !== seq.current) return
          setResults(null)
          setError(isApiError(e) ? (Object.values(e.fields)[0] ?? e.message) : translate('app-error-network'))
          setLoading(false)
        },
      )
    }, debounceMs)
    return () => clearTimeout(timer)
  }, [query, audience, api, debounceMs])

  const remember = useCallback((q: string = query) => setRecent(rememberSearch(q)), [query])
  const forget = useCallback(() => {
    clearRecent()
    setRecent([])
  }, [])

  return { query, setQuery, audience, setAudience, results, error, loading, recent, remember, forget }
}
