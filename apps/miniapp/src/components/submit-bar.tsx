import { useEffect, useRef, type ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { FieldErrors } from '@xieshui/core'
import { useT } from '../lib/i18n'
import { scrollToId } from '../lib/scroll'
import { ActionButton } from './action-button'

export interface SubmitBarProps {
  id: string
  busy?: boolean
  disabled?: boolean
  onSubmit: () => void | Promise<unknown>
  children: ReactNode
  /** The form's field messages (what is shown under each field). */
  fields: FieldErrors
  /** A problem that belongs to no field: the server's refusal, a network failure. */
  message?: string | null
  /** The form's field names in display order; the first with a message is scrolled to. */
  order: readonly string[]
  /** The id of a field's block on the page (default `f-<name>-field`, as ReportField renders it). */
  anchor?: (name: string) => string
  kind?: 'primary' | 'secondary' | 'danger'
}

const defaultAnchor = (name: string) => `f-${name}-field`

/**
 * The one submit button of every form, with its feedback where the eye is: after a submit that
 * failed (client validation, a server rejection, no network) the page scrolls to the first problem,
 * and right under the button it says how many fields need attention ("3 处需要修改") — a tap goes
 * there — and any problem that belongs to no field.
 */
export function SubmitBar({ id, busy, disabled, onSubmit, children, fields, message, order, anchor = defaultAnchor, kind = 'primary' }: SubmitBarProps) {
  const t = useT()
  const asked = useRef(false)
  const names = [...order.filter((n) => fields[n]), ...Object.keys(fields).filter((n) => !order.includes(n) && fields[n])]
  const count = names.length
  const first = names[0]

  const goToFirst = () => {
    if (first) scrollToId(anchor(first))
    else if (message) scrollToId(`${id}-feedback`)
  }

  // After the submit this bar started has settled: bring the first problem into view.
  useEffect(() => {
    if (!asked.current || busy) return
    asked.current = false
    if (count > 0 || message) goToFirst()
  }, [fields, message, busy])

  return (
    <View className='submitbar'>
      <ActionButton
        id={id}
        kind={kind}
        {...(busy || disabled ? { disabled: true } : {})}
        onClick={() => {
          asked.current = true
          void onSubmit()
        }}
      >
        {children}
      </ActionButton>
      {count > 0 || message ? (
        <View id={`${id}-feedback`} className='submitbar__feedback' onClick={goToFirst}>
          {count > 0 ? <Text className='submitbar__count'>{t(count === 1 ? 'fs-fix-count-one' : 'fs-fix-count', { count })}</Text> : null}
          {message ? <Text className='submitbar__message'>{message}</Text> : null}
        </View>
      ) : null}
    </View>
  )
}
