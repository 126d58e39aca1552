import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { cstDate, formatWanYuan, hasRole, LOCAL_TAXES, localTaxLabelKey, TAX_FIGURE_KINDS, type LocalTax, type TaxFigureKind } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { SubmitBar } from '../../components/submit-bar'
import { ImportSummary } from '../../components/import-summary'
import { useAsync } from '../../features/report/use-async'
import { formatSize } from '../../features/clearance-import/api'
import { barPercent, importTaxFigures, showShare, targetProgress, type TargetLine, type TargetProgress } from '../../features/targets/api'
import { useFileImport } from '../../features/clearance-import/use-file-import'
import '../../features/report/report.css'
import '../../features/admin/admin.css'
import '../../features/targets/targets.css'

function Bar({ id, name, line, yearShare, total }: { id: string; name: string; line: TargetLine; yearShare: number; total?: boolean }) {
  const t = useT()
  const wan = t('targets-wan-yuan')
  return (
    <View className='tbar' id={id}>
      <View className='tbar__head'>
        <Text className={`tbar__name${total ? ' tbar__name--total' : ''}`}>{name}</Text>
        <Text className={`tbar__status tbar__status--${line.status}`}>{t(`targets-status-${line.status}`)}</Text>
      </View>
      {line.targetFen === null ? null : (
        <View className='tbar__track'>
          <View className={`tbar__fill tbar__fill--${line.status}`} style={{ width: `${barPercent(line.share)}%` }} />
          {yearShare > 0 ? <View className='tbar__mark' style={{ left: `${Math.min(100, yearShare * 100)}%` }} /> : null}
        </View>
      )}
      <Text className='tbar__meta'>
        {line.targetFen === null
          ? `${t('targets-actual')} ${formatWanYuan(line.actualFen)} ${wan}`
          : `${t('targets-actual')} ${formatWanYuan(line.actualFen)} / ${t('targets-target')} ${formatWanYuan(line.targetFen)} ${wan} · ${showShare(line.share)}`}
      </Text>
    </View>
  )
}

function Progress({ progress }: { progress: TargetProgress }) {
  const t = useT()
  if (progress.empty) return <Text className='empty' id='targets-empty'>{t('targets-no-towns')}</Text>
  return (
    <View>
      <Text className='explain' id='targets-through'>
        {progress.through ? t('targets-through', { month: progress.through, share: showShare(progress.yearShare) }) : t('targets-no-data-yet')}
      </Text>
      {progress.noTargets ? <Notice id='targets-none' kind='info' text={t('targets-none')} /> : null}
      {LOCAL_TAXES.map((tax: LocalTax, i) => (
        <View className='card' key={tax} id={`tax-${tax}`}>
          <Text className='card__title'>{t(localTaxLabelKey(tax))}</Text>
          <Bar id={`bar-${tax}-district`} name={t('targets-district')} line={progress.district[i]!} yearShare={progress.yearShare} total />
          {progress.towns.map((town) => (
            <Bar key={town.unit.code} id={`bar-${tax}-${town.unit.code}`} name={town.unit.name} line={town.taxes[i]!} yearShare={progress.yearShare} />
          ))}
        </View>
      ))}
      <Text className='explain explain--legend'>{t('targets-rule')}</Text>
    </View>
  )
}

function Upload({ onDone }: { onDone: () => void }) {
  const t = useT()
  const [kind, setKind] = useState<TaxFigureKind>('actuals')
  const [dryRun, setDryRun] = useState(false)
  const { file, busy, error, summary, pick, submit } = useFileImport((f) => importTaxFigures(f, kind, dryRun), (result) => {
    if (!result.dryRun) onDone()
  })
  return (
    <View>
      <View className='card' id='targets-upload'>
        <Text className='card__title'>{t('targets-import-file')}</Text>
        <Text className='card__text'>{t('targets-upload-hint')}</Text>
        <View className='chips chips--filters'>
          {TAX_FIGURE_KINDS.map((k) => (
            <View key={k} id={`kind-${k}`} className={`chip chip--choice${kind === k ? ' chip--on' : ''}`} onClick={() => setKind(k)}>
              {kind === k ? <Text className='chip__check'>✓ </Text> : null}
              <Text>{t(`targets-kind-${k}`)}</Text>
            </View>
          ))}
        </View>
        <ActionButton id='import-pick' kind='secondary' disabled={busy} onClick={() => void pick()}>{t('app-import-pick')}</ActionButton>
        {file ? <Text className='ritem__summary' id='import-file'>{t('app-import-file', { name: file.name, size: formatSize(file.size) })}</Text> : null}
        <View className='chips chips--filters'>
          <View id='import-dry-run' className={`chip chip--choice${dryRun ? ' chip--on' : ''}`} onClick={() => setDryRun((d) => !d)}>
            {dryRun ? <Text className='chip__check'>✓ </Text> : null}
            <Text>{t('targets-import-dry')}</Text>
          </View>
        </View>
        <SubmitBar id='import-submit' busy={busy} disabled={!file} onSubmit={submit} fields={{}} message={error} order={[]}>
          {busy ? t('app-working') : t('app-import-submit')}
        </SubmitBar>
      </View>
      {summary ? <ImportSummary summary={{ ...summary, complete: true, batchId: summary.importId, rejectedTruncated: summary.rejectedCount > summary.rejected.length }} /> : null}
    </View>
  )
}

/**
 * 税收目标完成情况 (coordinators, tax officers): per locally retained tax a progress bar per town and
 * the district (target, actual, share; behind in red, a mark at the share of the year) for a year,
 * and for tax officers (and coordinators) the upload of targets or monthly actuals with the rejected lines.
 */
export default function TargetsPage() {
  const t = useT()
  const { user } = useSession()
  const thisYear = Number(cstDate(new Date()).slice(0, 4))
  const [year, setYear] = useState(thisYear)
  const progress = useAsync(() => targetProgress(year), [year])
  const canUpload = !!user && hasRole(user, 'tax_officer', 'coordinator', 'admin')
  return (
    <View className='page'>
      <PageHeader title={t('targets-title')} />
      <Guard roles={['coordinator', 'tax_officer']}>
        <View>
          <View className='card'>
            <Text className='field__label'>{t('targets-year')}</Text>
            <View className='years' id='targets-years'>
              {[thisYear - 1, thisYear, thisYear + 1].map((y) => (
                <View key={y} id={`year-${y}`} className={`chip chip--choice${year === y ? ' chip--on' : ''}`} onClick={() => setYear(y)}>
                  <Text>{y}</Text>
                </View>
              ))}
            </View>
          </View>
          <Notice text={progress.error} />
          {progress.value ? <Progress progress={progress.value} /> : null}
          {canUpload ? <Upload onDone={progress.reload} /> : null}
        </View>
      </Guard>
    </View>
  )
}
