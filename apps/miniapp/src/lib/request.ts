import Taro from '@tarojs/taro'
import { t, type FieldErrors, type Locale } from '@xieshui/core'
import { apiBase } from './env'
import { getLocale } from './i18n'
import { clearSession, getToken } from './session'

/**
 * Every failed API call, typed. `fields` maps a field path (`code`, `data.address`) to the message
 * shown next to that field; `message` goes on top of the form. Network failures have status 0 and code `network`.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldErrors
  readonly reason: string | undefined

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}, reason?: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.reason = reason
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  /** JSON body (or query for GET). */
  data?: Record<string, unknown> | unknown[]
  /** Send the bearer token (default true). */
  auth?: boolean
  /**
   * Anonymous mode, for the tip pages: no bearer token even when signed in, no cookies
   * (`credentials: 'omit'` on H5), and a 401 never touches the session. A signed-in staff member
   * files a tip exactly like a citizen, so nothing on the wire links the two.
   */
  anonymous?: boolean
  timeoutMs?: number
}

let onUnauthorized: (() => void) | null = null

/** Called after a signed-in request got 401 and the session was cleared (the app sends the user to login). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}

function fallbackCode(status: number): string {
  if (status === 400) return 'invalid_input'
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limited'
  return 'internal'
}

function fallbackMessage(code: string, locale: Locale): string {
  switch (code) {
    case 'invalid_input': return t(locale, 'error-invalid-input')
    case 'unauthorized': return t(locale, 'error-unauthorized')
    case 'forbidden': return t(locale, 'error-forbidden')
    case 'not_found': return t(locale, 'error-not-found')
    case 'conflict': return t(locale, 'error-conflict')
    case 'payload_too_large': return t(locale, 'error-payload-too-large')
    case 'rate_limited': return t(locale, 'error-rate-limited')
    default: return t(locale, 'error-internal')
  }
}

/** Maps a non-2xx response to an ApiError, tolerating bodies that are not the API's error shape (proxies, HTML). */
export function toApiError(status: number, body: unknown, locale: Locale): ApiError {
  const parsed = parseBody(body)
  const err = parsed && typeof parsed === 'object' ? (parsed as { error?: unknown }).error : undefined
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; fields?: unknown; reason?: unknown }
    const code = typeof e.code === 'string' ? e.code : fallbackCode(status)
    const message = typeof e.message === 'string' && e.message ? e.message : fallbackMessage(code, locale)
    const fields: FieldErrors = {}
    if (e.fields && typeof e.fields === 'object') {
      for (const [path, value] of Object.entries(e.fields as Record<string, unknown>)) {
        if (typeof value === 'string') fields[path] = value
      }
    }
    return new ApiError(status, code, message, fields, typeof e.reason === 'string' ? e.reason : undefined)
  }
  const code = fallbackCode(status)
  return new ApiError(status, code, fallbackMessage(code, locale))
}

/**
 * The one way the app talks to the API: base URL from TARO_APP_API_BASE, bearer token, Accept-Language
 * from the chosen locale, JSON both ways. Resolves with the parsed body (undefined for 204); rejects with ApiError.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const locale = getLocale()
  const method = options.method ?? 'GET'
  const header: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale }
  const token = options.auth === false || options.anonymous ? null : getToken()
  if (token) header.Authorization = `Bearer ${token}`
  // Always send a JSON body on writes: a JSON content type with an empty body is a 400 on Fastify.
  const data = method === 'GET' ? options.data : (options.data ?? {})
  if (method !== 'GET') header['Content-Type'] = 'application/json'

  let response: { statusCode: number; data: unknown }
  try {
    response = await Taro.request({
      url: `${apiBase()}${path}`,
      method,
      data,
      header,
      dataType: 'json',
      timeout: options.timeoutMs ?? 20_000,
      ...(options.anonymous ? { credentials: 'omit' as const } : {}),
    })
  } catch {
    throw new ApiError(0, 'network', t(locale, 'app-error-network'))
  }

  const status = response.statusCode
  if (status >= 200 && status < 300) return (status === 204 ? undefined : parseBody(response.data)) as T
  if (!status) throw new ApiError(0, 'network', t(locale, 'app-error-network'))

  const error = toApiError(status, response.data, locale)
  if (status === 401 && token) {
    clearSession()
    onUnauthorized?.()
  }
  throw error
}

/** True for an ApiError (narrowing helper for catch blocks). */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

/** What a failed submit means for a form: messages for its own fields, and one message for the rest. */
export interface FormProblems {
  fields: FieldErrors
  message: string | null
}

/**
 * Splits any failure of a submit for the form that made it. `fieldOf` maps an API field path
 * (`data.tenantIdNo`, `expiresInDays`) to the form's field name, or null when the form has no such
 * field; those messages, a network failure (`networkMessage` when the form keeps a draft) and
 * anything unexpected become `message`, which the form shows next to its submit button.
 */
export function formProblems(error: unknown, fieldOf: (path: string) => string | null = (p) => p, networkMessage?: string): FormProblems {
  const locale = getLocale()
  if (!isApiError(error)) return { fields: {}, message: t(locale, 'error-internal') }
  if (error.code === 'network') return { fields: {}, message: networkMessage ?? error.message }
  const fields: FieldErrors = {}
  const other: string[] = []
  for (const [path, message] of Object.entries(error.fields)) {
    const name = fieldOf(path)
    if (name) fields[name] ??= message
    else other.push(message)
  }
  const message = other.length ? other.join('；') : Object.keys(fields).length ? null : error.message
  return { fields, message }
}
