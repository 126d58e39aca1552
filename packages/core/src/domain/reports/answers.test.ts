import { describe, expect, it } from "vitest";
import { parseFieldAnswer, reportSummaryLines } from "./answers.ts";
import { PERFORMANCE_FIELDS, RENTAL_FIELDS, VEHICLE_FIELDS } from "./report-types.ts";

const field = (fields: typeof RENTAL_FIELDS, name: string) => fields.find((f) => f.name === name)!;

describe("typed answers (bot conversation, text inputs)", () => {
  it("reads money, areas and counts as people type them", () => {
    expect(parseFieldAnswer(field(RENTAL_FIELDS, "monthlyRent"), "１,２００元", "zh-CN")).toEqual({ ok: true, data: 1200 });
    expect(parseFieldAnswer(field(RENTAL_FIELDS, "area"), "85.5 平方米", "zh-CN")).toEqual({ ok: true, data: 85.5 });
    expect(parseFieldAnswer(field(PERFORMANCE_FIELDS, "shows"), "2场", "zh-CN")).toEqual({ ok: true, data: 2 });
    const bad = parseFieldAnswer(field(RENTAL_FIELDS, "monthlyRent"), "一千二", "zh-CN");
    expect(!bad.ok && bad.fields.monthlyRent).toBe("请填写数字，例如 1200");
    const neg = parseFieldAnswer(field(RENTAL_FIELDS, "monthlyRent"), "-5", "en");
    expect(neg.ok).toBe(false);
  });

  it("picks enum options by label, value or number", () => {
    const use = field(RENTAL_FIELDS, "use");
    expect(parseFieldAnswer(use, "居住", "zh-CN")).toEqual({ ok: true, data: "residential" });
    expect(parseFieldAnswer(use, "Business", "en")).toEqual({ ok: true, data: "business" });
    expect(parseFieldAnswer(use, "2", "zh-CN")).toEqual({ ok: true, data: "business" });
    const bad = parseFieldAnswer(use, "办公", "zh-CN");
    expect(!bad.ok && bad.fields.use).toBe("请从以下选项中选择：居住 / 经营");
  });

  it("reads lists of years and skips optional fields", () => {
    expect(parseFieldAnswer(field(VEHICLE_FIELDS, "missingYears"), "2025年、2026年", "zh-CN")).toEqual({ ok: true, data: [2025, 2026] });
    expect(parseFieldAnswer(field(VEHICLE_FIELDS, "missingYears"), "去年", "zh-CN").ok).toBe(false);
    expect(parseFieldAnswer(field(VEHICLE_FIELDS, "ownerIdNo"), "无", "zh-CN")).toEqual({ ok: true, data: undefined });
    expect(parseFieldAnswer(field(VEHICLE_FIELDS, "plate"), "", "zh-CN").ok).toBe(false);
  });

  it("summarises a draft with labels for the confirm step", () => {
    const lines = reportSummaryLines(RENTAL_FIELDS, { use: "business", leaseStart: "2026-11-01" }, "zh-CN");
    expect(lines.find((l) => l.name === "use")).toEqual({ name: "use", label: "用途", value: "经营" });
    expect(lines.find((l) => l.name === "note")!.value).toBe("—");
  });
});
