import { Input, Picker, Text, Textarea, View } from '@tarojs/components'
import { parseYearList, type FieldSpec } from '@xieshui/core'
import { useT } from '../lib/i18n'
import { Chips } from './chips'

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

const TIME = /^\d{1,2}:\d{2}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
/** The time a show picker starts on when nothing is chosen yet (never a silent 00:00). */
const DEFAULT_SHOW_TIME = '19:30'

/** A date-time field's halves, whichever was picked first: "2026-12-01 19:30", "2026-12-01", "19:30". */
export function splitDateTime(value: string): { date: string; time: string } {
  const v = value.trim().replace('T', ' ')
  if (TIME.test(v)) return { date: '', time: v }
  const [date = '', time = ''] = v.split(/\s+/)
  return { date, time: time.slice(0, 5) }
}

/** Joins the halves back; a time picked before the date is kept until the date comes. */
export function joinDateTime(date: string, time: string): string {
  return [date, time].filter(Boolean).join(' ')
}

/** The length limit of a text field. */
function limitOf(field: FieldSpec): number | null {
  if (field.kind === 'textarea') return field.max ?? 500
  if (field.kind === 'text') return field.max ?? 100
  return null
}

/** Long text fields always show their counter; short ones once the limit is near (before it is reached). */
function showsCounter(field: FieldSpec, limit: number, length: number): boolean {
  return field.kind === 'textarea' || limit >= 200 || length >= limit * 0.8
}

/**
 * One generated form field: the widget comes from the registry's input kind (text with a counter,
 * ID number, date and date-time with pickers, number, enum as check-marked chips, years as toggles),
 * the label and hint from the catalogue, and the validation message sits right under it.
 */
export function ReportField({ field, value, onChange, error, year }: ReportFieldProps) {
  const t = useT()
  const id = `f-${field.name}`
  const label = t(field.labelKey) + (field.required ? '' : t('app-report-optional'))
  const limit = limitOf(field)
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
    const chosen = new Set(parseYearList(value) ?? [])
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
        <Textarea id={id} value={value} maxlength={limit ?? 500} autoHeight onInput={(e) => onChange(e.detail.value)} />
      </View>
    )
  } else {
    const isDate = field.kind === 'date'
    const isDateTime = field.kind === 'datetime'
    const parts = splitDateTime(value)
    control = (
      <View className='field__input field__input--row'>
        <Input
          id={id}
          className='field__grow'
          value={value}
          type={INPUT_TYPE[field.kind] ?? 'text'}
          placeholder={isDate ? '2026-03-01' : isDateTime ? '2026-12-01 19:30' : ''}
          maxlength={limit ?? 40}
          onInput={(e) => onChange(e.detail.value)}
        />
        {isDate || isDateTime ? (
          <Picker mode='date' value={DATE.test(isDateTime ? parts.date : value) ? (isDateTime ? parts.date : value) : ''} onChange={(e) => onChange(isDateTime ? joinDateTime(e.detail.value, parts.time) : e.detail.value)}>
            <View className='field__pick' id={`${id}-pick`}>
              <Text>{t('app-report-pick-date')}</Text>
            </View>
          </Picker>
        ) : null}
        {isDateTime ? (
          <Picker mode='time' value={TIME.test(parts.time) ? parts.time : DEFAULT_SHOW_TIME} onChange={(e) => onChange(joinDateTime(parts.date, e.detail.value))}>
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
      <View className='field__foot'>
        {error ? (
          <Text className='field__error' id={`${id}-error`}>{error}</Text>
        ) : field.hintKey ? (
          <Text className='field__hint'>{t(field.hintKey)}</Text>
        ) : <Text className='field__hint' />}
        {limit && showsCounter(field, limit, value.length) ? <Text className={`field__count${value.length >= limit * 0.9 ? ' field__count--near' : ''}`} id={`${id}-count`}>{`${value.length}/${limit}`}</Text> : null}
      </View>
    </View>
  )
}
