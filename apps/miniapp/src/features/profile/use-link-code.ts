import { useCallback, useState } from 'react'
import { formatCst } from '@xieshui/core'
import { translate } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { createLinkCode, type LinkCode } from '../auth/api'

/** Asks the API for a one-time code that links this user to their Telegram account via `/link CODE`. */
export function useLinkCode() {
  const [linkCode, setLinkCode] = useState<LinkCode | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  const request = useCallback(async () => {
    setLoading(true)
    setError(null)
    try {
      setLinkCode(await createLinkCode())
    } catch (err) {
      setError(isApiError(err) ? err.message : translate('error-internal'))
    } finally {
      setLoading(false)
    }
  }, [])

  return { linkCode, error, loading, request }
}

/**
 * "14:05" of an ISO timestamp in China Standard Time, for "valid until": the product's times are CST
 * whatever zone the phone is set to (DESIGN.md), and the message says so.
 */
export function formatTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return formatCst(d).slice(11)
}
