import type { UserView } from '@xieshui/core'
import { readStorage, removeStorage, writeStorage } from './storage'
import { createStore, useStore } from './store'

const TOKEN_KEY = 'xieshui.token'
const USER_KEY = 'xieshui.user'

/** The signed-in state: an opaque bearer token and the last known user (shown offline, refreshed by GET /me). */
export interface Session {
  token: string | null
  user: UserView | null
}

function isUserView(value: unknown): value is UserView {
  if (!value || typeof value !== 'object') return false
  const v = value as Partial<UserView>
  return typeof v.id === 'string' && typeof v.name === 'string' && Array.isArray(v.roles) && !!v.unit && typeof v.unit.code === 'string'
}

const sessionStore = createStore<Session>(() => {
  const token = readStorage<string>(TOKEN_KEY)
  const user = readStorage<unknown>(USER_KEY)
  if (typeof token !== 'string' || !token) return { token: null, user: null }
  return { token, user: isUserView(user) ? user : null }
})

/** Current session snapshot. */
export function getSession(): Session {
  return sessionStore.get()
}

/** The bearer token, or null when signed out. */
export function getToken(): string | null {
  return sessionStore.get().token
}

/** Stores a fresh sign-in. */
export function setSession(token: string, user: UserView): void {
  writeStorage(TOKEN_KEY, token)
  writeStorage(USER_KEY, user)
  sessionStore.set({ token, user })
}

/** Replaces the cached user (after GET /me) while keeping the token. */
export function updateUser(user: UserView): void {
  const { token } = sessionStore.get()
  if (!token) return
  writeStorage(USER_KEY, user)
  sessionStore.set({ token, user })
}

/** Forgets the token and user (logout, or the server said 401). */
export function clearSession(): void {
  removeStorage(TOKEN_KEY)
  removeStorage(USER_KEY)
  sessionStore.set({ token: null, user: null })
}

/** The session; re-renders on sign-in, sign-out and user refresh. */
export function useSession(): Session {
  return useStore(sessionStore)
}
