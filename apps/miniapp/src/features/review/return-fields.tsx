import { Text, View } from '@tarojs/components'
import type { FieldSpec } from '@xieshui/core'
import { useT } from '../../lib/i18n'

/** Optional chips to name the answers a return is about; the reporter sees the reason next to each. */
export function ReturnFields({ fields, chosen, onToggle }: { fields: readonly FieldSpec[]; chosen: readonly string[]; onToggle: (name: string) => void }) {
  const t = useT()
  if (fields.length === 0) return null
  return (
    <View className='field'>
      <Text className='field__label'>{t('app-review-return-fields')}</Text>
      <View className='chips chips--filters' id='return-fields'>
        {fields.map((f) => {
          const on = chosen.includes(f.name)
          return (
            <View key={f.name} id={`return-fields-${f.name}`} className={`chip${on ? ' chip--on' : ''}`} onClick={() => onToggle(f.name)}>
              <Text>{`${on ? '✓ ' : ''}${t(f.labelKey)}`}</Text>
            </View>
          )
        })}
      </View>
      <Text className='field__hint'>{t('app-review-return-fields-hint')}</Text>
    </View>
  )
}
