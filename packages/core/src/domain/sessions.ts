import { t, type Locale, type MessageKey } from "./i18n.ts";

/** The operating systems a session list names (proper nouns, the same in every language). */
export type DeviceOs = "iPhone" | "iPad" | "Android" | "HarmonyOS" | "Windows" | "Mac" | "ChromeOS" | "Linux";
/** The apps a session list names; WeChat's and WeCom's names are translated. */
export type DeviceApp = "wechat" | "wecom" | "telegram" | "edge" | "firefox" | "chrome" | "safari";

/** What a User-Agent says about the device, as far as a person would recognise it; null when it says nothing useful. */
export function describeUserAgent(userAgent: string | null | undefined): { os: DeviceOs | null; app: DeviceApp | null } {
  const ua = userAgent ?? "";
  let os: DeviceOs | null = null;
  if (/iPhone/.test(ua)) os = "iPhone";
  else if (/iPad/.test(ua)) os = "iPad";
  else if (/HarmonyOS|OpenHarmony/i.test(ua)) os = "HarmonyOS";
  else if (/Android/.test(ua)) os = "Android";
  else if (/Windows NT/.test(ua)) os = "Windows";
  else if (/CrOS/.test(ua)) os = "ChromeOS";
  else if (/Macintosh|Mac OS X/.test(ua)) os = "Mac";
  else if (/Linux|X11/.test(ua)) os = "Linux";
  let app: DeviceApp | null = null;
  if (/wxwork/i.test(ua)) app = "wecom";
  else if (/MicroMessenger/i.test(ua)) app = "wechat";
  else if (/Telegram/i.test(ua)) app = "telegram";
  else if (/Edg(e|A|iOS)?\//.test(ua)) app = "edge";
  else if (/Firefox\/|FxiOS/.test(ua)) app = "firefox";
  else if (/Chrome\/|CriOS/.test(ua)) app = "chrome";
  else if (/Safari\//.test(ua) && /Version\//.test(ua)) app = "safari";
  return { os, app };
}

const APP_KEYS: Record<DeviceApp, MessageKey> = {
  wechat: "session-app-wechat",
  wecom: "session-app-wecom",
  telegram: "session-app-telegram",
  edge: "session-app-edge",
  firefox: "session-app-firefox",
  chrome: "session-app-chrome",
  safari: "session-app-safari",
};

/**
 * A device label for the session list ("iPhone · 微信", "Windows · Edge"), in the reader's language.
 * Never the raw User-Agent: that is noise to a person and may carry more than they want shown.
 */
export function deviceLabel(userAgent: string | null | undefined, locale: Locale): string {
  const { os, app } = describeUserAgent(userAgent);
  const parts = [os, app ? t(locale, APP_KEYS[app]) : null].filter((p): p is string => !!p);
  return parts.length ? parts.join(" · ") : t(locale, "session-device-unknown");
}

/** Session channels (Session.channel) and how a person reads them. */
export const SESSION_CHANNELS = ["miniapp", "telegram_webapp", "wechat", "api"] as const;
export type SessionChannel = (typeof SESSION_CHANNELS)[number];

/** The channel a session was opened through, in words. */
export function channelLabel(channel: string, locale: Locale): string {
  const known = (SESSION_CHANNELS as readonly string[]).includes(channel) ? (channel as SessionChannel) : "api";
  return t(locale, `session-channel-${known}`);
}
