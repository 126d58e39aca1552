// First: zod's CSP-safe mode must be set before any schema is built (see csp.ts).
import './csp'
import Taro, { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { bootstrapSession } from './features/auth/bootstrap'
import { setUnauthorizedHandler } from './lib/request'
import { getTelegramInitData, signalTelegramReady } from './lib/telegram'
import './app.css'

const LOGIN_URL = '/pages/login/index'

// Telegram passes initData in the URL hash, and Taro's H5 router rewrites the URL before launch
// hooks run: read it while the module loads (a no-op outside the H5 build).
getTelegramInitData()

function goLogin(from?: string): void {
  void Taro.reLaunch({ url: from ? `${LOGIN_URL}?from=${from}` : LOGIN_URL })
}

// The composition root: wires the 401 handler and signs in (stored token or Telegram initData) at launch.
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    signalTelegramReady()
    setUnauthorizedHandler(() => goLogin())
    void bootstrapSession().then((outcome) => {
      if (outcome === 'go-login') goLogin()
      if (outcome === 'telegram-unknown') goLogin('telegram')
    })
  })
  return children
}

export default App
