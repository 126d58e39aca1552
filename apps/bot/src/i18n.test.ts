import { describe, expect, it } from "vitest";
import { I18n } from "@grammyjs/i18n";
import { catalogues, LOCALES, t, type MessageKey } from "@xieshui/core";
import { toFluentSource, translator } from "./i18n.ts";

function fluent(catalogue: Record<string, string>) {
  const i18n = new I18n({ defaultLocale: "x", fluentBundleOptions: { useIsolating: false } });
  i18n.loadLocaleSync("x", { source: toFluentSource(catalogue) });
  return (key: string, vars?: Record<string, string>) => i18n.t("x", key, vars);
}

describe("core catalogues in Fluent", () => {
  it("renders every message of every locale exactly as core's t() does", () => {
    const i18n = new I18n({ defaultLocale: "zh-CN", fluentBundleOptions: { useIsolating: false } });
    for (const locale of LOCALES) i18n.loadLocaleSync(locale, { source: toFluentSource(catalogues[locale]) });
    const tr = translator(i18n);
    for (const locale of LOCALES) {
      for (const key of Object.keys(catalogues[locale]) as MessageKey[]) {
        const names = [...catalogues[locale][key].matchAll(/\{\s*\$([\w-]+)\s*\}/g)].map((m) => m[1]!);
        const params = Object.fromEntries(names.map((n, i) => [n, `<${n}:${i}>`]));
        expect(tr(locale, key, params), `${locale} ${key}`).toBe(t(locale, key, params));
      }
    }
  });

  it("keeps literal braces, leading syntax characters, blank lines and edge spaces", () => {
    const tr = fluent({
      braces: "JSON {\"a\": 1} and { $n }",
      multi: "first\n\n[second]\n*third\n.fourth\n  indented",
      spaces: ", ",
      empty: "",
    });
    expect(tr("braces", { n: "2" })).toBe('JSON {"a": 1} and 2');
    expect(tr("multi")).toBe("first\n\n[second]\n*third\n.fourth\n  indented");
    expect(tr("spaces")).toBe(", ");
    expect(tr("empty")).toBe("");
  });

  it("refuses keys Fluent cannot represent", () => {
    expect(() => toFluentSource({ "1bad": "x" })).toThrow(/Fluent identifier/);
  });
});
