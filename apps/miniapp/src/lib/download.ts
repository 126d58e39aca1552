import Taro from '@tarojs/taro'
import { t } from '@xieshui/core'
import { apiBase, isH5 } from './env'
import { getLocale } from './i18n'
import { ApiError, toApiError } from './request'
import { getToken } from './session'

/**
 * Downloads a file the API serves to signed-in users (exports, the meeting pack) with the bearer
 * token: H5 fetches it into a blob and clicks a download link; WeChat uses downloadFile, then
 * openDocument (which can forward or print it). Failures are ApiErrors in the user's language.
 * `fileType` is what openDocument needs to know (none for HTML). Returns the file name.
 */
export async function downloadWithToken(path: string, fileName: string, fileType?: 'csv' | 'xlsx' | 'pdf'): Promise<string> {
  const locale = getLocale()
  const url = `${apiBase()}${path}`
  const header: Record<string, string> = { 'Accept-Language': locale }
  const token = getToken()
  if (token) header.Authorization = `Bearer ${token}`
  if (isH5()) {
    let res: Response
    try {
      res = await fetch(url, { headers: header })
    } catch {
      throw new ApiError(0, 'network', t(locale, 'app-error-network'))
    }
    if (!res.ok) throw toApiError(res.status, await res.text(), locale)
    const href = URL.createObjectURL(await res.blob())
    const a = document.createElement('a')
    a.href = href
    a.download = fileName
    document.body.appendChild(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(href), 60_000)
    return fileName
  }
  const res = await Taro.downloadFile({ url, header }).catch(() => {
    throw new ApiError(0, 'network', t(locale, 'app-error-network'))
  })
  if (res.statusCode < 200 || res.statusCode >= 300) throw toApiError(res.statusCode, null, locale)
  await Taro.openDocument({ filePath: res.tempFilePath, fileType, showMenu: true } as Taro.openDocument.Option)
  return fileName
}
