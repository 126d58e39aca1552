import { useState } from 'react'
import { FileTipSchema, parseInput, type FieldErrors, type TipCategory } from '@xieshui/core'
import { getLocale } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { fileTip, rememberReceipt } from './api'

export interface TipFormValues {
  category: TipCategory | ''
  subject: string
  location: string
  when: string
  description: string
  realName: boolean
  contact: string
}

const EMPTY: TipFormValues = { category: '', subject: '', location: '', when: '', description: '', realName: false, contact: '' }

/** The body the API takes: empty optional fields left out, contact only for a real-name tip. */
export function tipBody(v: TipFormValues): Record<string, unknown> {
  return {
    ...(v.category ? { category: v.category } : {}),
    description: v.description,
    ...(v.subject.trim() ? { subject: v.subject } : {}),
    ...(v.location.trim() ? { location: v.location } : {}),
    ...(v.when.trim() ? { when: v.when } : {}),
    ...(v.realName ? { realName: true, contact: v.contact } : {}),
  }
}

/** The tip form: validated with the same FileTipSchema as the API and the bot, errors next to fields. */
export function useTipForm(onFiled: (receipt: string) => void) {
  const [values, setValues] = useState<TipFormValues>(EMPTY)
  const [fields, setFields] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)

  const set = (patch: Partial<TipFormValues>) => {
    setValues((v) => ({ ...v, ...patch }))
    setFields((f) => {
      const next = { ...f }
      for (const k of Object.keys(patch)) delete next[k]
      return next
    })
  }

  async function submit() {
    if (submitting) return
    setFormError(null)
    const body = tipBody(values)
    const parsed = parseInput(FileTipSchema, body, getLocale())
    if (!parsed.ok) {
      setFields(parsed.fields)
      return
    }
    setSubmitting(true)
    try {
      const { receipt } = await fileTip(body)
      rememberReceipt(receipt)
      setValues(EMPTY)
      onFiled(receipt)
    } catch (e) {
      if (isApiError(e)) {
        setFields(e.fields)
        setFormError(e.message)
      } else throw e
    } finally {
      setSubmitting(false)
    }
  }

  return { values, fields, formError, submitting, set, submit }
}
