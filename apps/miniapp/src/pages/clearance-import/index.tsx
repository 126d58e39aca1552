import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { hasRole } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { useSession } from '../../lib/session'
import { scrollToId } from '../../lib/scroll'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { SubmitBar } from '../../components/submit-bar'
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
  useEffect(() => {
    if (summary) scrollToId('import-summary')
  }, [summary])

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
      setError(isApiError(e) ? [e.message, ...Object.values(e.fields)].join(' ') : t('error-internal'))
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
