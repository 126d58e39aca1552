import Taro from '@tarojs/taro'
import { isH5 } from '../../lib/env'
import { translate } from '../../lib/i18n'
import { imageMime } from './api'

/** At most this many photos per report (the API refuses more). */
export const MAX_PHOTOS = 6

/** A photo picked on the device: its path, the file on H5, and the MIME type (null = not an image). */
export interface PickedPhoto {
  path: string
  blob?: Blob
  mime: string | null
}

/**
 * Lets the user take or pick photos. `sizeType: ['compressed']` makes WeChat compress on the device
 * before anything is sent. Files that are not JPEG/PNG/WebP come back with `mime: null`.
 */
export async function choosePhotos(count: number): Promise<PickedPhoto[]> {
  let res: Taro.chooseImage.SuccessCallbackResult
  try {
    res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['camera', 'album'] })
  } catch {
    return [] // cancelled
  }
  const files = (res.tempFiles ?? []) as (Taro.chooseImage.ImageFile & { originalFileObj?: File; type?: string })[]
  return res.tempFilePaths.map((path, i) => {
    const file = files[i]
    const blob = isH5() ? file?.originalFileObj : undefined
    const mime = blob ? (/^image\/(jpeg|png|webp)$/.test(blob.type) ? blob.type : null) : imageMime(path)
    return { path, ...(blob ? { blob } : {}), mime }
  })
}

/** The message shown when a picked file is refused before upload. */
export function notImageMessage(): string {
  return translate('photo-not-image')
}
