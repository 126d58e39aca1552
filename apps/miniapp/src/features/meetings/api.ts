import { request } from '../../lib/request'

/** A meeting task as GET /tasks/mine and the meeting list give it. */
export interface TaskView {
  id: string
  meeting: { id: string; heldOn: string; title: string }
  unit: { code: string; name: string; type: string }
  title: string
  detail: string | null
  dueOn: string
  status: 'open' | 'done'
  overdue: boolean
  doneAt: string | null
  doneNote: string | null
}

/** A recorded meeting with its attendees and tasks. */
export interface MeetingView {
  id: string
  heldOn: string
  title: string
  decisions: string
  createdAt: string
  attendees: { unit: { code: string; name: string; type: string }; people: string | null }[]
  tasks: TaskView[]
  taskCounts: { open: number; overdue: number; done: number }
}

export const meetingsApi = {
  myTasks: () => request<{ tasks: TaskView[] }>('/api/v1/tasks/mine'),
  completeTask: (id: string, note: string) => request<TaskView>(`/api/v1/tasks/${encodeURIComponent(id)}/done`, { method: 'POST', data: { note } }),
  list: () => request<{ meetings: MeetingView[] }>('/api/v1/meetings'),
  record: (body: Record<string, unknown>) => request<MeetingView>('/api/v1/meetings', { method: 'POST', data: body }),
}

/** What the home card says: how many open tasks, the nearest due date, how many are overdue. */
export function summarizeTasks(tasks: readonly TaskView[]): { open: number; overdue: number; nearestDue: string | null } {
  const open = tasks.filter((x) => x.status === 'open')
  const due = open.map((x) => x.dueOn).sort()
  return { open: open.length, overdue: open.filter((x) => x.overdue).length, nearestDue: due[0] ?? null }
}
