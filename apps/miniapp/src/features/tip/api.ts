import Taro from '@tarojs/taro'
import { t, type FileTipInput, type RewardBand, type TipCategory, type TipStatus, type TipStatusView } from '@xieshui/core'
import { request, ApiError, toApiError } from '../../lib/request'
import { apiBase, isH5 } from '../../lib/env'
import { getLocale } from '../../lib/i18n'

/**
 * The tipster's API calls. Every one is anonymous (lib/request.ts): no token, no cookies, even when
 * the person using the phone is signed in as staff. The receipt travels in bodies and a header,
 * never in a URL.
 */
export function fileTip(input: Partial<FileTipInput>): Promise<{ receipt: string }> {
  return request('/api/v1/tips', { method: 'POST', data: input as Record<string, unknown>, anonymous: true })
}

export function tipStatus(receipt: string): Promise<TipStatusView> {
  return request('/api/v1/tips/status', { method: 'POST', data: { receipt }, anonymous: true })
}

export function replyToTip(receipt: string, text: string): Promise<TipStatusView> {
  return request('/api/v1/tips/reply', { method: 'POST', data: { receipt, text }, anonymous: true })
}

/** Adds a photo or screenshot (raw body, the receipt in X-Tip-Receipt), anonymously. */
export async function addEvidence(receipt: string, photo: { blob?: Blob; filePath?: string }, mime: string): Promise<{ attachments: number }> {
  const locale = getLocale()
  const header: Record<string, string> = { 'Content-Type': mime, Accept: 'application/json', 'Accept-Language': locale, 'X-Tip-Receipt': receipt }
  let status: number
  let data: unknown
  try {
    if (isH5()) {
      const blob = photo.blob ?? (await (await fetch(photo.filePath!)).blob())
      const res = await fetch(`${apiBase()}/api/v1/tips/evidence`, { method: 'POST', headers: header, body: blob, credentials: 'omit' })
      status = res.status
      const text = await res.text()
      try {
        data = JSON.parse(text) as unknown
      } catch {
        data = text
      }
    } else {
      const bytes = await new Promise<ArrayBuffer>((resolve, reject) => {
        Taro.getFileSystemManager().readFile({ filePath: photo.filePath!, success: (r) => resolve(r.data as ArrayBuffer), fail: reject })
      })
      const res = await Taro.request({ url: `${apiBase()}/api/v1/tips/evidence`, method: 'POST', data: bytes, header, dataType: 'json', timeout: 60_000 })
      status = res.statusCode
      data = res.data
    }
  } catch {
    throw new ApiError(0, 'network', t(locale, 'app-error-network'))
  }
  if (status >= 200 && status < 300) return data as { attachments: number }
  throw toApiError(status, data, locale)
}

/**
 * The receipt just issued, kept in memory only so the receipt page can show it once: never in a
 * URL (browser history), never in storage.
 */
let issued: string | null = null
export function rememberReceipt(receipt: string): void {
  issued = receipt
}
export function takeIssuedReceipt(): string | null {
  return issued
}
export function forgetReceipt(): void {
  issued = null
}

/** One inbox line (GET /tip-inbox). */
export interface TipListItem {
  id: string
  category: TipCategory
  status: TipStatus
  filedOn: string
  acknowledgeBy: string
  concludeBy: string
  acknowledgeOverdue: boolean
  concludeOverdue: boolean
  unit: { code: string; name: string } | null
  realName: boolean
  attachments: number
  preview: string
  reward: RewardBand | null
}

/** A tip for a handler (everything) or the assigned unit's tax officer (facts only: messages and history null). */
export interface TipDetail extends TipListItem {
  facts: { subject?: string; location?: string; when?: string; description: string; contact?: string }
  messages: { from: 'handler' | 'tipster'; text: string; on: string }[] | null
  history: { status: TipStatus; reason: string; on: string; by: string }[] | null
  attachmentIds: string[]
}

/** The handlers' calls: signed in, with the bearer token as usual. */
export const tipInboxApi = {
  list: (status: TipStatus | '', overdue: boolean) =>
    request<{ tips: TipListItem[] }>(`/api/v1/tip-inbox${status || overdue ? `?${[status ? `status=${status}` : '', overdue ? 'overdue=1' : ''].filter(Boolean).join('&')}` : ''}`),
  get: (id: string) => request<TipDetail>(`/api/v1/tip-inbox/${encodeURIComponent(id)}`),
  status: (id: string, status: TipStatus, reason: string) => request<TipDetail>(`/api/v1/tip-inbox/${encodeURIComponent(id)}/status`, { method: 'POST', data: { status, reason } }),
  assign: (id: string, unit: string) => request<TipDetail>(`/api/v1/tip-inbox/${encodeURIComponent(id)}/assign`, { method: 'POST', data: { unit } }),
  message: (id: string, text: string) => request<TipDetail>(`/api/v1/tip-inbox/${encodeURIComponent(id)}/messages`, { method: 'POST', data: { text } }),
  reward: (id: string, band: RewardBand) => request<TipDetail>(`/api/v1/tip-inbox/${encodeURIComponent(id)}/reward`, { method: 'POST', data: { band } }),
  closeSpam: (ids: string[]) => request<{ closed: number }>('/api/v1/tip-inbox/spam', { method: 'POST', data: { ids } }),
  units: () => request<{ code: string; name: string; type: string }[]>('/api/v1/units'),
}
