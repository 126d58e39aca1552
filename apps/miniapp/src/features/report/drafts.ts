import { readStorage, removeStorage, writeStorage } from '../../lib/storage'
import type { FormValues } from './form-model'

/** A photo picked for a report: a local path, and the server's id once uploaded (each is sent once). */
export interface DraftPhoto {
  path: string
  uploadedId?: string
}

/**
 * A report being written, kept on the device per type so it survives the app being closed.
 * `clientId` is made once per draft and sent with every submit attempt: a retry or a double tap
 * returns the first report instead of filing a second.
 */
export interface ReportDraft {
  v: 1
  type: string
  clientId: string
  values: FormValues
  photos: DraftPhoto[]
  savedAt: number
  /**
   * Values the app filled in for the user (a failed check gives plate, years, place, vehicle type):
   * not the user's typing, so they never count as a draft "restored" or "saved".
   */
  seed?: FormValues
}

const PREFIX = 'xieshui.report-draft.'

/** A random id the API accepts (8-64 of [A-Za-z0-9_-]); crypto when the platform has it. */
export function newClientId(): string {
  const bytes = new Uint8Array(16)
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto
  if (c?.getRandomValues) c.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return `m-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

function isDraft(value: unknown, type: string): value is ReportDraft {
  if (!value || typeof value !== 'object') return false
  const d = value as Partial<ReportDraft>
  return d.v === 1 && d.type === type && typeof d.clientId === 'string' && !!d.values && typeof d.values === 'object' && Array.isArray(d.photos)
}

/** The stored draft of a type, or null. Photos that cannot outlive the page (H5 blob: URLs) are dropped. */
export function loadDraft(type: string): ReportDraft | null {
  const stored = readStorage<unknown>(PREFIX + type)
  if (!isDraft(stored, type)) return null
  return { ...stored, photos: stored.photos.filter((p) => typeof p.path === 'string' && !p.path.startsWith('blob:')) }
}

/** A fresh draft with its own clientId. */
export function createDraft(type: string, values: FormValues): ReportDraft {
  return { v: 1, type, clientId: newClientId(), values, photos: [], savedAt: Date.now() }
}

/** A fresh draft whose values the app filled in (see ReportDraft.seed). */
export function createSeededDraft(type: string, seed: FormValues): ReportDraft {
  return { ...createDraft(type, { ...seed }), seed: { ...seed } }
}

/** What the user typed into a draft: values that are not empty and not as the app filled them in. */
export function typedValues(draft: ReportDraft): FormValues {
  return Object.fromEntries(Object.entries(draft.values).filter(([k, v]) => v.trim() !== '' && v !== (draft.seed?.[k] ?? '')))
}

/** Stores a draft (after every change). */
export function saveDraft(draft: ReportDraft): void {
  writeStorage(PREFIX + draft.type, { ...draft, savedAt: Date.now() })
}

/** Forgets a type's draft (after a successful submit, or when the user starts over). */
export function clearDraft(type: string): void {
  removeStorage(PREFIX + type)
}

/** True when a draft holds anything the user typed or picked (values the app filled in do not count). */
export function hasContent(draft: ReportDraft): boolean {
  return draft.photos.length > 0 || Object.keys(typedValues(draft)).length > 0
}
