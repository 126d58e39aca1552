import type { CreateInviteInput, CreateUnitInput, Role, UnitType, UpdateUnitInput } from '@xieshui/core'
import { request } from '../../lib/request'

export const INVITE_STATUSES = ['active', 'used', 'expired', 'revoked'] as const
export type InviteStatus = (typeof INVITE_STATUSES)[number]

/** An invite as GET /api/v1/admin/invites lists it (never with its code). */
export interface InviteView {
  id: string
  unit: { code: string; name: string }
  roles: Role[]
  name: string | null
  label: string | null
  status: InviteStatus
  createdAt: string
  expiresAt: string
  usedAt: string | null
  usedBy: string | null
}

/** A freshly created or re-issued invite: the only time the API returns its code. */
export interface IssuedInvite {
  code: string
  invite: InviteView
}

export interface UnitOption {
  code: string
  name: string
  type: UnitType
  parent: string | null
}

/** Invite list filters; empty strings mean "any". */
export interface InviteFilters {
  unit: string
  status: '' | InviteStatus
}

export function listUnits(): Promise<UnitOption[]> {
  return request<UnitOption[]>('/api/v1/units')
}

export function listInvites(filters: InviteFilters): Promise<InviteView[]> {
  const q = new URLSearchParams()
  if (filters.unit.trim()) q.set('unit', filters.unit.trim())
  if (filters.status) q.set('status', filters.status)
  const qs = q.toString()
  return request<InviteView[]>(`/api/v1/admin/invites${qs ? `?${qs}` : ''}`)
}

export function createInvite(input: CreateInviteInput): Promise<IssuedInvite> {
  return request<IssuedInvite>('/api/v1/admin/invites', { method: 'POST', data: { ...input } })
}

export function revokeInvite(id: string): Promise<{ id: string; status: 'revoked' }> {
  return request(`/api/v1/admin/invites/${encodeURIComponent(id)}/revoke`, { method: 'POST' })
}

export function reissueInvite(id: string): Promise<IssuedInvite> {
  return request<IssuedInvite>(`/api/v1/admin/invites/${encodeURIComponent(id)}/reissue`, { method: 'POST' })
}

/** A unit as the admin page manages it (GET /admin/units lists deactivated ones too). */
export interface AdminUnit extends UnitOption {
  active: boolean
}

export function listAdminUnits(): Promise<AdminUnit[]> {
  return request<AdminUnit[]>('/api/v1/admin/units')
}

export function createUnit(input: CreateUnitInput): Promise<AdminUnit> {
  return request<AdminUnit>('/api/v1/admin/units', { method: 'POST', data: { ...input } })
}

export function updateUnit(code: string, input: UpdateUnitInput): Promise<AdminUnit> {
  return request<AdminUnit>(`/api/v1/admin/units/${encodeURIComponent(code)}`, { method: 'PATCH', data: { ...input } })
}

export function deactivateUnit(code: string): Promise<AdminUnit> {
  return request<AdminUnit>(`/api/v1/admin/units/${encodeURIComponent(code)}/deactivate`, { method: 'POST' })
}
