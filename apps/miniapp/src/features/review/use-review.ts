import { useCallback, useRef, useState } from 'react'
import { parseInput, ReviewReportSchema, type FieldErrors } from '@xieshui/core'
import { getLocale } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import type { ReportView } from '../report/api'
import { reviewReport } from './api'

/**
 * A tax officer's decision on one report: accept, or return with a reason (checked with the shared
 * ReviewReportSchema before anything is sent). One decision at a time.
 */
export function useReview(reportId: string, deps = { reviewReport }) {
  const [comment, setComment] = useState('')
  const [returnFields, setReturnFields] = useState<string[]>([])
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<ReportView | null>(null)
  const inFlight = useRef(false)

  const decide = useCallback(
    async (decision: 'accept' | 'return') => {
      if (inFlight.current) return
      const named = decision === 'return' ? returnFields : []
      const parsed = parseInput(ReviewReportSchema, { decision, ...(comment.trim() ? { comment } : {}), ...(named.length ? { fields: named } : {}) }, getLocale())
      if (!parsed.ok) {
        setFields(parsed.fields)
        return
      }
      inFlight.current = true
      setBusy(true)
      setFields({})
      setError(null)
      try {
        setDone(await deps.reviewReport(reportId, decision, parsed.data.comment ?? '', parsed.data.fields ?? []))
      } catch (e) {
        if (isApiError(e)) {
          setFields(e.fields)
          setError(e.message)
        } else setError(String(e))
      } finally {
        inFlight.current = false
        setBusy(false)
      }
    },
    [comment, deps, reportId, returnFields],
  )

  return {
    comment,
    setComment: (v: string) => {
      setComment(v)
      setFields({})
    },
    fields,
    /** The fields the reviewer names when returning (optional). */
    returnFields,
    toggleReturnField: (name: string) => setReturnFields((f) => (f.includes(name) ? f.filter((x) => x !== name) : [...f, name])),
    error,
    busy,
    done,
    accept: () => decide('accept'),
    returnReport: () => decide('return'),
  }
}
