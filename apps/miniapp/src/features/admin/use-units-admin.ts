import { useCallback, useRef, useState } from 'react'
import { belongsToTown, CreateUnitSchema, parseInput, UpdateUnitSchema, type FieldErrors, type UnitType } from '@xieshui/core'
import { confirmAction } from '../../lib/confirm'
import { getLocale, translate } from '../../lib/i18n'
import { formProblems } from '../../lib/request'
import { createUnit, deactivateUnit, listAdminUnits, updateUnit, type AdminUnit } from './api'
import { useAsync } from '../report/use-async'

export interface NewUnitValues {
  name: string
  type: UnitType | ''
  parent: string
}

const EMPTY: NewUnitValues = { name: '', type: '', parent: '' }

/** What the "new unit" form sends: blank fields left out, so the shared schema says what is missing. */
export function newUnitInput(v: NewUnitValues): Record<string, unknown> {
  return {
    ...(v.name.trim() ? { name: v.name } : {}),
    ...(v.type ? { type: v.type } : {}),
    ...(v.parent && v.type && belongsToTown(v.type) ? { parent: v.parent } : {}),
  }
}

const defaultDeps = { listAdminUnits, createUnit, updateUnit, deactivateUnit, confirm: confirmAction }

/**
 * The admin's unit management: the list (deactivated ones marked), a "new unit" form checked with the
 * same CreateUnitSchema as the API, and per unit a rename / move-to-town editor and deactivation
 * (after a confirmation). Problems go next to the fields and the submit button.
 */
export function useUnitsAdmin(deps = defaultDeps) {
  const units = useAsync(deps.listAdminUnits, [])
  const [values, setValues] = useState<NewUnitValues>(EMPTY)
  const [fields, setFields] = useState<FieldErrors>({})
  const [message, setMessage] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [editing, setEditing] = useState<{ code: string; name: string; parent: string } | null>(null)
  const [editFields, setEditFields] = useState<FieldErrors>({})
  const [editMessage, setEditMessage] = useState<string | null>(null)
  const inFlight = useRef(false)

  const set = useCallback((patch: Partial<NewUnitValues>) => {
    setValues((v) => ({ ...v, ...patch }))
    setFields((f) => {
      const next = { ...f }
      for (const k of Object.keys(patch)) delete next[k]
      return next
    })
  }, [])

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

  const create = useCallback(
    () =>
      run(async () => {
        setNotice(null)
        const parsed = parseInput(CreateUnitSchema, newUnitInput(values), getLocale())
        if (!parsed.ok) {
          setFields(parsed.fields)
          setMessage(null)
          return
        }
        try {
          const unit = await deps.createUnit(parsed.data)
          setValues(EMPTY)
          setFields({})
          setMessage(null)
          setNotice(translate('fs-units-added', { name: unit.name }))
          units.reload()
        } catch (e) {
          const p = formProblems(e, (path) => (['name', 'type', 'parent'].includes(path) ? path : null))
          setFields(p.fields)
          setMessage(p.message)
        }
      }),
    [deps, run, units, values],
  )

  const edit = useCallback((unit: AdminUnit | null) => {
    setEditing(unit ? { code: unit.code, name: unit.name, parent: unit.parent ?? '' } : null)
    setEditFields({})
    setEditMessage(null)
  }, [])

  const save = useCallback(
    () =>
      run(async () => {
        if (!editing) return
        const unit = (units.value ?? []).find((u) => u.code === editing.code)
        const input = {
          ...(editing.name.trim() && editing.name !== unit?.name ? { name: editing.name } : {}),
          ...(editing.parent && editing.parent !== (unit?.parent ?? '') ? { parent: editing.parent } : {}),
        }
        if (Object.keys(input).length === 0) return edit(null)
        const parsed = parseInput(UpdateUnitSchema, input, getLocale())
        if (!parsed.ok) {
          setEditFields(parsed.fields)
          return
        }
        try {
          await deps.updateUnit(editing.code, parsed.data)
          edit(null)
          setNotice(translate('fs-units-saved'))
          units.reload()
        } catch (e) {
          const p = formProblems(e, (path) => (path === 'name' ? 'rename' : path === 'parent' ? 'move' : null))
          setEditFields(p.fields)
          setEditMessage(p.message)
        }
      }),
    [deps, edit, editing, run, units],
  )

  const deactivate = useCallback(
    async (unit: AdminUnit) => {
      const ok = await deps.confirm({ title: translate('fs-units-deactivate-title'), content: translate('fs-units-deactivate-text', { name: unit.name }), confirmText: translate('fs-units-deactivate') })
      if (!ok) return
      await run(async () => {
        try {
          await deps.deactivateUnit(unit.code)
          edit(null)
          setNotice(translate('fs-units-deactivated', { name: unit.name }))
          units.reload()
        } catch (e) {
          setEditMessage(formProblems(e, () => null).message)
        }
      })
    },
    [deps, edit, run, units],
  )

  return {
    units: units.value ?? [],
    loadError: units.error,
    values,
    set,
    fields,
    message,
    notice,
    busy,
    create,
    editing,
    setEditing,
    editFields,
    editMessage,
    edit,
    save,
    deactivate,
  }
}
