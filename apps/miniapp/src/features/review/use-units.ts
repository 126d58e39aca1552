import { useMemo } from 'react'
import type { PickOption } from '../../components/search-picker'
import { listUnits, type UnitOption } from '../admin/api'
import { useAsync } from '../report/use-async'

/** The district's active units as picker options (by name; the code is only the value), and by code. */
export function useUnitOptions(filter: (u: UnitOption) => boolean = () => true) {
  const units = useAsync(listUnits, [])
  const options = useMemo<PickOption[]>(() => (units.value ?? []).filter(filter).map((u) => ({ value: u.code, label: u.name })), [units.value, filter])
  const nameOf = useMemo(() => new Map((units.value ?? []).map((u) => [u.code, u.name])), [units.value])
  return { options, nameOf, error: units.error, units: units.value ?? [] }
}
