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
}

/** A labelled text input with its validation message directly below it. */
export function Field({ id, label, value, onChange, error, hint, placeholder, maxlength }: FieldProps) {
  return (
    <View className={`field${error ? ' field--error' : ''}`}>
      <Text className='field__label'>{label}</Text>
      <Input
        id={id}
        className='field__input'
        value={value}
        placeholder={placeholder ?? ''}
        maxlength={maxlength ?? 140}
        onInput={(e) => onChange(e.detail.value)}
      />
      {error ? (
        <Text className='field__error' id={`${id}-error`}>{error}</Text>
      ) : hint ? (
        <Text className='field__hint'>{hint}</Text>
      ) : null}
    </View>
  )
}
