import { useCallback, useEffect, useRef, useState } from 'react'
import type { PickOption } from '../../components/search-picker'
import { searchPeople } from './api'

/**
 * Options of a person picker: asks the API as the user types (a short pause between keys), shows
 * names with their unit; the id is only the option's value.
 */
export function usePeopleOptions(deps = { searchPeople }) {
  const [options, setOptions] = useState<PickOption[]>([])
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latest = useRef('')

  const search = useCallback(
    (q: string) => {
      latest.current = q
      if (timer.current) clearTimeout(timer.current)
      timer.current = setTimeout(() => {
        deps.searchPeople(q).then(
          (people) => {
            if (latest.current === q) setOptions(people.map((p) => ({ value: p.id, label: p.name, detail: p.unit.name })))
          },
          () => setOptions([]),
        )
      }, 250)
    },
    [deps],
  )

  useEffect(() => {
    search('')
    return () => {
      if (timer.current) clearTimeout(timer.current)
    }
  }, [search])

  return { options, search }
}
