import { describe, expect, it } from "vitest";
import { parseInput } from "../validation.ts";
import { t } from "../i18n.ts";
import {
  ActualRowSchema,
  formatWanYuan,
  formatYuan,
  LOCAL_TAXES,
  localTaxLabelKey,
  matchTaxFigureHeader,
  parseLocalTax,
  parseMoneyFen,
  parseTaxMonth,
  TargetProgressQuerySchema,
  targetRowSchema,
  TargetRowSchema,
  targetStatus,
} from "./index.ts";

describe("money in fen", () => {
  it("parses yuan exactly, without float rounding", () => {
    expect(parseMoneyFen("1234.56")).toBe(123456n);
    expect(parseMoneyFen("0.1")).toBe(10n);
    expect(parseMoneyFen("1,200,000.07")).toBe(120000007n);
    expect(parseMoneyFen("¥ 12")).toBe(1200n);
    expect(parseMoneyFen("1234.50")).toBe(123450n);
    expect(parseMoneyFen("12345678901234.56")).toBe(1234567890123456n);
  });
  it("parses 万元 to fen", () => {
    expect(parseMoneyFen("1200", "wan_yuan")).toBe(1_200_000_000n);
    expect(parseMoneyFen("0.000001", "wan_yuan")).toBe(1n);
    expect(parseMoneyFen("0.0000001", "wan_yuan")).toBeNull();
  });
  it("refuses more decimals than a fen, negatives (unless allowed), words, exponents and huge amounts", () => {
    for (const bad of ["1.234", "-1", "abc", "1e5", "", "12..3", "0x10", "1 2 3a", "99999999999999999"]) expect(parseMoneyFen(bad)).toBeNull();
    expect(parseMoneyFen("-5.5", "yuan", { negative: true })).toBe(-550n);
  });
  it("formats fen as 元 and 万元", () => {
    expect(formatYuan(123456n)).toBe("1,234.56");
    expect(formatYuan("-5")).toBe("-0.05");
    expect(formatWanYuan(1_234_567_890n)).toBe("1,234.57");
    expect(formatWanYuan(0n)).toBe("0.00");
  });
});

describe("taxes, months and headers", () => {
  it("knows the four local taxes by code and by Chinese name", () => {
    expect(LOCAL_TAXES).toHaveLength(4);
    expect(parseLocalTax("房产税")).toBe("property_tax");
    expect(parseLocalTax(" 城镇土地使用税 ")).toBe("urban_land_use_tax");
    expect(parseLocalTax("Vehicle-Vessel-Tax")).toBe("vehicle_vessel_tax");
    expect(parseLocalTax("资源税")).toBe("resource_tax");
    expect(parseLocalTax("契税")).toBeNull();
    expect(parseLocalTax("增值税")).toBeNull();
    for (const tax of LOCAL_TAXES) expect(t("en", localTaxLabelKey(tax))).not.toMatch(/_/);
  });
  it("reads months in the spellings people and Excel use, and nothing else", () => {
    expect(parseTaxMonth("2026-01")).toBe("2026-01");
    expect(parseTaxMonth("2026/3")).toBe("2026-03");
    expect(parseTaxMonth("202611")).toBe("2026-11");
    expect(parseTaxMonth("2026年7月")).toBe("2026-07");
    expect(parseTaxMonth("2026-05-01")).toBe("2026-05");
    for (const bad of ["2026-13", "2026-05-15", "2026.10", "26-01", "", "1999-01"]) expect(parseTaxMonth(bad)).toBeNull();
  });
  it("matches Chinese and English headers, takes the unit from the amount's header, refuses missing and unknown columns", () => {
    const zh = matchTaxFigureHeader("targets", ["年度", "镇街", "税种", "目标（万元）"]);
    expect(zh).toMatchObject({ ok: true, unit: "wan_yuan", positions: { year: 0, town: 1, tax: 2, amount: 3 } });
    expect(matchTaxFigureHeader("actuals", ["\uFEFFmonth", "town", "tax", "amount_yuan"])).toMatchObject({ ok: true, unit: "yuan" });
    const bare = matchTaxFigureHeader("targets", ["年度", "镇街", "税种", "目标"]);
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(t("zh-CN", bare.messageKey, bare.params)).toContain("目标(元)");
    const extra = matchTaxFigureHeader("actuals", ["月份", "镇街", "税种", "入库税款(元)", "备注"]);
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(t("zh-CN", extra.messageKey, extra.params)).toContain("备注");
  });
});

describe("row schemas", () => {
  it("turns a target row into typed values", () => {
    const r = parseInput(TargetRowSchema, { year: "2026", town: "xingfu-town", tax: "房产税", amount: "12000000" }, "zh-CN");
    expect(r).toEqual({ ok: true, data: { year: 2026, town: "xingfu-town", tax: "property_tax", amountFen: 1_200_000_000n } });
    expect(parseInput(targetRowSchema("wan_yuan"), { year: "2026", town: "x", tax: "资源税", amount: "1200" }, "zh-CN")).toMatchObject({ ok: true, data: { amountFen: 1_200_000_000n } });
  });
  it("says what is wrong with each cell, in Chinese and English", () => {
    const zh = parseInput(TargetRowSchema, { year: "26", town: "", tax: "契税", amount: "-3" }, "zh-CN");
    expect(zh.ok).toBe(false);
    if (!zh.ok) {
      expect(zh.fields.year).toContain("四位年份");
      expect(zh.fields.town).toContain("镇街");
      expect(zh.fields.tax).toContain("房产税");
      expect(zh.fields.amount).toContain("不小于 0");
    }
    const en = parseInput(ActualRowSchema, { month: "2026-13", town: "x", tax: "房产税", amount: "1.234" }, "en");
    expect(en.ok).toBe(false);
    if (!en.ok) expect(en.fields).toMatchObject({ month: expect.stringContaining("2026-01"), amount: expect.stringContaining("two decimals") });
  });
  it("accepts a negative month of actuals (refunds)", () => {
    expect(parseInput(ActualRowSchema, { month: "2026-02", town: "x", tax: "车船税", amount: "-100.5" }, "zh-CN")).toMatchObject({ ok: true, data: { amountFen: -10050n } });
  });
  it("validates the progress query", () => {
    expect(parseInput(TargetProgressQuerySchema, { year: "2026" }, "zh-CN")).toMatchObject({ ok: true, data: { year: 2026 } });
    const r = parseInput(TargetProgressQuerySchema, { year: "2026", asOf: "2025-12" }, "zh-CN");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields.asOf).toContain("年度内");
    expect(parseInput(TargetProgressQuerySchema, { year: "abc" }, "en").ok).toBe(false);
  });
});

describe("status", () => {
  it("is behind more than 10 points below the year's share, ahead 10 or more above, on track between", () => {
    expect(targetStatus(1000n, 400n, 0.5)).toBe("on_track");
    expect(targetStatus(1000n, 399n, 0.5)).toBe("behind");
    expect(targetStatus(1000n, 600n, 0.5)).toBe("ahead");
    expect(targetStatus(null, 600n, 0.5)).toBe("no_target");
    expect(targetStatus(0n, 600n, 0.5)).toBe("no_target");
    expect(targetStatus(1000n, 0n, 0)).toBe("no_data");
  });
});
