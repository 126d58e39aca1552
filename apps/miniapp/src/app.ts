import Taro, { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { bootstrapSession } from './features/auth/bootstrap'
import { setUnauthorizedHandler } from './lib/request'
import { getTelegramInitData, signalTelegramReady } from './lib/telegram'
import './app.css'

const LOGIN_URL = '/pages/login/index'

function goLogin(): void {
  void Taro.reLaunch({ url: LOGIN_URL })
}

// The composition root: wires the 401 handler and signs in (stored token or Telegram initData) at launch.
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    getTelegramInitData() // read before the router touches the URL
    signalTelegramReady()
    setUnauthorizedHandler(goLogin)
    void bootstrapSession().then((outcome) => {
      if (outcome === 'go-login') goLogin()
    })
  })
  return children
}

export default App
