import Taro from '@tarojs/taro'
import { isH5 } from './env'

/**
 * Brings an element of the current page into view, where the eye is (the first problem of a form,
 * a prompt that replaced the submit button). H5 keeps earlier pages in the DOM with the same ids, so
 * there the visible one is chosen; WeChat scrolls its page by selector.
 */
export function scrollToId(id: string): void {
  if (isH5() && typeof document !== 'undefined') {
    const shown = Array.from(document.querySelectorAll<HTMLElement>(`[id="${id}"]`)).filter((el) => el.getClientRects().length > 0)
    const target = shown[shown.length - 1]
    if (target && typeof target.scrollIntoView === 'function') {
      target.scrollIntoView({ block: 'center', behavior: 'smooth' })
      return
    }
  }
  if (typeof Taro.pageScrollTo === 'function') {
    void Promise.resolve(Taro.pageScrollTo({ selector: `#${id}`, duration: 200, offsetTop: -120 })).catch(() => undefined)
  }
}
