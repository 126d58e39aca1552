import type { Context } from "grammy";
import { I18n } from "@grammyjs/i18n";
import { catalogues, DEFAULT_LOCALE, LOCALES, type Locale, type MessageKey, type MessageParams } from "@xieshui/core";

const PLACEABLE = /(\{\s*\$[A-Za-z][\w-]*\s*\})/;

function escapeLiteral(text: string): string {
  return text.replace(/[{}]/g, (brace) => `{"${brace}"}`);
}

function escapeLine(line: string): string {
  // Fluent strips indentation and trailing blanks and treats a leading [ * . as syntax: quote them.
  let out = line
    .split(PLACEABLE)
    .map((part, i) => (i % 2 === 1 ? part : escapeLiteral(part)))
    .join("");
  out = out.replace(/^(\s+)/, (ws) => `{"${ws}"}`).replace(/(\s+)$/, (ws) => `{"${ws}"}`);
  if (/^[[*.]/.test(out)) out = `{"${out[0]}"}${out.slice(1)}`;
  return out;
}

/**
 * Converts one core catalogue (`key -> text with { $x } placeables`) to Fluent source. Core keeps
 * the only copy of the texts; the bot never ships its own .ftl files.
 */
export function toFluentSource(catalogue: Record<string, string>): string {
  const out: string[] = [];
  for (const [key, value] of Object.entries(catalogue)) {
    if (!/^[A-Za-z][\w-]*$/.test(key)) throw new Error(`message key is not a Fluent identifier: ${key}`);
    const lines = value.split("\n").map(escapeLine);
    if (value === "") out.push(`${key} = {""}`);
    else if (lines.length === 1) out.push(`${key} = ${lines[0]}`);
    else out.push(`${key} =\n${lines.map((l) => (l === "" ? "" : `    ${l}`)).join("\n")}`);
  }
  return `${out.join("\n")}\n`;
}

/** The bot's i18n plugin, loaded from the core catalogues; zh-CN is the default. */
export function createI18n<C extends Context>(localeNegotiator: (ctx: C) => Locale): I18n<C> {
  const i18n = new I18n<C>({
    defaultLocale: DEFAULT_LOCALE,
    localeNegotiator,
    fluentBundleOptions: { useIsolating: false },
  });
  for (const locale of LOCALES) i18n.loadLocaleSync(locale, { source: toFluentSource(catalogues[locale]) });
  return i18n;
}

/** Fluent formats numbers per locale (2026 -> "2,026"); core's t() does not. Pass strings to match. */
export function stringParams(params: MessageParams | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = String(v);
  return out;
}

/** A translator outside a context (outbox, command menu). */
export type Translate = (locale: Locale, key: MessageKey, params?: MessageParams) => string;

/** Wraps an I18n instance as a {@link Translate} function. */
export function translator<C extends Context>(i18n: I18n<C>): Translate {
  return (locale, key, params) => i18n.t(locale, key, stringParams(params));
}
