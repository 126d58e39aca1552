import { confirmAction } from '../../lib/confirm'
import { translate } from '../../lib/i18n'
import { ApiError } from '../../lib/request'
import { getSession, setSession, updateUser, clearSession } from '../../lib/session'
import { getTelegramInitData } from '../../lib/telegram'
import { fetchMe, logout, signInWithTelegram } from './api'

/** What the app should do after launch. */
export type BootstrapOutcome = 'signed-in' | 'anonymous' | 'go-login' | 'telegram-unknown'

/**
 * Runs once at launch. Inside Telegram without a session: sign in with initData (the endpoint may not
 * exist yet: any failure sends the user to the login page). With a stored token: refresh the user;
 * a 401 clears the session (request.ts), a network error keeps the cached user for offline use.
 */
export async function bootstrapSession(): Promise<BootstrapOutcome> {
  const { token } = getSession()
  if (!token) {
    const initData = getTelegramInitData()
    if (!initData) return 'anonymous'
    try {
      const result = await signInWithTelegram(initData)
      setSession(result.token, result.user)
      return 'signed-in'
    } catch {
      return 'telegram-unknown'
    }
  }
  try {
    updateUser(await fetchMe())
    return 'signed-in'
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return 'go-login'
    return getSession().user ? 'signed-in' : 'anonymous'
  }
}

/** Ends the session on the server (best effort) and locally (always). */
export async function signOut(): Promise<void> {
  try {
    await logout()
  } catch {
    // The local session is dropped anyway; an unreachable server must not keep the user signed in.
  }
  clearSession()
}

/** Asks before signing out: coming back needs an invite or link code again. */
export function confirmSignOut(): Promise<boolean> {
  return confirmAction({ title: translate('fs-confirm-logout-title'), content: translate('fs-confirm-logout-text'), confirmText: translate('fs-confirm-logout-yes') })
}
