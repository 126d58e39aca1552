import Taro from '@tarojs/taro'

// WeChat sign-in, quarantined here: `wx.login` exists only in the WeChat build. Its code is good
// once, for about five minutes, so a fresh one is taken for every sign-in request.

/** True in the WeChat mini-program build. */
export function isWeapp(): boolean {
  return process.env.TARO_ENV === 'weapp'
}

/**
 * A fresh `wx.login` code for the API to exchange (code2session), or null outside WeChat or when
 * WeChat refuses (no network, user not signed in to WeChat). Never throws: callers fall back to the
 * invite login.
 */
export async function wechatLoginCode(deps: { weapp: () => boolean; login: () => Promise<{ code?: string }> } = { weapp: isWeapp, login: () => Taro.login() }): Promise<string | null> {
  if (!deps.weapp()) return null
  try {
    const { code } = await deps.login()
    return typeof code === 'string' && code ? code : null
  } catch {
    return null
  }
}
