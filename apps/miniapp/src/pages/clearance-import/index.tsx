import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { hasRole } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { SubmitBar } from '../../components/submit-bar'
import { ImportSummary } from '../../components/import-summary'
import { formatSize, importClearances } from '../../features/clearance-import/api'
import { useFileImport } from '../../features/clearance-import/use-file-import'
import '../../features/report/report.css'
import '../../features/admin/admin.css'

/** `dryRunOnly`: coordinators and admins may only dry-run (core refuses their real import). */
function Importer({ dryRunOnly }: { dryRunOnly: boolean }) {
  const t = useT()
  const [chosenDryRun, setDryRun] = useState(false)
  const dryRun = dryRunOnly || chosenDryRun
  const { file, busy, error, summary, pick, submit } = useFileImport((f) => importClearances(f, dryRun))

  return (
    <View>
      <View className='card'>
        <Text className='card__text'>{t('app-import-intro')}</Text>
        <ActionButton id='import-pick' kind='secondary' disabled={busy} onClick={() => void pick()}>{t('app-import-pick')}</ActionButton>
        {file ? <Text className='ritem__summary' id='import-file'>{t('app-import-file', { name: file.name, size: formatSize(file.size) })}</Text> : null}
        <View className='chips chips--filters'>
          <View id='import-dry-run' className={`chip chip--choice${dryRun ? ' chip--on' : ''}`} onClick={() => dryRunOnly || setDryRun((d) => !d)}>
            {dryRun ? <Text className='chip__check'>✓ </Text> : null}
            <Text>{t('app-import-dry-run')}</Text>
          </View>
        </View>
        {dryRunOnly ? <Notice id='import-dry-run-only' kind='info' text={t('clearance-import-real-role')} /> : null}
        <SubmitBar id='import-submit' busy={busy} disabled={!file} onSubmit={submit} fields={{}} message={error} order={[]}>
          {busy ? t('app-working') : t('app-import-submit')}
        </SubmitBar>
      </View>
      {summary ? <ImportSummary summary={summary} /> : null}
    </View>
  )
}

/** 导入完税凭证: tax officers upload the tax bureau's CSV/XLSX export (optionally as a dry run); coordinators and admins dry-run it. */
export default function ClearanceImportPage() {
  const t = useT()
  const { user } = useSession()
  return (
    <View className='page'>
      <PageHeader title={t('app-import-title')} />
      <Guard roles={['tax_officer', 'coordinator', 'admin']}>
        <Importer dryRunOnly={!(user && hasRole(user, 'tax_officer'))} />
      </Guard>
    </View>
  )
}
