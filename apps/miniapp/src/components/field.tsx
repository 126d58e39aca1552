import { Input, Text, View } from '@tarojs/components'

export interface FieldProps {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  error?: string | undefined
  hint?: string | undefined
  placeholder?: string
  maxlength?: number
  /** Shows "12/40" so the limit is known before it is reached. */
  counter?: boolean
  type?: 'text' | 'number' | 'idcard' | 'digit'
}

/** A labelled text input with its validation message directly below it; `#<id>-field` is its block. */
export function Field({ id, label, value, onChange, error, hint, placeholder, maxlength, counter, type }: FieldProps) {
  const max = maxlength ?? 140
  return (
    <View className={`field${error ? ' field--error' : ''}`} id={`${id}-field`}>
      <Text className='field__label'>{label}</Text>
      <Input
        id={id}
        className='field__input'
        value={value}
        placeholder={placeholder ?? ''}
        maxlength={max}
        {...(type ? { type } : {})}
        onInput={(e) => onChange(e.detail.value)}
      />
      <View className='field__foot'>
        {error ? (
          <Text className='field__error' id={`${id}-error`}>{error}</Text>
        ) : hint ? (
          <Text className='field__hint'>{hint}</Text>
        ) : <Text className='field__hint' />}
        {counter ? <Text className={`field__count${value.length >= max * 0.9 ? ' field__count--near' : ''}`} id={`${id}-count`}>{`${value.length}/${max}`}</Text> : null}
      </View>
    </View>
  )
}
