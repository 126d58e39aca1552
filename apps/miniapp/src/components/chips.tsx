import { Text, View } from '@tarojs/components'

export interface ChipOption {
  value: string
  label: string
}

/**
 * Choices as chips: a chosen chip is filled and carries a check mark, an unchosen one is outlined,
 * so the state reads without colour. Single or multiple choice is the caller's `selected`.
 */
export function Chips({ id, options, selected, onToggle, compact }: { id: string; options: readonly ChipOption[]; selected: (value: string) => boolean; onToggle: (value: string) => void; compact?: boolean }) {
  return (
    <View className={`chips chips--choice${compact ? ' chips--filters' : ''}`} id={id}>
      {options.map((o) => {
        const on = selected(o.value)
        return (
          <View key={o.value || 'any'} id={`${id}-${o.value || 'any'}`} className={`chip chip--choice${on ? ' chip--on' : ''}`} onClick={() => onToggle(o.value)}>
            {on ? <Text className='chip__check'>✓ </Text> : null}
            <Text>{o.label}</Text>
          </View>
        )
      })}
    </View>
  )
}
