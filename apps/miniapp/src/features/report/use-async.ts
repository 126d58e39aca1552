import { useCallback, useEffect, useState } from 'react'
import { isApiError } from '../../lib/request'
import { translate } from '../../lib/i18n'

/** Loads data for a page: value, error message and a reload; stale answers are ignored. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ value: T | null; error: string | null; loading: boolean }>({ value: null, error: null, loading: true })
  const [tick, setTick] = useState(0)
  const run = useCallback(load, deps)
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true, error: null }))
    run().then(
      (value) => live && setState({ value, error: null, loading: false }),
      (e: unknown) => live && setState({ value: null, error: isApiError(e) ? e.message : translate('app-error-network'), loading: false }),
    )
    return () => {
      live = false
    }
  }, [run, tick])
  return { ...state, reload: () => setTick((n) => n + 1) }
}
