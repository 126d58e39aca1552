import { useCallback, useRef, useState } from 'react'
import type { EventReportType, FieldErrors, FieldSpec } from '@xieshui/core'
import { getLocale, translate } from '../../lib/i18n'
import { formProblems } from '../../lib/request'
import { readStorage, removeStorage, writeStorage } from '../../lib/storage'
import { newClientId } from '../report/drafts'
import { formFieldOf, validateForm, type FormValues } from '../report/form-model'
import { resubmitReport, type ReportDetail } from './api'

/** Stored report data as the form holds it: text, years "2025,2026", date-times "2026-12-05 19:30". */
export function valuesOf(fields: readonly FieldSpec[], data: Record<string, unknown>): FormValues {
  const out: FormValues = {}
  for (const f of fields) {
    const v = data[f.name]
    if (v === undefined || v === null) out[f.name] = ''
    else if (Array.isArray(v)) out[f.name] = v.join(',')
    else if (f.kind === 'datetime' && typeof v === 'string') out[f.name] = v.slice(0, 16).replace('T', ' ')
    else out[f.name] = String(v)
  }
  return out
}

/** A correction in progress, kept on the device per report and version (its clientId makes retries safe). */
interface FixDraft {
  v: 1
  version: number
  clientId: string
  values: FormValues
}
const key = (id: string) => `xieshui.report-fix.${id}`

function loadFix(report: ReportDetail): FixDraft | null {
  const d = readStorage<FixDraft>(key(report.id))
  return d && d.v === 1 && d.version === report.version && typeof d.clientId === 'string' && d.values && typeof d.values === 'object' ? d : null
}

/**
 * Correcting a returned report on its detail page: the old answers as the starting values, the
 * reviewer's reason under each field they named, the same validation as a first filing, and one
 * resubmission under a clientId kept with the correction (a retry or a double tap files it once).
 */
export function useFix(report: ReportDetail, type: EventReportType, onDone: (version: number) => void, deps = { resubmitReport }) {
  const [draft, setDraft] = useState<FixDraft | null>(() => loadFix(report))
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const inFlight = useRef(false)
  const original = valuesOf(type.fields, report.data)

  const start = useCallback(() => {
    const d: FixDraft = loadFix(report) ?? { v: 1, version: report.version, clientId: newClientId(), values: valuesOf(type.fields, report.data) }
    writeStorage(key(report.id), d)
    setDraft(d)
  }, [report, type])

  const cancel = useCallback(() => {
    removeStorage(key(report.id))
    setDraft(null)
    setFields({})
    setError(null)
  }, [report.id])

  const setValue = useCallback(
    (name: string, value: string) => {
      setDraft((d) => {
        if (!d) return d
        const next = { ...d, values: { ...d.values, [name]: value } }
        writeStorage(key(report.id), next)
        return next
      })
      setFields((f) => {
        if (!(name in f)) return f
        const { [name]: _gone, ...rest } = f
        return rest
      })
    },
    [report.id],
  )

  const submit = useCallback(async () => {
    if (!draft || inFlight.current) return
    if (type.fields.every((f) => (draft.values[f.name] ?? '') === (original[f.name] ?? ''))) {
      setError(translate('app-fix-nothing-changed'))
      return
    }
    const checked = validateForm(type, draft.values, getLocale())
    if (!checked.ok) {
      // The submit bar under the button counts them and scrolls to the first.
      setFields(checked.fields)
      setError(null)
      return
    }
    inFlight.current = true
    setBusy(true)
    setError(null)
    setFields({})
    try {
      const r = await deps.resubmitReport(report.id, { clientId: draft.clientId, data: checked.data })
      removeStorage(key(report.id))
      setDraft(null)
      onDone(r.version)
    } catch (e) {
      const problems = formProblems(e, formFieldOf, translate('fs-network-draft'))
      setFields(problems.fields)
      setError(problems.message)
    } finally {
      inFlight.current = false
      setBusy(false)
    }
  }, [deps, draft, onDone, original, report.id, type])

  return { editing: draft !== null, values: draft?.values ?? original, fields, error, busy, start, cancel, setValue, submit }
}
