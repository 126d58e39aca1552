import { useCallback, useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { cstDate, TASK_NOTE_MAX } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { ActionButton } from '../../components/action-button'
import { EmptyState } from '../../components/empty-state'
import { Guard } from '../../components/guard'
import { useAsync } from '../../features/report/use-async'
import { meetingsApi, type TaskView } from '../../features/meetings/api'
import { useCompleteTask } from '../../features/meetings/use-complete-task'
import '../../features/report/report.css'
import '../../features/meetings/meetings.css'

function TaskItem({ task, form }: { task: TaskView; form: ReturnType<typeof useCompleteTask> }) {
  const t = useT()
  const editing = form.openId === task.id
  return (
    <View className='ritem' id={`task-${task.id}`}>
      <View className='ritem__head'>
        <Text className='ritem__type'>{task.title}</Text>
        {task.status === 'done' ? (
          <Text className='badge badge--accepted'>{t('task-status-done')}</Text>
        ) : task.overdue ? (
          <Text className='badge badge--overdue'>{t('task-overdue')}</Text>
        ) : null}
      </View>
      {task.detail ? <Text className='ritem__summary'>{task.detail}</Text> : null}
      <Text className={`task__due${task.overdue ? ' task__due--overdue' : ''}`}>{t('app-tasks-due', { due: task.dueOn })}</Text>
      <Text className='ritem__meta'>{t('app-tasks-meeting', { heldOn: task.meeting.heldOn, meeting: task.meeting.title })}</Text>
      {task.status === 'done' && task.doneAt ? <Text className='ritem__comment'>{t('app-tasks-done-at', { date: cstDate(new Date(task.doneAt)), note: task.doneNote ?? '' })}</Text> : null}
      {task.status === 'open' && !editing ? (
        <View className='btn-row'>
          <ActionButton id={`task-done-${task.id}`} kind='secondary' onClick={() => form.open(task.id)}>{t('app-tasks-mark-done')}</ActionButton>
        </View>
      ) : null}
      {editing ? (
        <View className='task__note'>
          <View className={`field${form.error ? ' field--error' : ''}`} id='task-note-field'>
            <Text className='field__label'>{t('task-note')}</Text>
            <View className='field__input field__input--area'>
              <Textarea id='task-note' value={form.note} maxlength={TASK_NOTE_MAX} autoHeight onInput={(e) => form.setNote(e.detail.value)} />
            </View>
            <View className='field__foot'>
              {form.error ? <Text className='field__error' id='task-note-error'>{form.error}</Text> : <Text className='field__hint' />}
              <Text className='field__count'>{`${form.note.length}/${TASK_NOTE_MAX}`}</Text>
            </View>
          </View>
          <Notice text={form.message} />
          <View className='btn-row'>
            <ActionButton id='task-note-submit' disabled={form.busy} onClick={() => void form.submit()}>{form.busy ? t('app-working') : t('app-tasks-submit')}</ActionButton>
            <ActionButton id='task-note-cancel' kind='secondary' onClick={() => form.open(null)}>{t('app-tasks-cancel')}</ActionButton>
          </View>
        </View>
      ) : null}
    </View>
  )
}

function Tasks() {
  const t = useT()
  const { user } = useSession()
  const tasks = useAsync(() => meetingsApi.myTasks(), [user?.id])
  const [done, setDone] = useState<string | null>(null)
  const onDone = useCallback(() => {
    setDone(t('app-tasks-done-ok'))
    tasks.reload()
  }, [t, tasks])
  const form = useCompleteTask(onDone)
  const all = tasks.value?.tasks ?? []
  const open = all.filter((x) => x.status === 'open')
  const recent = all.filter((x) => x.status === 'done')
  return (
    <View>
      <Notice kind='info' text={done} />
      <Notice text={tasks.error} />
      {!tasks.loading && !tasks.error && all.length === 0 ? <EmptyState text={t('app-tasks-empty')} /> : null}
      <View id='task-list'>
        {open.map((task) => (
          <TaskItem key={task.id} task={task} form={form} />
        ))}
      </View>
      {recent.length > 0 ? (
        <View className='section' id='task-recent'>
          <Text className='section__title'>{t('app-tasks-recent')}</Text>
          {recent.map((task) => (
            <TaskItem key={task.id} task={task} form={form} />
          ))}
        </View>
      ) : null}
    </View>
  )
}

/** 我的任务: the tasks meetings assigned to the user's unit, nearest due first; mark one done with a note. */
export default function TasksPage() {
  const t = useT()
  return (
    <View className='page'>
      <PageHeader title={t('app-tasks-title')} />
      <Guard roles={['reporter', 'checker', 'tax_officer', 'trainer', 'tip_handler', 'coordinator', 'admin']}>
        <Tasks />
      </Guard>
    </View>
  )
}
