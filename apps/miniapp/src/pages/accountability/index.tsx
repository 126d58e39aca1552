import { useState } from 'react'
import { Picker, Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { useAsync } from '../../features/report/use-async'
import { recentPeriods } from '../../features/oversight/figures-api'
import { oversightPeriodLabel } from '../../features/oversight/figures-view'
import { accountabilityList, downloadAccountability, type AccountabilityItem } from '../../features/accountability/api'
import '../../features/report/report.css'
import '../../features/oversight/oversight.css'
import '../../features/accountability/accountability.css'

function Item({ item, index }: { item: AccountabilityItem; index: number }) {
  const t = useT()
  return (
    <View className='ritem' id={`duty-${index}`}>
      <View className='ritem__head'>
        <Text className='ritem__type'>{item.unit.name}</Text>
        <Text className={`badge ${item.done ? 'badge--late' : 'badge--overdue'}`}>{t('accountability-days', { days: item.daysLate })}</Text>
      </View>
      {item.unit.town && item.unit.town !== item.unit.name ? <Text className='ritem__meta'>{item.unit.town}</Text> : null}
      <Text className='ritem__summary duty__text'>{item.duty.kindLabel} · {item.duty.text}</Text>
      <Text className='ritem__meta'>
        {t('accountability-due')} {item.dueOn} · {item.done ? t('accountability-done', { on: item.doneOn ?? '' }) : t('accountability-open')}
      </Text>
      <View className='reminders'>
        {item.reminders.length === 0 ? <Text className='ritem__meta'>{t('accountability-no-reminders')}</Text> : null}
        {item.reminders.map((r) => (
          <Text key={r.stage} className='ritem__meta reminders__step'>{r.text}</Text>
        ))}
      </View>
    </View>
  )
}

/** The quarter picker, the list and its download (mounted only for the roles that may read it). */
function AccountabilityView() {
  const t = useT()
  const quarters = recentPeriods('quarter')
  const [quarter, setQuarter] = useState(quarters[0]!)
  const list = useAsync(() => accountabilityList(quarter), [quarter])
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null)
  const l = list.value
  return (
    <View>
      <View className='card'>
        <Text className='field__label'>{t('oversight-quarter')}</Text>
        <Picker mode='selector' range={quarters.map((q) => oversightPeriodLabel(t, q))} value={Math.max(quarters.indexOf(quarter), 0)} onChange={(e) => setQuarter(quarters[Number(e.detail.value)]!)}>
          <View className='picker__value' id='accountability-quarter'>
            <Text>{oversightPeriodLabel(t, quarter)}</Text>
            <Text className='picker__arrow'>▾</Text>
          </View>
        </Picker>
      </View>
      <Notice text={list.error} />
      {l ? (
        <View>
          <View className='card' id='accountability-summary'>
            <Text className='card__title'>{t('accountability-title', { quarter: l.quarter })}</Text>
            <Text className='ritem__meta'>{t('accountability-subtitle', { from: l.from, to: l.to, today: l.asOf })}</Text>
            {l.empty ? <Notice id='accountability-empty' kind='info' text={t('accountability-empty', { quarter: l.quarter })} /> : <Text className='ritem__meta' id='accountability-count'>{t('accountability-count', { count: l.items.length })}</Text>}
            {message ? <Notice id='accountability-download-message' kind={message.kind} text={message.text} /> : null}
            <ActionButton
              id='accountability-download'
              kind='secondary'
              disabled={busy}
              onClick={() => {
                setBusy(true)
                setMessage(null)
                downloadAccountability(l.file).then(
                  (name) => setMessage({ kind: 'info', text: t('oversight-pack-downloaded', { file: name }) }),
                  (e: unknown) => setMessage({ kind: 'error', text: isApiError(e) ? e.message : t('app-error-network') }),
                ).finally(() => setBusy(false))
              }}
            >
              {busy ? t('oversight-downloading') : t('accountability-download')}
            </ActionButton>
          </View>
          <View id='accountability-list'>
            {l.items.map((item, i) => <Item key={`${item.unit.code}-${item.dueOn}-${i}`} item={item} index={i} />)}
          </View>
          <Text className='explain'>{l.rule}</Text>
        </View>
      ) : null}
    </View>
  )
}

/**
 * 责任追究 (coordinators, admins, tax officers): the quarter's duties that were overdue, most days
 * late first, with the reminders the escalation sent; the same list as an Excel workbook.
 */
export default function AccountabilityPage() {
  const t = useT()
  return (
    <View className='page'>
      <PageHeader title={t('accountability-nav')} />
      <Guard roles={['coordinator', 'admin', 'tax_officer']}>
        <AccountabilityView />
      </Guard>
    </View>
  )
}
