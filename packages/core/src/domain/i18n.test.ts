import { describe, expect, it } from "vitest";
import { catalogues, resolveLocale, t } from "./i18n.ts";

describe("message catalogues", () => {
  it("gives every zh-CN key an English text and no English-only keys", () => {
    const zh = Object.keys(catalogues["zh-CN"]).sort();
    const en = Object.keys(catalogues.en).sort();
    expect(en).toEqual(zh);
    for (const key of en) expect(catalogues.en[key as keyof typeof catalogues.en], key).not.toBe("");
  });

  it("uses the same placeables in both languages", () => {
    const names = (s: string) => [...s.matchAll(/\{\s*\$([a-zA-Z0-9_-]+)\s*\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalogues["zh-CN"]) as (keyof (typeof catalogues)["en"])[]) {
      expect(names(catalogues.en[key]), key).toEqual(names(catalogues["zh-CN"][key]));
    }
  });

  it("keeps keys usable as Fluent message ids", () => {
    for (const key of Object.keys(catalogues["zh-CN"])) expect(key).toMatch(/^[a-zA-Z][a-zA-Z0-9_-]*$/);
  });

  it("fills placeables and leaves unknown ones visible", () => {
    expect(t("zh-CN", "field-too-long", { max: 40 })).toBe("太长了，最多 40 个字");
    expect(t("en", "field-too-long")).toContain("{ $max }");
  });

  it("chooses English only for English language hints", () => {
    expect(resolveLocale("en-US,en;q=0.9")).toBe("en");
    expect(resolveLocale("en")).toBe("en");
    expect(resolveLocale("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh-CN");
    expect(resolveLocale("ru")).toBe("zh-CN");
    expect(resolveLocale(undefined)).toBe("zh-CN");
  });
});
