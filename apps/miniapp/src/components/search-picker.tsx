import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { useT } from '../lib/i18n'

export interface PickOption {
  value: string
  label: string
  /** a second line: the unit of a person, the town of a village */
  detail?: string
}

export interface SearchPickerProps {
  id: string
  label: string
  /** The chosen option's label, shown on the closed picker; null shows `placeholder`. */
  chosen: string | null
  placeholder: string
  options: readonly PickOption[]
  onPick: (option: PickOption | null) => void
  /** When set, typing asks for options (people); otherwise `options` is filtered by name here. */
  onSearch?: (query: string) => void
  /** Offers "不限" to clear the choice (filters). */
  allowNone?: boolean
  error?: string | undefined
}

/**
 * Picks a unit or a person by name, with search: never by code or id (those stay inside). Closed,
 * it shows the choice; open, a search box and the matching names. `#<id>-pick`, `#<id>-search`,
 * `#<id>-options`; the block is `#<id>-field` for the form feedback.
 */
export function SearchPicker({ id, label, chosen, placeholder, options, onPick, onSearch, allowNone, error }: SearchPickerProps) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const q = query.trim()
  const shown = onSearch || !q ? options : options.filter((o) => o.label.includes(q) || (o.detail ?? '').includes(q))
  const pick = (o: PickOption | null) => {
    onPick(o)
    setOpen(false)
    setQuery('')
  }
  return (
    <View className={`field picker${error ? ' field--error' : ''}`} id={`${id}-field`}>
      <Text className='field__label'>{label}</Text>
      <View className={`picker__value${chosen ? '' : ' picker__value--empty'}`} id={`${id}-pick`} onClick={() => setOpen(!open)}>
        <Text>{chosen ?? placeholder}</Text>
        <Text className='picker__arrow'>{open ? '▴' : '▾'}</Text>
      </View>
      {open ? (
        <View className='picker__panel'>
          <View className='field__input'>
            <Input
              id={`${id}-search`}
              value={query}
              placeholder={t('fs-picker-search')}
              maxlength={40}
              focus
              onInput={(e) => {
                setQuery(e.detail.value)
                onSearch?.(e.detail.value)
              }}
            />
          </View>
          <View className='picker__options' id={`${id}-options`}>
            {allowNone ? (
              <View className='picker__option' id={`${id}-none`} onClick={() => pick(null)}>
                <Text>{t('fs-picker-any')}</Text>
              </View>
            ) : null}
            {shown.slice(0, 30).map((o) => (
              <View key={o.value} className='picker__option' onClick={() => pick(o)}>
                <Text className='picker__name'>{o.label}</Text>
                {o.detail ? <Text className='picker__detail'>{o.detail}</Text> : null}
              </View>
            ))}
            {shown.length === 0 ? <Text className='field__hint'>{t('fs-picker-none')}</Text> : null}
          </View>
        </View>
      ) : null}
      {error ? <Text className='field__error' id={`${id}-error`}>{error}</Text> : null}
    </View>
  )
}
