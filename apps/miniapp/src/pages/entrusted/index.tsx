import { useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { FOLLOW_UP_NOTE_FIELD, hasRole, INSPECTION_FIELDS } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { Guard } from '../../components/guard'
import { ReportField } from '../../components/report-field'
import { SubmitBar } from '../../components/submit-bar'
import { useAsync } from '../../features/report/use-async'
import { entrustedApi, type Collector, type Inspection } from '../../features/entrusted/api'
import { useFollowUpDone, useInspectionForm } from '../../features/entrusted/use-entrusted-forms'
import '../../features/report/report.css'
import '../../features/entrusted/entrusted.css'

function InspectionForm({ unit, onSaved, onCancel }: { unit: string; onSaved: (m: string) => void; onCancel: () => void }) {
  const t = useT()
  const form = useInspectionForm(unit, onSaved)
  const year = Number(form.values.inspectedOn?.slice(0, 4)) || new Date().getFullYear()
  return (
    <View className='entrusted__form' id={`inspect-form-${unit}`}>
      {INSPECTION_FIELDS.map((f) => (
        <ReportField key={f.name} field={f} value={form.values[f.name] ?? ''} onChange={(v) => form.set(f.name, v)} error={form.fields[f.name] || undefined} year={year} />
      ))}
      <SubmitBar id='inspect-submit' busy={form.busy} onSubmit={form.submit} fields={form.fields} message={form.message} order={form.order}>
        {t('entrusted-record-submit')}
      </SubmitBar>
      <ActionButton id='inspect-cancel' kind='secondary' onClick={onCancel}>{t('entrusted-cancel')}</ActionButton>
    </View>
  )
}

function FollowUp({ item, canClose, onSaved }: { item: Inspection; canClose: boolean; onSaved: (m: string) => void }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const done = useFollowUpDone(item.id, onSaved)
  const error = done.fields.note
  return (
    <View className={`entrusted__follow${item.overdue ? ' entrusted__follow--overdue' : ''}`} id={`follow-${item.id}`}>
      <Text className='ritem__summary'>{item.followUp}</Text>
      <Text className='entrusted__due'>{t(item.overdue ? 'entrusted-follow-up-overdue' : 'entrusted-follow-up-due', { date: item.followUpBy ?? '' })}</Text>
      <Text className='ritem__meta'>{t('entrusted-inspected-on', { date: item.inspectedOn, findings: item.findings })}</Text>
      {canClose && !open ? <ActionButton id={`follow-open-${item.id}`} kind='secondary' onClick={() => setOpen(true)}>{t('entrusted-mark-done')}</ActionButton> : null}
      {open ? (
        <View>
          <View className={`field${error ? ' field--error' : ''}`} id='done-note-field'>
            <Text className='field__label'>{t(FOLLOW_UP_NOTE_FIELD.labelKey)}</Text>
            <View className='field__input field__input--area'>
              <Textarea id='done-note' value={done.note} maxlength={FOLLOW_UP_NOTE_FIELD.max} autoHeight onInput={(e) => done.setNote(e.detail.value)} />
            </View>
            {error ? <Text className='field__error' id='done-note-error'>{error}</Text> : null}
          </View>
          <SubmitBar id='done-submit' busy={done.busy} onSubmit={done.submit} fields={{}} message={done.message} order={[]}>
            {t('entrusted-done-submit')}
          </SubmitBar>
        </View>
      ) : null}
    </View>
  )
}

function CollectorCard({ c, canInspect, canClose, inspecting, setInspecting, onSaved }: {
  c: Collector
  canInspect: boolean
  canClose: boolean
  inspecting: boolean
  setInspecting: (unit: string | null) => void
  onSaved: (m: string) => void
}) {
  const t = useT()
  const a = c.agreement
  const badge = !a ? ['badge--submitted', t('entrusted-no-agreement')] : a.expired ? ['badge--overdue', t('entrusted-expired')] : ['badge--on_time', t('entrusted-valid')]
  const agents = c.agents.filter((x) => x.active)
  return (
    <View className='card' id={`collector-${c.unit.code}`}>
      <View className='ritem__head'>
        <Text className='ritem__type'>{c.unit.name}</Text>
        <Text className={`badge ${badge[0]}`} id={`collector-${c.unit.code}-validity`}>{badge[1]}</Text>
      </View>
      {a ? <Text className='ritem__meta'>{t('entrusted-agreement', { no: a.agreementNo, from: a.validFrom, to: a.validTo })}</Text> : null}
      {a ? <Text className='ritem__meta'>{t('entrusted-scope-line', { scope: a.scope })}</Text> : null}

      <Text className='field__label'>{t('entrusted-agents', { count: agents.length })}</Text>
      {agents.length === 0 ? <Text className='empty'>{t('entrusted-no-agents')}</Text> : null}
      {agents.map((x) => (
        <Text key={x.id} className='entrusted__agent'>{[x.name, x.certificateNo, x.phone].filter(Boolean).join(' · ')}</Text>
      ))}

      <Text className='ritem__meta' id={`collector-${c.unit.code}-last`}>
        {c.lastInspection ? t('entrusted-last-inspection', { date: c.lastInspection.inspectedOn }) : t('entrusted-never-inspected')}
      </Text>

      {c.openFollowUps.length > 0 ? <Text className='field__label'>{t('entrusted-open-follow-ups', { count: c.openFollowUps.length })}</Text> : null}
      {c.openFollowUps.map((f) => (
        <FollowUp key={f.id} item={f} canClose={canClose} onSaved={onSaved} />
      ))}

      {canInspect && !inspecting ? <ActionButton id={`inspect-${c.unit.code}`} onClick={() => setInspecting(c.unit.code)}>{t('entrusted-record-inspection')}</ActionButton> : null}
      {inspecting ? <InspectionForm unit={c.unit.code} onSaved={onSaved} onCancel={() => setInspecting(null)} /> : null}
    </View>
  )
}

/**
 * 委托代征 for tax officers (coordinators read): every collector unit with its agreement's validity,
 * agents, last inspection and open follow-ups (overdue ones in red); officers record an inspection
 * and mark a follow-up put right with a note.
 */
export default function EntrustedPage() {
  const t = useT()
  const { user } = useSession()
  const list = useAsync(() => entrustedApi.collectors(), [user?.id])
  const [inspecting, setInspecting] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const canInspect = !!user && hasRole(user, 'tax_officer')
  const canClose = !!user && hasRole(user, 'tax_officer', 'admin')
  const saved = (message: string) => {
    setNotice(message)
    setInspecting(null)
    list.reload()
  }
  return (
    <View className='page'>
      <PageHeader title={t('entrusted-title')} />
      <Guard roles={['tax_officer', 'coordinator', 'admin']}>
        <View>
          <Text className='explain'>{t('entrusted-intro')}</Text>
          <Notice id='entrusted-notice' kind='info' text={notice} />
          <Notice text={list.error} />
          {!list.loading && !list.error && (list.value ?? []).length === 0 ? <Text className='empty' id='entrusted-empty'>{t('entrusted-empty')}</Text> : null}
          {(list.value ?? []).map((c) => (
            <CollectorCard key={c.unit.code} c={c} canInspect={canInspect} canClose={canClose} inspecting={inspecting === c.unit.code} setInspecting={setInspecting} onSaved={saved} />
          ))}
        </View>
      </Guard>
    </View>
  )
}
