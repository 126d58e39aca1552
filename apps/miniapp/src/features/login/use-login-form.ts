import { useCallback, useState } from 'react'
import { LinkRedeemSchema, parseInput, RedeemSchema, type FieldErrors } from '@xieshui/core'
import { getLocale } from '../../lib/i18n'
import { formProblems } from '../../lib/request'
import { setSession } from '../../lib/session'
import { wechatLoginCode } from '../../lib/wechat'
import { redeemInvite, redeemLinkCode, type AuthResult } from '../auth/api'

/** Invite code from an admin, or a one-time link code from the bot. */
export type LoginMode = 'invite' | 'link'

export interface LoginValues {
  code: string
  name: string
}

/**
 * State and submit logic of the login page. Validates with the same schemas as the API
 * (RedeemSchema / LinkRedeemSchema) and shows server field errors the same way. In WeChat, a fresh
 * `wx.login` code goes along, so the next launch signs in without a code.
 */
export function useLoginForm(onSignedIn: (result: AuthResult) => void, deps: { wechatCode: () => Promise<string | null> } = { wechatCode: () => wechatLoginCode() }) {
  const [mode, setModeState] = useState<LoginMode>('invite')
  const [values, setValues] = useState<LoginValues>({ code: '', name: '' })
  const [fields, setFields] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)

  const setMode = useCallback((next: LoginMode) => {
    setModeState(next)
    setFields({})
    setFormError(null)
  }, [])

  const setValue = useCallback((key: keyof LoginValues, value: string) => {
    setValues((v) => ({ ...v, [key]: value }))
    setFields((f) => {
      if (!(key in f)) return f
      const { [key]: _removed, ...rest } = f
      return rest
    })
  }, [])

  const submit = useCallback(async () => {
    if (submitting) return
    const locale = getLocale()
    setFormError(null)
    // A blank field is "required", not "wrong format": leave it out and let the schema say so.
    const code = values.code.trim() ? values.code : undefined
    const parsed =
      mode === 'invite'
        ? parseInput(RedeemSchema, { code, ...(values.name.trim() ? { name: values.name } : {}) }, locale)
        : parseInput(LinkRedeemSchema, { code }, locale)
    if (!parsed.ok) {
      setFields(parsed.fields)
      return
    }
    setFields({})
    setSubmitting(true)
    try {
      const wechatCode = await deps.wechatCode()
      const extra = wechatCode ? { wechatCode } : {}
      const result = mode === 'invite' ? await redeemInvite({ ...parsed.data, ...extra }) : await redeemLinkCode({ ...(parsed.data as { code: string }), ...extra })
      setSession(result.token, result.user)
      onSignedIn(result)
    } catch (err) {
      // Field messages go under the fields; anything else next to the button (formProblems).
      const problems = formProblems(err)
      setFields(problems.fields)
      setFormError(problems.message)
    } finally {
      setSubmitting(false)
    }
  }, [mode, values, submitting, onSignedIn, deps])

  return { mode, setMode, values, setValue, fields, formError, submitting, submit }
}
