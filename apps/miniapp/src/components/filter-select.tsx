import { Text, View } from '@tarojs/components'
import { Chips, type ChipOption } from './chips'

/**
 * One compact filter of a row (type, status, period): shows its current choice; tapped, it opens its
 * options as chips below the row (`open` is held by the row so only one is open at a time).
 */
export function FilterSelect({ id, label, value, options, open, onOpen }: { id: string; label: string; value: string; options: readonly ChipOption[]; open: boolean; onOpen: () => void }) {
  const chosen = options.find((o) => o.value === value)?.label ?? options[0]?.label ?? ''
  return (
    <View id={id} className={`fselect${open ? ' fselect--open' : ''}`} onClick={onOpen}>
      <Text className='fselect__label'>{label}</Text>
      <Text className='fselect__value'>{chosen}</Text>
    </View>
  )
}

/** The options of the open filter, under the row. */
export function FilterOptions({ id, options, value, onPick }: { id: string; options: readonly ChipOption[]; value: string; onPick: (value: string) => void }) {
  return <Chips id={id} options={options} selected={(v) => v === value} onToggle={onPick} compact />
}
