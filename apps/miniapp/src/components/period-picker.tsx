import { Text, View } from '@tarojs/components'
import { nextPeriod, previousPeriod } from '@xieshui/core'
import { useT, type Translate } from '../lib/i18n'

/** "2026年11月" / "11/2026": a period (YYYY-MM) as people read it. */
export function periodLabel(t: Translate, period: string): string {
  return t('fs-period-label', { year: period.slice(0, 4), month: String(Number(period.slice(5, 7))) })
}

/**
 * Steps through months instead of typing 2026-12: ‹ 2026年11月 ›. Never past `latest` (the current
 * period). `#period-prev`, `#period-value`, `#period-next`.
 */
export function PeriodPicker({ value, latest, onChange, id = 'period' }: { value: string; latest: string; onChange: (period: string) => void; id?: string }) {
  const t = useT()
  const atLatest = value >= latest
  return (
    <View className='period' id={id}>
      <View className='period__step' id={`${id}-prev`} onClick={() => onChange(previousPeriod(value))}>
        <Text>‹</Text>
      </View>
      <Text className='period__value' id={`${id}-value`}>{periodLabel(t, value)}</Text>
      <View className={`period__step${atLatest ? ' period__step--off' : ''}`} id={`${id}-next`} onClick={() => { if (!atLatest) onChange(nextPeriod(value)) }}>
        <Text>›</Text>
      </View>
    </View>
  )
}
