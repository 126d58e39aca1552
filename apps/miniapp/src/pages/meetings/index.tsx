import { useCallback, useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { cstDate, MEETING_DECISIONS_MAX, MEETING_TITLE_MAX } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { Chips } from '../../components/chips'
import { EmptyState } from '../../components/empty-state'
import { Guard } from '../../components/guard'
import { SearchPicker } from '../../components/search-picker'
import { SubmitBar } from '../../components/submit-bar'
import { useUnitOptions } from '../../features/review/use-units'
import { useAsync } from '../../features/report/use-async'
import { meetingsApi, type MeetingView } from '../../features/meetings/api'
import { DateField } from '../../features/meetings/date-field'
import { useMeetingForm } from '../../features/meetings/use-meeting-form'
import '../../features/report/report.css'
import '../../features/meetings/meetings.css'

function MeetingForm({ onSaved }: { onSaved: (m: MeetingView) => void }) {
  const t = useT()
  const units = useUnitOptions()
  const form = useMeetingForm(onSaved)
  const { values: v, fields } = form
  const today = cstDate(new Date())
  return (
    <View className='card' id='meeting-form'>
      <Text className='card__title'>{t('app-meetings-new')}</Text>
      <Notice text={units.error} />
      <DateField id='meeting-heldOn' label={t('meeting-held-on')} value={v.heldOn} onChange={(heldOn) => form.set({ heldOn })} error={fields.heldOn} end={today} />
      <Field id='meeting-title' label={t('meeting-title')} value={v.title} onChange={(title) => form.set({ title })} error={fields.title} maxlength={MEETING_TITLE_MAX} counter />
      <View className={`field${fields.decisions ? ' field--error' : ''}`} id='meeting-decisions-field'>
        <Text className='field__label'>{t('meeting-decisions')}</Text>
        <View className='field__input field__input--area'>
          <Textarea id='meeting-decisions' value={v.decisions} maxlength={MEETING_DECISIONS_MAX} autoHeight onInput={(e) => form.set({ decisions: e.detail.value })} />
        </View>
        {fields.decisions ? <Text className='field__error' id='meeting-decisions-error'>{fields.decisions}</Text> : null}
      </View>

      <View id='meeting-attendees-field'>
        <SearchPicker
          id='meeting-attendee'
          label={t('meeting-attendees')}
          chosen={null}
          placeholder={t('app-meetings-add-attendee')}
          options={units.options.filter((o) => !v.attendees.includes(o.value))}
          onPick={(o) => o && form.toggleAttendee(o.value)}
          error={fields.attendees}
        />
        {v.attendees.length > 0 ? (
          <Chips id='meeting-attendee-chosen' options={v.attendees.map((code) => ({ value: code, label: `${units.nameOf.get(code) ?? code} ✕` }))} selected={() => true} onToggle={(code) => form.toggleAttendee(code)} compact />
        ) : null}
      </View>

      <Text className='field__label'>{t('app-meetings-tasks-label')}</Text>
      {v.tasks.map((row, i) => (
        <View key={row.key} className='meeting-row' id={`task-row-${i}`}>
          <View className='meeting-row__head'>
            <Text className='meeting-row__title'>{`${i + 1}.`}</Text>
            <View className='meeting-row__remove' id={`task-row-${i}-remove`} onClick={() => form.removeRow(row.key)}>
              <Text>{t('app-meetings-remove')}</Text>
            </View>
          </View>
          <SearchPicker
            id={`task-${row.key}-unit`}
            label={t('meeting-task-unit')}
            chosen={row.unit ? units.nameOf.get(row.unit) ?? null : null}
            placeholder={t('app-meetings-pick-unit')}
            options={units.options}
            onPick={(o) => form.setRow(row.key, { unit: o?.value ?? '' })}
            error={fields[`task-${row.key}-unit`]}
          />
          <Field id={`task-${row.key}-title`} label={t('meeting-task-title')} value={row.title} onChange={(title) => form.setRow(row.key, { title })} error={fields[`task-${row.key}-title`]} maxlength={MEETING_TITLE_MAX} />
          <DateField id={`task-${row.key}-due`} label={t('meeting-task-due')} value={row.dueOn} onChange={(dueOn) => form.setRow(row.key, { dueOn })} error={fields[`task-${row.key}-due`]} />
        </View>
      ))}
      <ActionButton id='task-row-add' kind='secondary' onClick={form.addRow}>{t('app-meetings-add-task')}</ActionButton>

      <SubmitBar id='meeting-submit' busy={form.busy} onSubmit={() => void form.submit()} fields={fields} message={form.error} order={['heldOn', 'title', 'decisions', 'attendees', ...v.tasks.flatMap((r) => [`task-${r.key}-unit`, `task-${r.key}-title`, `task-${r.key}-due`])]} anchor={(n) => (n.startsWith('task-') ? `${n}-field` : `meeting-${n}-field`)}>
        {form.busy ? t('app-working') : t('app-meetings-save')}
      </SubmitBar>
    </View>
  )
}

function MeetingItem({ m }: { m: MeetingView }) {
  const t = useT()
  return (
    <View className='ritem' id={`meeting-${m.id}`}>
      <View className='ritem__head'>
        <Text className='ritem__type'>{m.title}</Text>
      </View>
      <Text className='ritem__meta'>{`${m.heldOn} · ${m.attendees.map((a) => a.unit.name).join(t('bot-list-separator'))}`}</Text>
      <Text className='ritem__summary meeting__decisions'>{m.decisions}</Text>
      <Text className='ritem__meta'>
        {t('app-meetings-counts', { open: m.taskCounts.open, done: m.taskCounts.done })}
        {m.taskCounts.overdue > 0 ? t('app-meetings-counts-overdue', { overdue: m.taskCounts.overdue }) : ''}
      </Text>
      {m.tasks.map((task) => (
        <View key={task.id} className='meeting-task' id={`meeting-task-${task.id}`}>
          <Text>{t('app-meetings-task-line', { unit: task.unit.name, title: task.title, due: task.dueOn })}</Text>
          <Text className={`meeting-task__status${task.overdue ? ' meeting-task__status--overdue' : task.status === 'open' ? ' meeting-task__status--open' : ''}`}>
            {task.overdue ? t('task-overdue') : t(`task-status-${task.status}`)}
          </Text>
        </View>
      ))}
    </View>
  )
}

function Meetings() {
  const t = useT()
  const meetings = useAsync(() => meetingsApi.list(), [])
  const [saved, setSaved] = useState<string | null>(null)
  const onSaved = useCallback(() => {
    setSaved(t('app-meetings-saved'))
    meetings.reload()
  }, [meetings, t])
  const list = meetings.value?.meetings ?? []
  return (
    <View>
      <Notice kind='info' id='meeting-saved' text={saved} />
      <MeetingForm onSaved={onSaved} />
      <View className='section' id='meeting-list'>
        <Text className='section__title'>{t('app-meetings-past')}</Text>
        <Notice text={meetings.error} />
        {!meetings.loading && !meetings.error && list.length === 0 ? <EmptyState text={t('app-meetings-empty')} /> : null}
        {list.map((m) => (
          <MeetingItem key={m.id} m={m} />
        ))}
      </View>
    </View>
  )
}

/** 会议与任务 (coordinators record; tax officers and admins read): record a meeting with its tasks, and past meetings with their tasks' status. */
export default function MeetingsPage() {
  const t = useT()
  return (
    <View className='page'>
      <PageHeader title={t('app-meetings-title')} />
      <Guard roles={['coordinator']}>
        <Meetings />
      </Guard>
    </View>
  )
}
