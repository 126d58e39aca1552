import { useCallback, useState } from 'react'
import { ClearanceCheckSchema, parseInput, type ClearanceCheckResult, type ClearanceKind, type FieldErrors } from '@xieshui/core'
import { getLocale, translate } from '../../lib/i18n'
import { isApiError, request } from '../../lib/request'
import { pressPlateKey } from './plate-keyboard'

/** How the checker identifies what to check. */
export type CheckMode = 'plate' | 'vin' | 'contract'

const KIND: Record<CheckMode, ClearanceKind> = { plate: 'vehicle_vessel', vin: 'vehicle_vessel', contract: 'property_transfer' }

export function checkClearance(input: { kind: ClearanceKind; key: string }): Promise<ClearanceCheckResult> {
  return request<ClearanceCheckResult>('/api/v1/clearances/check', { method: 'POST', data: { ...input } })
}

/**
 * State of the check page: a plate built on the plate keyboard (province + characters), or a typed
 * VIN or contract number. Validates with the API's own ClearanceCheckSchema before sending. The
 * plate keyboard folds away once a check has a result (so the result has the screen) and opens
 * again for the next plate; starting a check clears the previous result at once.
 */
export function useCheck() {
  const [mode, setModeState] = useState<CheckMode>('plate')
  const [province, setProvince] = useState('豫')
  const [plateRest, setPlateRest] = useState('')
  const [text, setText] = useState('')
  const [fields, setFields] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<ClearanceCheckResult | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [keyboardOpen, setKeyboardOpen] = useState(true)

  const reset = useCallback(() => {
    setFields({})
    setError(null)
    setResult(null)
  }, [])
  const setMode = useCallback((next: CheckMode) => {
    setModeState(next)
    setText('')
    reset()
  }, [reset])
  const press = useCallback((key: string) => {
    setPlateRest((r) => pressPlateKey(r, key))
    reset()
  }, [reset])
  const backspace = useCallback(() => setPlateRest((r) => r.slice(0, -1)), [])
  const clear = useCallback(() => {
    setPlateRest('')
    setText('')
    reset()
  }, [reset])
  /** The plate display tapped: type again (the result no longer matches what is being typed). */
  const editPlate = useCallback(() => {
    setKeyboardOpen(true)
    reset()
  }, [reset])
  /** 核验下一辆: a new, empty check with the keyboard open. */
  const next = useCallback(() => {
    setPlateRest('')
    setText('')
    setKeyboardOpen(true)
    reset()
  }, [reset])

  const key = mode === 'plate' ? (plateRest ? `${province}${plateRest}` : '') : text

  const submit = useCallback(async () => {
    if (submitting) return
    const input = { kind: KIND[mode], key }
    const parsed = parseInput(ClearanceCheckSchema, input, getLocale())
    if (!parsed.ok) {
      setFields(parsed.fields)
      return
    }
    setFields({})
    setError(null)
    setResult(null)
    setSubmitting(true)
    try {
      setResult(await checkClearance(input))
      setKeyboardOpen(false)
    } catch (err) {
      if (isApiError(err)) {
        setFields(err.fields)
        setError(err.message)
      } else {
        setError(translate('error-internal'))
      }
    } finally {
      setSubmitting(false)
    }
  }, [mode, key, submitting])

  return { mode, setMode, province, setProvince, plateRest, press, backspace, clear, editPlate, next, keyboardOpen, text, setText, key, fields, error, result, submitting, submit }
}
