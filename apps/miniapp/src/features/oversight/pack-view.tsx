import { useState } from 'react'
import { Picker, Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { useAsync } from '../report/use-async'
import { downloadPackFile, quarterlyPack, recentPeriods, type PackSummary } from './figures-api'
import { oversightPeriodLabel } from './figures-view'

const pct = (v: number) => `${Math.round(v * 100)}%`

/** This quarter against the previous, one pair of bars per countable figure. */
function OverviewBars({ pack }: { pack: PackSummary }) {
  const t = useT()
  const lines = pack.overview.filter((l) => l.value !== null && ['onTime', 'late', 'overdue', 'accepted', 'returned', 'checks'].includes(l.key))
  const max = Math.max(1, ...lines.flatMap((l) => [l.value ?? 0, l.previous ?? 0]))
  return (
    <View className='pairbars' id='pack-bars'>
      {lines.map((l) => (
        <View key={l.key} className='pairbars__row'>
          <Text className='pairbars__label'>{l.label}</Text>
          <View className='pairbars__bars'>
            <View className='pairbars__bar pairbars__bar--prev' style={{ width: `${((l.previous ?? 0) / max) * 100}%` }} />
            <View className='pairbars__bar pairbars__bar--now' style={{ width: `${((l.value ?? 0) / max) * 100}%` }} />
          </View>
          <Text className='pairbars__value'>{l.previous ?? 0} → {l.value ?? 0}</Text>
        </View>
      ))}
      <Text className='explain explain--legend'>{t('oversight-pack-legend', { previous: pack.previousQuarter, quarter: pack.quarter })}</Text>
    </View>
  )
}

/** The quarterly meeting pack: the same content as the files, and the files to download. */
export function PackView() {
  const t = useT()
  const quarters = recentPeriods('quarter')
  const [quarter, setQuarter] = useState(quarters[0]!)
  const pack = useAsync(() => quarterlyPack(quarter), [quarter])
  const [busy, setBusy] = useState<string | null>(null)
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null)
  const p = pack.value
  return (
    <View>
      <View className='card'>
        <Text className='field__label'>{t('oversight-quarter')}</Text>
        <Picker mode='selector' range={quarters.map((q) => oversightPeriodLabel(t, q))} value={Math.max(quarters.indexOf(quarter), 0)} onChange={(e) => setQuarter(quarters[Number(e.detail.value)]!)}>
          <View className='picker__value' id='pack-quarter'>
            <Text>{oversightPeriodLabel(t, quarter)}</Text>
            <Text className='picker__arrow'>▾</Text>
          </View>
        </Picker>
      </View>
      <Notice text={pack.error} />
      {p ? (
        <View>
          <View className='card' id='pack-summary'>
            <Text className='card__title'>{t('oversight-pack-title', { quarter: p.quarter })}</Text>
            <Text className='ritem__meta'>{t('oversight-pack-period', { from: p.from, to: p.to, previous: p.previousQuarter })}</Text>
            {p.empty ? <Notice id='pack-empty' kind='info' text={t('oversight-pack-empty')} /> : null}
            {p.noActivity ? <Notice id='pack-no-activity' kind='info' text={t('oversight-pack-no-activity')} /> : null}
            {!p.empty ? <OverviewBars pack={p} /> : null}
          </View>
          {!p.empty ? (
            <View className='card' id='pack-compare'>
              <Text className='card__title'>{t('oversight-pack-improved')}</Text>
              {p.improved.length === 0 ? <Text className='empty'>{t('oversight-pack-none-improved')}</Text> : null}
              {p.improved.map((c) => (
                <View key={c.unit.code} className='change change--up' id={`improved-${c.unit.code}`}>
                  <Text className='change__name'>{c.unit.name}</Text>
                  <Text className='change__rate'>{pct(c.before)} → {pct(c.after)} ▲</Text>
                </View>
              ))}
              <Text className='card__title card__title--next'>{t('oversight-pack-behind')}</Text>
              {p.behind.length === 0 ? <Text className='empty'>{t('oversight-pack-none-behind')}</Text> : null}
              {p.behind.map((c) => (
                <View key={c.unit.code} className='change change--down' id={`behind-${c.unit.code}`}>
                  <Text className='change__name'>{c.unit.name}</Text>
                  <Text className='change__rate'>{pct(c.before)} → {pct(c.after)} ▼</Text>
                </View>
              ))}
            </View>
          ) : null}
          <View className='card' id='pack-files'>
            <Text className='card__title'>{t('oversight-pack-files')}</Text>
            {message ? <Notice id='pack-download-message' kind={message.kind} text={message.text} /> : null}
            {p.files.map((f) => (
              <ActionButton
                key={f.format}
                id={`pack-download-${f.format}`}
                kind={f.format === 'pdf' ? 'primary' : 'secondary'}
                disabled={busy !== null}
                onClick={() => {
                  setBusy(f.format)
                  setMessage(null)
                  downloadPackFile(f).then(
                    (name) => setMessage({ kind: 'info', text: t('oversight-pack-downloaded', { file: name }) }),
                    (e: unknown) => setMessage({ kind: 'error', text: isApiError(e) ? e.message : t('app-error-network') }),
                  ).finally(() => setBusy(null))
                }}
              >
                {busy === f.format ? t('oversight-downloading') : t('oversight-download', { file: t(`oversight-pack-file-${f.format}`) })}
              </ActionButton>
            ))}
          </View>
          {p.notes.map((n) => <Text key={n} className='explain'>{n}</Text>)}
        </View>
      ) : null}
    </View>
  )
}
