import { Text, View } from '@tarojs/components'
import { useT } from '../lib/i18n'
import { rejectedPreview, type ClearanceImportSummary } from '../features/clearance-import/api'
import { Notice } from './notice'

/** The result of a clearance import: counts, an incomplete run's rolled-back batch, and the first rejected lines. */
export function ImportSummary({ summary }: { summary: ClearanceImportSummary }) {
  const t = useT()
  const { shown, more, total, truncated } = rejectedPreview(summary)
  const stat = (id: string, label: string, value: number, bad = false) => (
    <View className={`stats__item${bad && value > 0 ? ' stats__item--bad' : ''}`} id={id}>
      <Text className='stats__num'>{value}</Text>
      <Text className='stats__label'>{label}</Text>
    </View>
  )
  return (
    <View className='card' id='import-summary'>
      <Text className='card__title'>{summary.dryRun ? t('app-import-summary-dry') : t('app-import-summary')}</Text>
      <View className='stats'>
        {stat('import-imported', t('app-import-imported'), summary.imported)}
        {stat('import-updated', t('app-import-updated'), summary.updated)}
        {stat('import-rejected', t('app-import-rejected'), total, true)}
      </View>
      {!summary.complete && summary.failedBatch ? (
        <Notice id='import-incomplete' text={t('app-import-incomplete', { from: summary.failedBatch.fromLine, to: summary.failedBatch.toLine, reason: summary.failedBatch.reason })} />
      ) : null}
      {shown.length ? (
        <View id='import-rejected-lines'>
          <Text className='field__label'>{t('app-import-rejected-lines', { count: shown.length })}</Text>
          {shown.map((r) => (
            <Text key={`${r.line}-${r.reason}`} className='rowerr'>{t('app-import-line', { line: r.line, reason: r.reason })}</Text>
          ))}
          {more ? (
            <Text className='field__hint' id='import-more'>
              {truncated ? t('app-import-more-truncated', { total, count: shown.length }) : t('app-import-more', { count: more })}
            </Text>
          ) : null}
        </View>
      ) : summary.complete ? (
        <Notice kind='info' text={t('app-import-all-ok')} />
      ) : null}
    </View>
  )
}
