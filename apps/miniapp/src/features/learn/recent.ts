import { readStorage, writeStorage, removeStorage } from '../../lib/storage'

const KEY = 'xieshui.learn.recent'
/** How many recent searches the learn page keeps. */
export const RECENT_MAX = 8

/** Recent searches on this device, newest first (kept only locally, never sent anywhere). */
export function readRecent(): string[] {
  const value = readStorage<unknown>(KEY)
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').slice(0, RECENT_MAX) : []
}

/** Puts a search first (without duplicates) and returns the new list. */
export function rememberSearch(q: string): string[] {
  const query = q.trim()
  if (!query) return readRecent()
  const next = [query, ...readRecent().filter((r) => r !== query)].slice(0, RECENT_MAX)
  writeStorage(KEY, next)
  return next
}

export function clearRecent(): void {
  removeStorage(KEY)
}
