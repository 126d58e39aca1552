import { request } from '../../lib/request'
import { downloadWithToken } from '../../lib/download'

/** One line of the accountability list, as GET /oversight/accountability answers it. */
export interface AccountabilityItem {
  unit: { code: string; name: string; town: string | null }
  duty: { kind: 'feed' | 'task' | 'tip'; kindLabel: string; text: string }
  dueOn: string
  daysLate: number
  done: boolean
  doneOn: string | null
  reminders: { stage: number; label: string; on: string; recipients: number; text: string }[]
}

export interface AccountabilityList {
  quarter: string
  from: string
  to: string
  asOf: string
  empty: boolean
  items: AccountabilityItem[]
  rule: string
  file: { fileName: string; url: string }
}

export function accountabilityList(quarter: string): Promise<AccountabilityList> {
  return request<AccountabilityList>(`/api/v1/oversight/accountability?quarter=${encodeURIComponent(quarter)}`)
}

/** Downloads the list's workbook with the bearer token, as the meeting pack's files are. */
export function downloadAccountability(file: AccountabilityList['file']): Promise<string> {
  return downloadWithToken(file.url, file.fileName, 'xlsx')
}
