import { request } from '../../lib/request'

/** One inspection of a collector unit, as the API returns it. */
export interface Inspection {
  id: string
  unit: { code: string; name: string }
  inspectedOn: string
  findings: string
  followUp: string | null
  followUpBy: string | null
  followUpDoneOn: string | null
  followUpNote: string | null
  overdue: boolean
}

/** A collector unit with its agreement, agents, last inspection and open follow-ups. */
export interface Collector {
  unit: { code: string; name: string }
  agreement: { agreementNo: string; scope: string; validFrom: string; validTo: string; expired: boolean } | null
  agents: { id: string; name: string; certificateNo: string; phone: string | null; active: boolean }[]
  lastInspection: Inspection | null
  openFollowUps: Inspection[]
}

export const entrustedApi = {
  collectors: () => request<{ collectors: Collector[] }>('/api/v1/entrusted/collectors').then((r) => r.collectors),
  recordInspection: (data: Record<string, string>) => request<Inspection>('/api/v1/entrusted/inspections', { method: 'POST', data }),
  completeFollowUp: (id: string, note: string) => request<Inspection>(`/api/v1/entrusted/inspections/${encodeURIComponent(id)}/done`, { method: 'POST', data: { note } }),
}
