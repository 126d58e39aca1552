import { useCallback } from 'react'
import { DEFAULT_LOCALE, LOCALES, t, type Locale, type MessageKey, type MessageParams } from '@xieshui/core'
import { readStorage, writeStorage } from './storage'
import { createStore, useStore } from './store'

const LOCALE_KEY = 'xieshui.locale'

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

// Chinese first: English only when the user chose it on the profile page.
const localeStore = createStore<Locale>(() => {
  const stored = readStorage<string>(LOCALE_KEY)
  return isLocale(stored) ? stored : DEFAULT_LOCALE
})

/** The chosen UI language (also sent as Accept-Language). */
export function getLocale(): Locale {
  return localeStore.get()
}

/** Switches the UI language and remembers it. */
export function setLocale(locale: Locale): void {
  writeStorage(LOCALE_KEY, locale)
  localeStore.set(locale)
}

/** The current locale; re-renders on change. */
export function useLocale(): Locale {
  return useStore(localeStore)
}

export type Translate = (key: MessageKey, params?: MessageParams) => string

/** A translate function bound to the current locale. */
export function useT(): Translate {
  const locale = useLocale()
  return useCallback((key: MessageKey, params?: MessageParams) => t(locale, key, params), [locale])
}

/** Translates outside React (request errors, toasts). */
export function translate(key: MessageKey, params?: MessageParams): string {
  return t(getLocale(), key, params)
}
