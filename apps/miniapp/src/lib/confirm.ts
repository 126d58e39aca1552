import Taro from '@tarojs/taro'
import { translate } from './i18n'

/**
 * Asks before a step that cannot be taken back (accept, return, sign out, revoke, deactivate):
 * the platform's own dialog (wx.showModal; a modal on H5). Resolves true to go ahead; a dialog that
 * cannot be shown counts as "no".
 */
export async function confirmAction(opts: { title: string; content: string; confirmText: string }): Promise<boolean> {
  try {
    const answer = await Taro.showModal({
      title: opts.title,
      content: opts.content,
      confirmText: opts.confirmText,
      cancelText: translate('app-admin-cancel'),
      confirmColor: '#c62828',
    })
    return answer.confirm
  } catch {
    return false
  }
}
