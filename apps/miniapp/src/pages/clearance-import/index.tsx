import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { hasRole } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { ImportSummary } from '../../components/import-summary'
import { formatSize, importClearances, isImportFile, type ClearanceImportSummary } from '../../features/clearance-import/api'
import { pickFeedFile, type PickedFile } from '../../features/report/feeds'
import '../../features/report/report.css'
import '../../features/admin/admin.css'

/** `dryRunOnly`: coordinators and admins may only dry-run (core refuses their real import). */
function Importer({ dryRunOnly }: { dryRunOnly: boolean }) {
  const t = useT()
  const [file, setFile] = useState<PickedFile | null>(null)
  const [chosenDryRun, setDryRun] = useState(false)
  const dryRun = dryRunOnly || chosenDryRun
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [summary, setSummary] = useState<ClearanceImportSummary | null>(null)

  const pick = async () => {
    const picked = await pickFeedFile()
    if (!picked) return
    setSummary(null)
    if (!isImportFile(picked.name)) {
      setFile(null)
      setError(t('feed-file-format'))
      return
    }
    setError(null)
    setFile(picked)
  }

  const submit = async () => {
    if (!file || busy) return
    setBusy(true)
    setError(null)
    setSummary(null)
    try {
      setSummary(await importClearances(file, dryRun))
    } catch (e) {
      setError(isApiError(e) ? [e.message, ...Object.values(e.fields)].join(' ') : t('app-error-network'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View>
      <View className='card'>
        <Text className='card__text'>{t('app-import-intro')}</Text>
        <ActionButton id='import-pick' kind='secondary' disabled={busy} onClick={() => void pick()}>{t('app-import-pick')}</ActionButton>
        {file ? <Text className='ritem__summary' id='import-file'>{t('app-import-file', { name: file.name, size: formatSize(file.size) })}</Text> : null}
        <View className='chips chips--filters'>
          <View id='import-dry-run' className={`chip chip--check${dryRun ? ' chip--on' : ''}`} onClick={() => dryRunOnly || setDryRun((d) => !d)}>
            <Text>{t('app-import-dry-run')}</Text>
          </View>
        </View>
        {dryRunOnly ? <Notice id='import-dry-run-only' kind='info' text={t('clearance-import-real-role')} /> : null}
        <Notice id='import-error' text={error} />
        <ActionButton id='import-submit' disabled={!file || busy} onClick={() => void submit()}>{busy ? t('app-working') : t('app-import-submit')}</ActionButton>
      </View>
      {summary ? <ImportSummary summary={summary} /> : null}
    </View>
  )
}

/** 导入完税凭证: tax officers upload the tax bureau's CSV/XLSX export (optionally as a dry run); coordinators and admins dry-run it. */
export default function ClearanceImportPage() {
  const t = useT()
  const { user } = useSession()
  const allowed = user !== null && hasRole(user, 'coordinator', 'tax_officer', 'admin')
  return (
    <View className='page'>
      <PageHeader title={t('app-import-title')} />
      {allowed ? <Importer dryRunOnly={!hasRole(user, 'tax_officer')} /> : <Notice text={t('error-forbidden')} />}
    </View>
  )
}
