import { Text, View } from '@tarojs/components'
import { getReportType, reportFields, formatFieldValue } from '@xieshui/core'
import { getLocale, useT } from '../../lib/i18n'
import type { ReportDetail } from '../report-detail/api'
import '../report-detail/detail.css'

/** A corrected report's changes since the version the reviewer returned: each changed answer, new value over the old one struck through. */
export function VersionChanges({ report }: { report: ReportDetail }) {
  const t = useT()
  const type = getReportType(report.type)
  if (!type || report.version < 2) return null
  const specs = reportFields(type)
  return (
    <View className='card' id='diff'>
      <Text className='card__title' id='diff-title'>
        {report.changes.length
          ? t('app-review-version', { version: report.version, count: report.changes.length })
          : t('app-review-version-same', { version: report.version })}
      </Text>
      {report.changes.length ? <Text className='card__text'>{t('app-review-changes-title')}</Text> : null}
      {report.changes.map((c) => {
        const field = specs.find((f) => f.name === c.field)
        if (!field) return null
        return (
          <View key={c.field} className='change' id={`diff-${c.field}`}>
            <Text className='change__k'>{t(field.labelKey)}</Text>
            <Text className='change__new'>{formatFieldValue(field, c.after, getLocale())}</Text>
            <Text className='change__was'>
              {t('app-review-change-was')}
              <Text className='change__old'>{formatFieldValue(field, c.before, getLocale())}</Text>
            </Text>
          </View>
        )
      })}
    </View>
  )
}
