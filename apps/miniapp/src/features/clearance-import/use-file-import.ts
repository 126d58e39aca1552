import { useEffect, useState } from 'react'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { scrollToId } from '../../lib/scroll'
import { pickFeedFile, type PickedFile } from '../report/feeds'
import { isImportFile } from './api'

/**
 * The state of a CSV/XLSX import page (clearances, tax targets): the picked file (refused at once
 * when it is no table), one upload at a time, the error in words (each message once) and the result,
 * scrolled into view when it arrives.
 */
export function useFileImport<T>(upload: (file: PickedFile) => Promise<T>, onResult?: (result: T) => void) {
  const t = useT()
  const [file, setFile] = useState<PickedFile | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [summary, setSummary] = useState<T | null>(null)
  useEffect(() => {
    if (summary) scrollToId('import-summary')
  }, [summary])

  const pick = async () => {
    const picked = await pickFeedFile()
    if (!picked) return
    setSummary(null)
    if (!isImportFile(picked.name)) {
      setFile(null)
      setError(t('feed-file-format'))
      return
    }
    setError(null)
    setFile(picked)
  }

  const submit = async () => {
    if (!file || busy) return
    setBusy(true)
    setError(null)
    setSummary(null)
    try {
      const result = await upload(file)
      setSummary(result)
      onResult?.(result)
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...Object.values(e.fields)].filter((m, i, all) => all.indexOf(m) === i).join(' ') : t('error-internal'))
    } finally {
      setBusy(false)
    }
  }
  return { file, busy, error, summary, pick, submit }
}
