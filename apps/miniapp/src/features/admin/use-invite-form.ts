import { useCallback, useRef, useState } from 'react'
import { CreateInviteSchema, parseInput, type FieldErrors, type Role } from '@xieshui/core'
import { getLocale } from '../../lib/i18n'
import { formProblems } from '../../lib/request'
import { createInvite, type IssuedInvite } from './api'

export interface InviteFormValues {
  unit: string
  roles: Role[]
  name: string
  days: string
}

const EMPTY: InviteFormValues = { unit: '', roles: [], name: '', days: '14' }

/**
 * What the form sends, before validation: blank optional fields are left out so the shared schema
 * says "required" for a missing unit and applies its own default for the days.
 */
export function inviteInput(values: InviteFormValues): Record<string, unknown> {
  const days = values.days.trim()
  return {
    ...(values.unit ? { unit: values.unit } : {}),
    roles: values.roles,
    ...(values.name.trim() ? { name: values.name.trim() } : {}),
    ...(days ? { expiresInDays: /^\d+$/.test(days) ? Number(days) : days } : {}),
  }
}

/** Maps schema paths to the form's fields (`expiresInDays` is typed into "days"). */
function formFields(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {}
  for (const [path, message] of Object.entries(fields)) {
    const key = path === 'expiresInDays' ? 'days' : path.split('.')[0]!
    out[key] ??= message
  }
  return out
}

/**
 * The admin's "new invite" form: checked with the same CreateInviteSchema as the API, messages next
 * to each field; on success the issued code is kept until the admin creates another.
 */
export function useInviteForm(deps = { createInvite }) {
  const [values, setValues] = useState<InviteFormValues>(EMPTY)
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [issued, setIssued] = useState<IssuedInvite | null>(null)
  const inFlight = useRef(false)

  const set = useCallback((patch: Partial<InviteFormValues>) => {
    setValues((v) => ({ ...v, ...patch }))
    setFields((f) => {
      const next = { ...f }
      for (const k of Object.keys(patch)) delete next[k]
      return next
    })
  }, [])

  const toggleRole = useCallback(
    (role: Role) => set({ roles: values.roles.includes(role) ? values.roles.filter((r) => r !== role) : [...values.roles, role] }),
    [set, values.roles],
  )

  const submit = useCallback(async (): Promise<IssuedInvite | null> => {
    if (inFlight.current) return null
    setError(null)
    const parsed = parseInput(CreateInviteSchema, inviteInput(values), getLocale())
    if (!parsed.ok) {
      setFields(formFields(parsed.fields))
      return null
    }
    inFlight.current = true
    setBusy(true)
    setFields({})
    try {
      const result = await deps.createInvite(parsed.data)
      setIssued(result)
      setValues((v) => ({ ...v, name: '' }))
      return result
    } catch (e) {
      const problems = formProblems(e, (path) => (path === 'expiresInDays' ? 'days' : ['unit', 'roles', 'name'].includes(path.split('.')[0]!) ? path.split('.')[0]! : null))
      setFields(problems.fields)
      setError(problems.message)
      return null
    } finally {
      inFlight.current = false
      setBusy(false)
    }
  }, [deps, values])

  return { values, set, toggleRole, fields, error, busy, issued, setIssued, submit }
}
