// Build-time settings. Only TARO_APP_* variables are inlined by Taro; nothing else from process.env may be read.

const DEV_API_BASE = 'http://127.0.0.1:3000'

/** Base URL of the API without a trailing slash. Empty on H5 means same origin (the API serves the H5 build). */
export function apiBase(): string {
  const configured = (process.env.TARO_APP_API_BASE ?? '').trim().replace(/\/+$/, '')
  if (configured) return configured
  // A mini program cannot use relative URLs.
  return process.env.TARO_ENV === 'h5' ? '' : DEV_API_BASE
}

/** True in the H5 build (browser, Telegram Mini App). */
export function isH5(): boolean {
  return process.env.TARO_ENV === 'h5'
}
