import { useCallback, useRef, useState } from 'react'
import { cstDate, parseInput, recordMeetingSchemaFor, type FieldErrors } from '@xieshui/core'
import { getLocale } from '../../lib/i18n'
import { formProblems } from '../../lib/request'
import { meetingsApi, type MeetingView } from './api'

export interface TaskRowValues {
  key: number
  unit: string
  title: string
  dueOn: string
}

export interface MeetingFormValues {
  heldOn: string
  title: string
  decisions: string
  /** attending unit codes, in the order picked */
  attendees: string[]
  tasks: TaskRowValues[]
}

let rowSeq = 0
const newRow = (): TaskRowValues => ({ key: ++rowSeq, unit: '', title: '', dueOn: '' })
const newClientId = () => `mtg-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`

export const emptyMeeting = (today: string): MeetingFormValues => ({ heldOn: today, title: '', decisions: '', attendees: [], tasks: [newRow()] })

/** What the form sends: task rows left entirely blank are dropped, so an unused row is not an error. */
export function meetingInput(v: MeetingFormValues, clientId: string): Record<string, unknown> {
  return {
    clientId,
    heldOn: v.heldOn.trim(),
    title: v.title,
    decisions: v.decisions,
    attendees: v.attendees.map((unit) => ({ unit })),
    tasks: v.tasks.filter((r) => r.unit || r.title.trim() || r.dueOn.trim()).map((r) => ({ unit: r.unit, title: r.title, dueOn: r.dueOn.trim() })),
  }
}

/**
 * Maps schema paths to the form: `tasks.<i>.<field>` names the i-th non-blank row, shown under that
 * row's field (by its key); `attendees.<i>.unit` and `attendees` under the attendee picker.
 */
export function formFields(fields: FieldErrors, v: MeetingFormValues): FieldErrors {
  const used = v.tasks.filter((r) => r.unit || r.title.trim() || r.dueOn.trim())
  const out: FieldErrors = {}
  for (const [path, message] of Object.entries(fields)) {
    const [head, index, name] = path.split('.')
    if (head === 'tasks' && index !== undefined && name) {
      const row = used[Number(index)]
      if (row) out[`task-${row.key}-${name === 'dueOn' ? 'due' : name}`] ??= message
    } else if (head === 'attendees') out.attendees ??= message
    else if (head === 'heldOn' || head === 'title' || head === 'decisions') out[head] ??= message
  }
  return out
}

/**
 * The coordinator's "记录会议" form: validated with the same schema as the API (the future-date rule
 * with today's CST date); one clientId per form, so a retried save records the meeting once.
 */
export function useMeetingForm(onSaved: (m: MeetingView) => void, deps = { record: meetingsApi.record, now: () => new Date() }) {
  const today = cstDate(deps.now())
  const [values, setValues] = useState<MeetingFormValues>(() => emptyMeeting(today))
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const clientId = useRef(newClientId())
  const inFlight = useRef(false)

  const set = useCallback((patch: Partial<MeetingFormValues>) => {
    setValues((v) => ({ ...v, ...patch }))
    setFields((f) => {
      const next = { ...f }
      for (const k of Object.keys(patch)) delete next[k]
      return next
    })
  }, [])
  const setRow = useCallback((key: number, patch: Partial<TaskRowValues>) => {
    setValues((v) => ({ ...v, tasks: v.tasks.map((r) => (r.key === key ? { ...r, ...patch } : r)) }))
    setFields((f) => {
      const next = { ...f }
      for (const k of Object.keys(patch)) delete next[`task-${key}-${k === 'dueOn' ? 'due' : k}`]
      return next
    })
  }, [])
  const addRow = useCallback(() => setValues((v) => ({ ...v, tasks: [...v.tasks, newRow()] })), [])
  const removeRow = useCallback((key: number) => setValues((v) => ({ ...v, tasks: v.tasks.filter((r) => r.key !== key) })), [])
  const toggleAttendee = useCallback((code: string) => set({ attendees: values.attendees.includes(code) ? values.attendees.filter((c) => c !== code) : [...values.attendees, code] }), [set, values.attendees])

  const submit = useCallback(async (): Promise<boolean> => {
    if (inFlight.current) return false
    setError(null)
    const input = meetingInput(values, clientId.current)
    const parsed = parseInput(recordMeetingSchemaFor(cstDate(deps.now())), input, getLocale())
    if (!parsed.ok) {
      setFields(formFields(parsed.fields, values))
      return false
    }
    inFlight.current = true
    setBusy(true)
    setFields({})
    try {
      const meeting = await deps.record(input)
      clientId.current = newClientId()
      setValues(emptyMeeting(cstDate(deps.now())))
      onSaved(meeting)
      return true
    } catch (e) {
      const problems = formProblems(e, (p) => (p.startsWith('tasks.') || p.startsWith('attendees') || ['heldOn', 'title', 'decisions'].includes(p) ? p : null))
      setFields(formFields(problems.fields, values))
      setError(problems.message)
      return false
    } finally {
      inFlight.current = false
      setBusy(false)
    }
  }, [deps, onSaved, values])

  return { values, set, setRow, addRow, removeRow, toggleAttendee, fields, error, busy, submit }
}
