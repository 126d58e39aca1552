import { useCallback, useRef, useState } from 'react'
import { CompleteFollowUpSchema, cstDate, INSPECTION_FIELDS, parseInput, RecordInspectionSchema, type FieldErrors } from '@xieshui/core'
import { getLocale, translate } from '../../lib/i18n'
import { formProblems } from '../../lib/request'
import { entrustedApi } from './api'

const INSPECTION_NAMES: readonly string[] = INSPECTION_FIELDS.map((f) => f.name)

/** One submit at a time, with its busy flag. */
function useOnce() {
  const inFlight = useRef(false)
  const [busy, setBusy] = useState(false)
  const run = useCallback(async (work: () => Promise<void>) => {
    if (inFlight.current) return
    inFlight.current = true
    setBusy(true)
    try {
      await work()
    } finally {
      inFlight.current = false
      setBusy(false)
    }
  }, [])
  return { busy, run }
}

/**
 * The inspection form of one collector: checked with the API's own schema before it is sent (every
 * message under its field), then the server's refusals under the same fields. `onSaved` reloads the list.
 */
export function useInspectionForm(unit: string, onSaved: (message: string) => void, api = entrustedApi) {
  const empty = () => ({ inspectedOn: cstDate(new Date()), findings: '', followUp: '', followUpBy: '' })
  const [values, setValues] = useState<Record<string, string>>(empty)
  const [fields, setFields] = useState<FieldErrors>({})
  const [message, setMessage] = useState<string | null>(null)
  const { busy, run } = useOnce()
  const set = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }))
    setFields((f) => ({ ...f, [name]: '' }))
  }
  const submit = () =>
    run(async () => {
      const input = { unit, ...values }
      const parsed = parseInput(RecordInspectionSchema, input, getLocale())
      if (!parsed.ok) {
        setFields(parsed.fields)
        setMessage(null)
        return
      }
      try {
        await api.recordInspection(input)
        setValues(empty())
        setFields({})
        setMessage(null)
        onSaved(translate('entrusted-inspection-saved'))
      } catch (e) {
        const p = formProblems(e, (path) => (INSPECTION_NAMES.includes(path) ? path : null))
        setFields(p.fields)
        setMessage(p.message)
      }
    })
  return { values, fields, message, busy, set, submit, order: INSPECTION_NAMES }
}

/** Marking one follow-up done: the note is required (the same schema as the API). */
export function useFollowUpDone(id: string, onSaved: (message: string) => void, api = entrustedApi) {
  const [note, setNote] = useState('')
  const [fields, setFields] = useState<FieldErrors>({})
  const [message, setMessage] = useState<string | null>(null)
  const { busy, run } = useOnce()
  const submit = () =>
    run(async () => {
      const parsed = parseInput(CompleteFollowUpSchema, { note }, getLocale())
      if (!parsed.ok) {
        setFields(parsed.fields)
        return
      }
      try {
        await api.completeFollowUp(id, parsed.data.note)
        setFields({})
        setMessage(null)
        onSaved(translate('entrusted-done-saved'))
      } catch (e) {
        const p = formProblems(e, (path) => (path === 'note' ? path : null))
        setFields(p.fields)
        setMessage(p.message)
      }
    })
  return { note, setNote: (v: string) => { setNote(v); setFields({}) }, fields, message, busy, submit }
}
