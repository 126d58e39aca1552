import { Input, Picker, Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** A date typed as 2026-10-15 or picked from the platform's date picker; the message sits below. */
export function DateField({ id, label, value, onChange, error, end }: { id: string; label: string; value: string; onChange: (v: string) => void; error?: string | undefined; end?: string }) {
  const t = useT()
  return (
    <View className={`field${error ? ' field--error' : ''}`} id={`${id}-field`}>
      <Text className='field__label'>{label}</Text>
      <View className='field__input field__input--row'>
        <Input id={id} className='field__grow' value={value} placeholder={t('app-meetings-date-placeholder')} maxlength={10} onInput={(e) => onChange(e.detail.value)} />
        <Picker mode='date' value={DATE.test(value) ? value : ''} {...(end ? { end } : {})} onChange={(e) => onChange(e.detail.value)}>
          <View className='field__pick' id={`${id}-pick`}>
            <Text>{t('app-report-pick-date')}</Text>
          </View>
        </Picker>
      </View>
      {error ? <Text className='field__error' id={`${id}-error`}>{error}</Text> : null}
    </View>
  )
}
