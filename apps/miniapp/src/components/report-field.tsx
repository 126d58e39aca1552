import { Input, Picker, Text, Textarea, View } from '@tarojs/components'
import type { FieldSpec } from '@xieshui/core'
import { useT } from '../lib/i18n'
import { parseYears } from '../features/report/form-model'

export interface ReportFieldProps {
  field: FieldSpec
  value: string
  onChange: (value: string) => void
  error?: string | undefined
  /** the current CST year, for the years chooser */
  year: number
}

const INPUT_TYPE: Partial<Record<FieldSpec['kind'], 'text' | 'number' | 'idcard' | 'digit'>> = {
  number: 'digit',
  money: 'digit',
  integer: 'number',
  id_number: 'idcard',
}

function Chips({ id, options, selected, onToggle }: { id: string; options: { value: string; label: string }[]; selected: (v: string) => boolean; onToggle: (v: string) => void }) {
  return (
    <View className='chips' id={id}>
      {options.map((o) => (
        <View key={o.value} id={`${id}-${o.value}`} className={`chip${selected(o.value) ? ' chip--on' : ''}`} onClick={() => onToggle(o.value)}>
          <Text>{o.label}</Text>
        </View>
      ))}
    </View>
  )
}

/**
 * One generated form field: the widget comes from the registry's input kind (text, ID number,
 * date with a picker, date-time, number, enum as radio chips, years as toggles), the label and hint
 * from the catalogue, and the validation message sits right under it.
 */
export function ReportField({ field, value, onChange, error, year }: ReportFieldProps) {
  const t = useT()
  const id = `f-${field.name}`
  const label = t(field.labelKey) + (field.required ? '' : t('app-report-optional'))
  let control
  if (field.kind === 'enum') {
    control = (
      <Chips
        id={id}
        options={(field.options ?? []).map((o) => ({ value: o.value, label: t(o.labelKey) }))}
        selected={(v) => v === value}
        onToggle={onChange}
      />
    )
  } else if (field.kind === 'years') {
    const chosen = new Set(parseYears(value))
    const years = Array.from({ length: 6 }, (_, i) => String(year - i))
    control = (
      <Chips
        id={id}
        options={years.map((y) => ({ value: y, label: y }))}
        selected={(v) => chosen.has(Number(v))}
        onToggle={(v) => {
          const next = new Set(chosen)
          if (next.has(Number(v))) next.delete(Number(v))
          else next.add(Number(v))
          onChange([...next].sort((a, b) => a - b).join(','))
        }}
      />
    )
  } else if (field.kind === 'textarea') {
    control = (
      <View className='field__input field__input--area'>
        <Textarea id={id} value={value} maxlength={field.max ?? 500} autoHeight onInput={(e) => onChange(e.detail.value)} />
      </View>
    )
  } else {
    const isDate = field.kind === 'date'
    const isDateTime = field.kind === 'datetime'
    const [datePart, timePart] = value.includes(' ') ? value.split(' ') : value.includes('T') ? value.split('T') : [value, '']
    control = (
      <View className='field__input field__input--row'>
        <Input
          id={id}
          className='field__grow'
          value={value}
          type={INPUT_TYPE[field.kind] ?? 'text'}
          placeholder={isDate ? '2026-03-01' : isDateTime ? '2026-12-01 19:30' : ''}
          maxlength={field.max && !INPUT_TYPE[field.kind] ? field.max : 40}
          onInput={(e) => onChange(e.detail.value)}
        />
        {isDate || isDateTime ? (
          <Picker mode='date' value={/^\d{4}-\d{2}-\d{2}$/.test(datePart ?? '') ? datePart! : ''} onChange={(e) => onChange(isDateTime ? `${e.detail.value} ${timePart || '19:30'}` : e.detail.value)}>
            <View className='field__pick' id={`${id}-pick`}>
              <Text>{t('app-report-pick-date')}</Text>
            </View>
          </Picker>
        ) : null}
        {isDateTime ? (
          <Picker mode='time' value={(timePart ?? '').slice(0, 5)} onChange={(e) => onChange(`${datePart || ''} ${e.detail.value}`.trim())}>
            <View className='field__pick' id={`${id}-pick-time`}>
              <Text>{t('app-report-pick-time')}</Text>
            </View>
          </Picker>
        ) : null}
      </View>
    )
  }
  return (
    <View className={`field${error ? ' field--error' : ''}`} id={`${id}-field`}>
      <Text className='field__label'>{label}</Text>
      {control}
      {error ? (
        <Text className='field__error' id={`${id}-error`}>{error}</Text>
      ) : field.hintKey ? (
        <Text className='field__hint'>{t(field.hintKey)}</Text>
      ) : null}
    </View>
  )
}
