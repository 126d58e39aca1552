import { useCallback, useRef, useState } from 'react'
import { CompleteTaskSchema, parseInput } from '@xieshui/core'
import { getLocale } from '../../lib/i18n'
import { formProblems } from '../../lib/request'
import { meetingsApi, type TaskView } from './api'

/**
 * "标记完成" on one task: the note is checked with the same CompleteTaskSchema as the API, its
 * message under the field; on success `onDone` gets the task as the server now has it.
 */
export function useCompleteTask(onDone: (task: TaskView) => void, deps = { completeTask: meetingsApi.completeTask }) {
  const [openId, setOpenId] = useState<string | null>(null)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const inFlight = useRef(false)

  const open = useCallback((id: string | null) => {
    setOpenId(id)
    setNote('')
    setError(null)
    setMessage(null)
  }, [])

  const submit = useCallback(async () => {
    if (!openId || inFlight.current) return
    const parsed = parseInput(CompleteTaskSchema, { note }, getLocale())
    if (!parsed.ok) {
      setError(parsed.fields.note ?? null)
      return
    }
    inFlight.current = true
    setBusy(true)
    try {
      const task = await deps.completeTask(openId, parsed.data.note)
      setOpenId(null)
      setNote('')
      setError(null)
      onDone(task)
    } catch (e) {
      const problems = formProblems(e, (p) => (p === 'note' ? 'note' : null))
      setError(problems.fields.note ?? null)
      setMessage(problems.message)
    } finally {
      inFlight.current = false
      setBusy(false)
    }
  }, [deps, note, onDone, openId])

  const change = useCallback((value: string) => {
    setNote(value)
    setError(null)
  }, [])

  return { openId, open, note, setNote: change, error, message, busy, submit }
}
