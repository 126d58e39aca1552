import { describe, expect, it } from "vitest";
import { parseFieldAnswer, reportSummaryLines } from "./answers.ts";
import { parseYearList, readFieldAnswer } from "./read-answer.ts";
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
    expect(!bad.ok && bad.fields.use).toBe("请从 居住 / 经营 中选择");
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

describe("the one reader of answers, as each front end calls it", () => {
  const rent = field(RENTAL_FIELDS, "monthlyRent");
  const years = field(VEHICLE_FIELDS, "missingYears");
  const use = field(RENTAL_FIELDS, "use");
  const note = field(RENTAL_FIELDS, "note");
  const address = field(RENTAL_FIELDS, "address");

  it("reads a mini-app input: typed text, chips' values, the years chooser's list", () => {
    expect(readFieldAnswer(rent, " １,２００ 元 ")).toBe(1200);
    expect(readFieldAnswer(use, "residential")).toBe("residential");
    expect(readFieldAnswer(years, "2026,2025")).toEqual([2025, 2026]);
    expect(readFieldAnswer(address, "   ")).toBeUndefined();
    // A form never turns "2" into the second option, and "无" in a note is what the clerk wrote.
    expect(readFieldAnswer(use, "2")).toBe("2");
    expect(readFieldAnswer(note, "无")).toBe("无");
  });

  it("reads a chat answer: option numbers and skip words", () => {
    expect(readFieldAnswer(use, "2", { chat: true })).toBe("business");
    expect(readFieldAnswer(note, "跳过", { chat: true })).toBeUndefined();
    expect(readFieldAnswer(field(VEHICLE_FIELDS, "plate"), "无", { chat: true })).toBe("无");
  });

  it("reads a spreadsheet cell: numbers, dates and text as exceljs gives them", () => {
    expect(readFieldAnswer(rent, 1200.5)).toBe(1200.5);
    expect(readFieldAnswer(address, 12)).toBe("12");
    expect(readFieldAnswer(field(RENTAL_FIELDS, "leaseStart"), new Date("2026-10-31T16:30:00Z"))).toBe("2026-11-01");
    expect(readFieldAnswer(rent, null)).toBeUndefined();
  });

  it("keeps prose as typed: full-width punctuation, digits and line breaks in notes", () => {
    expect(readFieldAnswer(address, " 幸福镇东村５组，８号：南屋。 ")).toBe("幸福镇东村５组，８号：南屋。");
    expect(readFieldAnswer(note, "第一行\r\n\r\n\r\n第二行  有空格")).toBe("第一行\n\n第二行 有空格");
  });

  it("hands on what does not convert, so the schema says what is wrong in words", () => {
    expect(readFieldAnswer(rent, "一千二")).toBe("一千二");
    expect(parseFieldAnswer(rent, "一千二", "zh-CN")).toEqual({ ok: false, fields: { monthlyRent: "请填写数字，例如 1200" } });
    expect(parseFieldAnswer(years, "2025年、去年", "zh-CN").ok).toBe(false);
    expect(parseYearList("2025年、2026年")).toEqual([2025, 2026]);
    expect(parseYearList("前年")).toBeNull();
  });
});
