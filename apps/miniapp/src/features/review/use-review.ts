import { useCallback, useRef, useState } from 'react'
import { parseInput, ReviewReportSchema, type FieldErrors } from '@xieshui/core'
import { confirmAction } from '../../lib/confirm'
import { getLocale, translate } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import type { ReportView } from '../report/api'
import { reviewReport } from './api'

/** Asks before a decision: accepting notifies the reporter; returning sends them the reason. */
function confirmDecision(decision: 'accept' | 'return', comment: string): Promise<boolean> {
  return decision === 'accept'
    ? confirmAction({ title: translate('fs-confirm-accept-title'), content: translate('fs-confirm-accept-text'), confirmText: translate('app-review-accept') })
    : confirmAction({ title: translate('fs-confirm-return-title'), content: translate('fs-confirm-return-text', { reason: comment }), confirmText: translate('app-review-return') })
}

/**
 * A tax officer's decision on one report: accept, or return with a reason (checked with the shared
 * ReviewReportSchema before anything is sent), each confirmed first. One decision at a time.
 */
export function useReview(reportId: string, deps = { reviewReport, confirm: confirmDecision }) {
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
      if (!(await deps.confirm(decision, parsed.data.comment ?? ''))) {
        inFlight.current = false
        return
      }
      setBusy(true)
      setFields({})
      setError(null)
      try {
        setDone(await deps.reviewReport(reportId, decision, parsed.data.comment ?? '', parsed.data.fields ?? []))
      } catch (e) {
        if (isApiError(e)) {
          setFields(e.fields)
          setError(e.message)
        } else setError(translate('error-internal'))
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
