import { zhCN } from "./messages/zh-CN/index.ts";
import { en } from "./messages/en/index.ts";

/** UI languages. Chinese first; English for users who ask for it. */
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

/** Every message key. The zh-CN catalogue defines them; the English one must match (checked by type and test). */
export type MessageKey = keyof typeof zhCN;
export type MessageParams = Record<string, string | number>;

/** One catalogue per locale. Values use Fluent placeable syntax `{ $name }` so the bot can load them into Fluent. */
export const catalogues: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

/** True when the string is a known message key. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

/**
 * Translates a key. Unknown params stay visible as `{ $x }` so a missing value is noticed, never
 * silently dropped. Falls back to zh-CN, then to the key itself.
 */
export function t(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[locale][key] ?? zhCN[key] ?? key;
  if (!params) return template;
  return template.replace(/\{\s*\$([a-zA-Z0-9_-]+)\s*\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/**
 * Picks a locale from an Accept-Language header or a Telegram `language_code`.
 * Anything English gets English; everything else (including no header) gets Chinese.
 */
export function resolveLocale(hint: string | null | undefined): Locale {
  if (!hint) return DEFAULT_LOCALE;
  const first = hint.split(",")[0]?.trim().toLowerCase() ?? "";
  if (first.startsWith("en")) return "en";
  return DEFAULT_LOCALE;
}
