import type { LinkRedeemInput, RedeemInput, UserView } from '@xieshui/core'
import { request } from '../../lib/request'

/** What a successful sign-in returns. */
export interface AuthResult {
  token: string
  user: UserView
}

/** A one-time code the user sends to the bot as `/link CODE`. */
export interface LinkCode {
  code: string
  expiresAt: string
}

export function redeemInvite(input: RedeemInput): Promise<AuthResult> {
  return request<AuthResult>('/api/v1/auth/redeem', { method: 'POST', data: { ...input }, auth: false })
}

export function redeemLinkCode(input: LinkRedeemInput): Promise<AuthResult> {
  return request<AuthResult>('/api/v1/auth/link', { method: 'POST', data: { ...input }, auth: false })
}

/** A returning WeChat user: a fresh wx.login code alone (404 until a first login with an invite binds the account). */
export function signInWithWechat(code: string): Promise<AuthResult> {
  return request<AuthResult>('/api/v1/auth/wechat', { method: 'POST', data: { code }, auth: false })
}

export function signInWithTelegram(initData: string): Promise<AuthResult> {
  return request<AuthResult>('/api/v1/auth/telegram-webapp', { method: 'POST', data: { initData }, auth: false })
}

export function logout(): Promise<void> {
  return request<void>('/api/v1/auth/logout', { method: 'POST' })
}

export function fetchMe(): Promise<UserView> {
  return request<UserView>('/api/v1/me')
}

export function createLinkCode(): Promise<LinkCode> {
  return request<LinkCode>('/api/v1/me/link-code', { method: 'POST' })
}
