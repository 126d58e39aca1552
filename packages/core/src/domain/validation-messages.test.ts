import { describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "./i18n.ts";
import { ROLES, UNIT_TYPES } from "./units.ts";
import { parseInput } from "./validation.ts";
import { CreateInviteSchema } from "./schemas/auth.ts";
import { CreateUnitSchema } from "./schemas/units.ts";
import { FIELD_KINDS, type FieldKind, type FieldSpec } from "./reports/fields.ts";
import { isEventType, REPORT_TYPES, reportFields, validateField, validateReportData } from "./reports/registry.ts";
import { readFieldAnswer } from "./reports/read-answer.ts";
import { withIdCheckChar } from "./id-number.ts";

const NOW = new Date("2026-12-01T04:00:00Z");
const ID = withIdCheckChar("41010619800101001");

// Empty and bad answers per field kind, as a form sends them (text) and as an API client may (any JSON).
const BAD: Record<FieldKind, unknown[]> = {
  text: ["", "   ", 5, true, [], {}, "x".repeat(1000), "a\u0007b"],
  textarea: ["", 5, "x".repeat(5000)],
  id_number: ["", "123", ID.slice(0, 17) + (ID.endsWith("1") ? "2" : "1"), "41010620991301001X", "ABCDEFGHIJKLMNOPQR", 12, "1".repeat(41)],
  uscc: ["", "abc", "91410100MA00000010", 7],
  id_or_uscc: ["", "12", "9141010OMA0000001Z", 3],
  plate: ["", "ABC", "豫I12345", 1],
  date: ["", "2026-02-30", "tomorrow", "1800-01-01", 5],
  datetime: ["", "2026-13-01 10:00", "2026-12-01", "19:30", "soon", 9],
  number: ["", "abc", "一千", -1, 0, 1e15, true, "1,2,3"],
  money: ["", "abc", -1, 0.001, 1e15],
  integer: ["", "1.5", 1.5, -3, 1e12, "x"],
  enum: ["", "nope", 3, ["residential"], null],
  years: ["", [], "去年", [1800], [2999], [2025, 2025], ["x"], [2020, 2021, 2022, 2023, 2024, 2025, 2026], "2025"],
};

const enumLiterals = new Set<string>([...UNIT_TYPES, ...ROLES]);
const fieldKeys = new Set<string>();
for (const type of REPORT_TYPES) {
  for (const f of reportFields(type)) {
    fieldKeys.add(f.name);
    for (const o of f.options ?? []) enumLiterals.add(o.value);
  }
}

/**
 * What a message for people must never contain. Returns the offending part, or null. English
 * messages may say "ID number" or "venue": there only code-like literals (with `_`) count.
 */
function internals(message: string, locale: Locale): string | null {
  const checks: [RegExp, string][] = [
    [/\b(string|array|object|boolean|bigint|undefined|null|NaN|int|nan)\b/, "type name"],
    [locale === "zh-CN" ? /[A-Za-z]*number[A-Za-z]*/i : /\bnumber\s*[<>=]/, "type name"],
    [/expected (a |an )?(number|string|array|one of)|received|Invalid input|Invalid option|Too (big|small)|期望|实际接收|无效输入|无效选项|数值过/, "zod's own words"],
    [/<=|>=|\s[<>]\s?\d|\/\^|\\d|\[\^|\$\//, "comparison or regex"],
    [/"/, "quoted literal"],
    [/\{\s*\$/, "unfilled placeable"],
  ];
  for (const [re, what] of checks) {
    const m = re.exec(message);
    if (m) return `${what}: ${m[0]}`;
  }
  for (const word of message.split(/[^A-Za-z0-9_-]+/).filter(Boolean)) {
    if (enumLiterals.has(word) && (locale === "zh-CN" || word.includes("_"))) return `enum literal: ${word}`;
    if (fieldKeys.has(word) && /[A-Z_]/.test(word.slice(1))) return `field key: ${word}`;
  }
  return null;
}

function expectHuman(message: string | undefined, context: string, locale: Locale): void {
  expect(message, context).toBeTruthy();
  expect(internals(message!, locale), `${context} → ${message}`).toBeNull();
}

describe("messages for people (one zod-issue mapping for the API, the bot and the mini-app)", () => {
  it("has a bad value for every field kind", () => {
    expect(Object.keys(BAD).sort()).toEqual([...FIELD_KINDS].sort());
  });

  it("walks every field of every report type with empty and bad values, in both languages", () => {
    let checked = 0;
    for (const type of REPORT_TYPES) {
      for (const field of reportFields(type)) {
        for (const raw of BAD[field.kind]) {
          for (const locale of LOCALES) {
            // As the API receives it, and as a form or the bot hands it over after the one reader.
            for (const value of [raw, readFieldAnswer(field, raw), readFieldAnswer(field, raw, { chat: true })]) {
              const r = validateField(field, value, locale);
              if (r.ok) continue;
              expectHuman(r.fields[field.name], `${type.code}.${field.name} (${field.kind}) ${JSON.stringify(value)?.slice(0, 30)} ${locale}`, locale);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("says every problem of a whole bad report in words, field by field", () => {
    for (const type of REPORT_TYPES.filter(isEventType)) {
      for (const locale of LOCALES) {
        const bad = Object.fromEntries(type.fields.map((f) => [f.name, BAD[f.kind][1]]));
        const r = validateReportData(type, { ...bad, stray: 1 }, NOW, locale);
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        for (const [path, message] of Object.entries(r.fields)) expectHuman(message, `${type.code} ${path} ${locale}`, locale);
        const empty = validateReportData(type, {}, NOW, locale);
        if (!empty.ok) for (const [path, message] of Object.entries(empty.fields)) expectHuman(message, `${type.code} empty ${path} ${locale}`, locale);
      }
    }
  });

  it("asks for an unchosen option by the field's label", () => {
    const use = reportFields(REPORT_TYPES[0]!).find((f) => f.name === "use")!;
    expect(validateField(use, undefined, "zh-CN")).toEqual({ ok: false, fields: { use: "请选择用途" } });
    expect(validateField(use, "", "en")).toEqual({ ok: false, fields: { use: "Choose the use" } });
    expect(validateField(use, "office", "zh-CN")).toEqual({ ok: false, fields: { use: "请从 居住 / 经营 中选择" } });
  });

  it("gives a number's limit with its unit", () => {
    const rent = field("rental", "monthlyRent");
    expect(validateField(rent, 20_000_000, "zh-CN")).toEqual({ ok: false, fields: { monthlyRent: "最多 10,000,000 元" } });
    expect(validateField(rent, 0, "zh-CN")).toEqual({ ok: false, fields: { monthlyRent: "须大于 0" } });
    expect(validateField(field("performance", "shows"), 5000, "en")).toEqual({ ok: false, fields: { shows: "At most 1,000 shows" } });
    expect(validateField(field("performance", "ticketPriceMin"), -1, "zh-CN")).toEqual({ ok: false, fields: { ticketPriceMin: "至少 0 元" } });
    const days = parseInput(CreateInviteSchema, { unit: "dongcun", roles: ["reporter"], expiresInDays: 100 }, "zh-CN");
    expect(days).toEqual({ ok: false, fields: { expiresInDays: "最多 90 天" } });
    expect(parseInput(CreateInviteSchema, { unit: "dongcun", roles: ["reporter"], expiresInDays: 100 }, "en")).toEqual({ ok: false, fields: { expiresInDays: "At most 90 days" } });
  });

  it("says what is wrong with an ID number", () => {
    const id = field("rental", "landlordIdNo");
    const say = (v: string) => (validateField(id, v, "zh-CN") as { fields: Record<string, string> }).fields?.landlordIdNo;
    expect(say("4101061980010100")).toBe("身份证号应为 18 位，现在是 16 位");
    expect(say("41010619800101001A")).toBe("身份证号前 17 位都是数字，最后一位是数字或 X");
    expect(say(withIdCheckChar("41010619801301001"))).toContain("出生日期 1980-13-01");
    expect(say(ID.slice(0, 17) + (ID.endsWith("1") ? "2" : "1"))).toContain("校验码");
    expect(validateField(id, ID, "zh-CN").ok).toBe(true);
  });

  it("says which half of a date-time is missing", () => {
    const starts = field("performance", "startsAt");
    expect(validateField(starts, "2026-12-05", "zh-CN")).toEqual({ ok: false, fields: { startsAt: "请选择时间" } });
    expect(validateField(starts, "19:30", "zh-CN")).toEqual({ ok: false, fields: { startsAt: "请选择日期" } });
  });

  it("puts unit-management problems in words too", () => {
    for (const locale of LOCALES as readonly Locale[]) {
      const r = parseInput(CreateUnitSchema, { type: "castle", name: "" }, locale);
      expect(r.ok).toBe(false);
      if (!r.ok) for (const m of Object.values(r.fields)) expectHuman(m, `unit ${locale}`, locale);
    }
    const village = parseInput(CreateUnitSchema, { name: "南村村委会", type: "village" }, "zh-CN");
    expect(village).toEqual({ ok: false, fields: { parent: "村委会和居委会要选所属的镇或街道" } });
    const unchosen = parseInput(CreateUnitSchema, { name: "南村村委会" }, "zh-CN");
    expect(!unchosen.ok && unchosen.fields.type).toBe("请选择单位类型");
  });
});

function field(code: string, name: string): FieldSpec {
  return reportFields(REPORT_TYPES.find((t) => t.code === code)!).find((f) => f.name === name)!;
}
