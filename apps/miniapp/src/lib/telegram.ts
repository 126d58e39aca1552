import { isH5 } from './env'

// Telegram Mini App: Telegram opens the H5 build with `#tgWebAppData=<initData>&...` and, when its
// script is loaded, exposes window.Telegram.WebApp. The server verifies initData's signature.

interface TelegramWebApp {
  initData?: string
  ready?: () => void
  expand?: () => void
}

let captured: string | null | undefined

function webApp(): TelegramWebApp | undefined {
  if (typeof window === 'undefined') return undefined
  return (window as unknown as { Telegram?: { WebApp?: TelegramWebApp } }).Telegram?.WebApp
}

/** Reads initData from a location hash (`#tgWebAppData=...`). */
export function initDataFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const data = params.get('tgWebAppData')
  return data && data.includes('hash=') ? data : null
}

/**
 * The Telegram initData when the app runs inside Telegram, else null. Read once, at launch,
 * before the router can rewrite the URL.
 */
export function getTelegramInitData(): string | null {
  if (captured !== undefined) return captured
  if (!isH5() || typeof window === 'undefined') return (captured = null)
  const fromScript = webApp()?.initData
  captured = fromScript ? fromScript : initDataFromHash(window.location.hash)
  return captured
}

/** Tells Telegram the app is ready and may take the full height. */
export function signalTelegramReady(): void {
  const app = webApp()
  app?.ready?.()
  app?.expand?.()
}
