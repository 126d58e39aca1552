import { describe, expect, it } from "vitest";
import { catalogues } from "../i18n.ts";
import {
  DEFAULT_RULES,
  describeReportType,
  feedDeadline,
  feedDueDate,
  getReportType,
  isEventType,
  matchFeedHeaders,
  normalizeDate,
  parseCstDateTime,
  performanceType,
  PeriodSchema,
  previousPeriod,
  duePeriod,
  nextPeriod,
  rentalType,
  reportTypeJsonSchema,
  reportTypesForUnit,
  REPORT_TYPES,
  validateFeedRows,
  validateField,
  validateReportData,
  vehicleNoClearanceType,
  constructionPermitsFeed,
  type RentalData,
} from "./index.ts";
import { makePerformanceData, makeRentalData, TEST_ID, TEST_USCC } from "../../../../../test/factories/reports.ts";

const ID = TEST_ID;
const USCC = TEST_USCC;
const NOW = new Date("2026-11-26T04:00:00Z"); // 12:00 CST
const rentalData = makeRentalData;
const performanceData = makePerformanceData;

function vehicleData(over: Record<string, unknown> = {}) {
  return { plate: "豫A12345", vehicleType: "小型汽车", ownerName: "王五", missingYears: [2025, 2026], place: "车管所检测站", ...over };
}

describe("report-type registry", () => {
  it("offers each unit type exactly the types it may file", () => {
    expect(reportTypesForUnit("village").map((t) => t.code)).toEqual(["rental"]);
    expect(reportTypesForUnit("community").map((t) => t.code)).toEqual(["rental"]);
    expect(reportTypesForUnit("venue").map((t) => t.code)).toEqual(["performance"]);
    expect(reportTypesForUnit("culture_bureau").map((t) => t.code)).toEqual(["performance"]);
    expect(reportTypesForUnit("traffic_police").map((t) => t.code)).toEqual(["vehicle_no_clearance"]);
    expect(reportTypesForUnit("construction_bureau").map((t) => t.code)).toEqual(["feed_construction_permits"]);
    expect(reportTypesForUnit("tax_bureau")).toEqual([]);
  });

  it("has titles and field labels in both languages, and a JSON Schema per type", () => {
    for (const type of REPORT_TYPES) {
      const view = describeReportType(type);
      expect(view.title["zh-CN"]).not.toBe(type.titleKey);
      for (const f of view.fields) {
        expect(f.label["zh-CN"], f.labelKey).not.toBe(f.labelKey);
        expect(f.label.en, f.labelKey).not.toBe(f.labelKey);
      }
      expect(view.jsonSchema.type).toBe("object");
    }
    const rental = reportTypeJsonSchema(rentalType) as { required: string[]; properties: Record<string, { maxLength?: number }> };
    expect(rental.required).toEqual(
      expect.arrayContaining(["address", "landlordName", "landlordIdNo", "tenantName", "tenantIdNo", "use", "monthlyRent", "area", "leaseStart", "leaseEnd"]),
    );
    expect(rental.required).not.toContain("note");
    expect(rental.properties.address!.maxLength).toBe(200);
    expect((reportTypeJsonSchema(performanceType) as { properties: Record<string, unknown> }).properties.shows).toEqual({ type: "integer", exclusiveMinimum: 0, maximum: 1000 });
  });

  it("keeps the English catalogue in step with the Chinese one", () => {
    expect(Object.keys(catalogues.en).sort()).toEqual(Object.keys(catalogues["zh-CN"]).sort());
  });

  it("uses exactly the data keys of the issue for the three form types", () => {
    const keys = (t: typeof rentalType | typeof performanceType | typeof vehicleNoClearanceType) => t.fields.filter((f) => f.required).map((f) => f.name);
    expect(keys(rentalType)).toEqual(["address", "landlordName", "landlordIdNo", "tenantName", "tenantIdNo", "use", "monthlyRent", "area", "leaseStart", "leaseEnd"]);
    expect(keys(performanceType)).toEqual([
      "title", "troupe", "organizer", "organizerUscc", "venue", "startsAt", "endsAt", "shows", "ticketPriceMin", "ticketPriceMax", "expectedAudience",
    ]);
    expect(vehicleNoClearanceType.fields.map((f) => f.name)).toEqual(["plate", "vehicleType", "ownerName", "ownerIdNo", "missingYears", "place", "note"]);
    expect(isEventType(getReportType("rental")!)).toBe(true);
  });
});

describe("rental", () => {
  it("keeps text as typed (full-width kept, stray spaces gone) and folds codes and dates", () => {
    const r = validateReportData(rentalType, rentalData({ address: "  幸福镇东村３组，  １２号： ", landlordIdNo: ` ${ID.slice(0, 6)} ${ID.slice(6)} `, leaseStart: "2026/11/1" }), NOW, "zh-CN");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.address).toBe("幸福镇东村３组， １２号：");
    expect(r.data.landlordIdNo).toBe(ID);
    expect(r.data.leaseStart).toBe("2026-11-01");
  });

  it("rejects bad GB 11643 / GB 32100 check characters with a message on the field", () => {
    const badId = ID.slice(0, 17) + (ID[17] === "1" ? "2" : "1");
    const badUscc = USCC.slice(0, 17) + (USCC[17] === "1" ? "2" : "1");
    const r = validateReportData(rentalType, rentalData({ landlordIdNo: badId, tenantIdNo: badUscc }), NOW, "zh-CN");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.landlordIdNo).toBe("身份证号最后一位（校验码）对不上，可能有一位输错了，请逐位核对");
    expect(r.fields.tenantIdNo).toBe("统一社会信用代码最后一位（校验码）对不上，可能有一位输错了，请逐位核对");
  });

  it("accepts a tenant who is a person (ID number)", () => {
    expect(validateReportData(rentalType, rentalData({ tenantIdNo: ID }), NOW, "zh-CN").ok).toBe(true);
  });

  it("rejects a lease that ends on or before its start, impossible dates and wrong types", () => {
    const same = validateReportData(rentalType, rentalData({ leaseEnd: "2026-11-01" }), NOW, "en");
    expect(!same.ok && same.fields.leaseEnd).toBe("The lease must end after it starts");
    const feb30 = validateReportData(rentalType, rentalData({ leaseEnd: "2027-02-30" }), NOW, "zh-CN");
    expect(!feb30.ok && feb30.fields.leaseEnd).toContain("日期不正确");
    const types = validateReportData(rentalType, rentalData({ monthlyRent: "1200", area: -1, use: "office" }), NOW, "zh-CN");
    expect(types.ok).toBe(false);
    if (!types.ok) expect(Object.keys(types.fields).sort()).toEqual(["area", "monthlyRent", "use"]);
  });

  it("reports missing fields as required, over-long text and unknown keys", () => {
    const { address: _a, ...rest } = rentalData();
    const r = validateReportData(rentalType, { ...rest, landlordName: "张".repeat(51), extra: 1 }, NOW, "zh-CN");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.address).toBe("请填写地址");
    expect(r.fields.landlordName).toContain("最多 50");
    expect(r.fields.extra).toBe("不认识的字段");
  });

  it("is due within 30 days of the lease start, up to the end of that CST day", () => {
    const d = { leaseStart: "2026-11-01" } as RentalData;
    // due 2026-12-01 23:59:59.999 CST = 2026-12-01T15:59:59.999Z
    expect(rentalType.deadline(d, new Date("2026-12-01T15:59:59.999Z"), DEFAULT_RULES).timeliness).toBe("on_time");
    expect(rentalType.deadline(d, new Date("2026-12-01T16:00:00.000Z"), DEFAULT_RULES).timeliness).toBe("late");
    expect(rentalType.deadline(d, new Date("2026-12-20T00:00:00Z"), { ...DEFAULT_RULES, rentalDueDays: 60 }).timeliness).toBe("on_time");
  });

  it("treats the same address (spacing, width) + landlord + start as a duplicate", () => {
    const a = rentalType.dupKey(rentalData() as unknown as RentalData);
    const b = rentalType.dupKey(rentalData({ address: "幸福镇东村3组12号", tenantName: "别人" }) as unknown as RentalData);
    expect(a).toBe(b);
    expect(rentalType.dupKey(rentalData({ leaseStart: "2026-11-02" }) as unknown as RentalData)).not.toBe(a);
  });
});

describe("performance", () => {
  it("stores date-times in CST and treats a time without zone as CST", () => {
    const r = validateReportData(performanceType, performanceData(), NOW, "zh-CN");
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data.startsAt).toBe("2026-12-05T19:30:00+08:00");
    expect(parseCstDateTime("2026-12-05T11:30:00Z")!.toISOString()).toBe("2026-12-05T11:30:00.000Z");
    expect(parseCstDateTime("2026-12-05 25:00")).toBeNull();
    expect(parseCstDateTime("2026-02-30 10:00")).toBeNull();
  });

  it("rejects an end before the start, ticket min over max and a bad organizer code", () => {
    const r = validateReportData(performanceType, performanceData({ endsAt: "2026-12-05 19:00", ticketPriceMin: 500, organizerUscc: "91410100MA00000010" }), NOW, "zh-CN");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fields).sort()).toEqual(["endsAt", "organizerUscc", "ticketPriceMax"]);
  });

  it("is on time up to the end of the CST day three days before the first show, late until it starts, overdue after", () => {
    const d = { startsAt: "2026-12-05T19:30:00+08:00" } as never;
    // 3 days before 2026-12-05 = 2026-12-02, ends 2026-12-02T15:59:59.999Z
    expect(performanceType.deadline(d, new Date("2026-12-02T15:59:59.999Z"), DEFAULT_RULES).timeliness).toBe("on_time");
    expect(performanceType.deadline(d, new Date("2026-12-02T16:00:00Z"), DEFAULT_RULES).timeliness).toBe("late");
    expect(performanceType.deadline(d, new Date("2026-12-05T11:29:59Z"), DEFAULT_RULES).timeliness).toBe("late");
    expect(performanceType.deadline(d, new Date("2026-12-05T11:30:00Z"), DEFAULT_RULES).timeliness).toBe("overdue");
    expect(performanceType.refuseWhenOverdue).toBe(true);
  });
});

describe("vehicle_no_clearance", () => {
  it("normalises the plate and accepts new-energy plates", () => {
    const r = validateReportData(vehicleNoClearanceType, vehicleData({ plate: "豫ａd 12345" }), NOW, "zh-CN");
    expect(r.ok && r.data.plate).toBe("豫AD12345");
  });

  it("rejects a bad plate, future years, years too old, duplicates, over five years and a bad owner ID", () => {
    const bad = (over: Record<string, unknown>) => {
      const r = validateReportData(vehicleNoClearanceType, vehicleData(over), NOW, "zh-CN");
      return r.ok ? null : Object.keys(r.fields);
    };
    expect(bad({ plate: "豫A1234" })).toEqual(["plate"]);
    expect(bad({ missingYears: [2027] })).toEqual(["missingYears"]);
    expect(bad({ missingYears: [2020] })).toEqual(["missingYears"]);
    expect(bad({ missingYears: [2021] })).toBeNull();
    expect(bad({ missingYears: [2025, 2025] })).toEqual(["missingYears"]);
    expect(bad({ missingYears: [2021, 2022, 2023, 2024, 2025, 2026] })).toEqual(["missingYears"]);
    expect(bad({ missingYears: [] })).toEqual(["missingYears"]);
    expect(bad({ ownerIdNo: "123" })).toEqual(["ownerIdNo"]);
    expect(bad({ ownerIdNo: "" })).toBeNull();
    expect(bad({ ownerIdNo: ID })).toBeNull();
  });

  it("uses the CST year: 2026-12-31T16:00Z is already 2027 in China", () => {
    const r = validateReportData(vehicleNoClearanceType, vehicleData({ missingYears: [2027] }), new Date("2026-12-31T16:00:00Z"), "zh-CN");
    expect(r.ok).toBe(true);
  });
});

describe("single field validation (bot re-asks at once)", () => {
  it("returns the normalised value or the reason", () => {
    const plate = vehicleNoClearanceType.fields[0]!;
    expect(validateField(plate, "豫a·12345", "zh-CN")).toEqual({ ok: true, data: "豫A12345" });
    const r = validateField(plate, "ABC", "en");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fields.plate).toContain("Not a valid plate");
  });
});

describe("periodic feeds", () => {
  it("are due by the 10th of the following month, end of the CST day", () => {
    expect(feedDueDate(constructionPermitsFeed, "2026-12")).toBe("2027-01-10");
    expect(feedDeadline(constructionPermitsFeed, "2026-10", new Date("2026-11-10T15:59:59.999Z")).timeliness).toBe("on_time");
    expect(feedDeadline(constructionPermitsFeed, "2026-10", new Date("2026-11-10T16:00:00Z")).timeliness).toBe("late");
    expect(previousPeriod("2026-01")).toBe("2025-12");
    expect(nextPeriod("2026-12")).toBe("2027-01");
    // 2026-11-30 23:30 UTC is already 1 December in CST: November is the period due now.
    expect(duePeriod(new Date("2026-11-30T16:30:00Z"))).toBe("2026-11");
    expect(duePeriod(new Date("2026-11-30T15:59:59Z"))).toBe("2026-10");
    expect(duePeriod(new Date("2026-01-05T00:00:00Z"))).toBe("2025-12");
    expect(PeriodSchema.safeParse("2026年3月").success).toBe(false);
    expect(PeriodSchema.safeParse("2026-03").success).toBe(true);
    expect(PeriodSchema.safeParse("2026-13").success).toBe(false);
  });

  it("matches headers in Chinese, by key or full-width brackets, and refuses wrong or missing columns", () => {
    const headers = constructionPermitsFeed.columns.map((c) => c.header);
    expect(matchFeedHeaders(constructionPermitsFeed, headers).columnErrors).toEqual([]);
    expect(matchFeedHeaders(constructionPermitsFeed, ["建筑面积（平方米）", ...headers.filter((h) => h !== "建筑面积(平方米)")]).columnErrors).toEqual([]);
    const wrong = matchFeedHeaders(constructionPermitsFeed, [...headers.slice(1), "其他"]);
    expect(wrong.columnErrors.map((e) => e.messageKey).sort()).toEqual(["feed-column-missing", "feed-column-unknown"]);
  });

  it("validates rows with line numbers and flags plot ratios below 1.0", () => {
    const { mapping } = matchFeedHeaders(constructionPermitsFeed, constructionPermitsFeed.columns.map((c) => c.name));
    const row = (ratio: string, uscc = USCC) => ["施许2026-001", "阳光花园", "某某置业", uscc, "幸福路 1 号", "12,000.5", ratio, "", "2026/10/3"];
    const r = validateFeedRows(constructionPermitsFeed, mapping, [
      { line: 2, cells: row("0.8") },
      { line: 3, cells: row("2.5") },
      { line: 4, cells: row("abc", "123") },
      { line: 5, cells: ["", "", "", "", "", "", "", "", ""] },
    ], "zh-CN");
    expect(r.rows.map((x) => [x.line, x.flag])).toEqual([[2, "report-flag-low-plot-ratio"], [3, null]]);
    expect(r.rows[0]!.data.floorArea).toBe(12000.5);
    expect(r.rows[0]!.data.issuedOn).toBe("2026-10-03");
    expect(r.rowErrors).toHaveLength(1);
    expect(r.rowErrors[0]!.line).toBe(4);
    expect(Object.keys(r.rowErrors[0]!.fields).sort()).toEqual(["developerUscc", "plotRatio"]);
  });
});

describe("dates as people type them", () => {
  it("folds common spellings to YYYY-MM-DD", () => {
    expect(normalizeDate("2026/3/5")).toBe("2026-03-05");
    expect(normalizeDate("２０２６年3月5日")).toBe("2026-03-05");
    expect(normalizeDate("2026.03.05")).toBe("2026-03-05");
  });
});

describe("every problem at once", () => {
  it("reports a cross-field rule and a time rule next to field errors", () => {
    const r = validateReportData(rentalType, rentalData({ landlordIdNo: "1", leaseStart: "2028-01-01", leaseEnd: "2027-01-01" }), NOW, "zh-CN");
    expect(!r.ok && Object.keys(r.fields).sort()).toEqual(["landlordIdNo", "leaseEnd", "leaseStart"]);
  });
  it("does not judge a cross-field rule on a field that is itself invalid", () => {
    const r = validateReportData(rentalType, rentalData({ leaseStart: "2026-02-30", leaseEnd: "2026-01-01" }), NOW, "zh-CN");
    expect(!r.ok && Object.keys(r.fields)).toEqual(["leaseStart"]);
  });
});

describe("vehicle report draft from a failed clearance check", () => {
  it("takes the plate and the years without clearance", async () => {
    const { vehicleReportDraft } = await import("./drafts.ts");
    const draft = vehicleReportDraft({
      key: "豫A12345",
      keyType: "plate",
      results: [
        { year: 2026, status: "none" },
        { year: 2025, status: "paid", certificateNo: "X" },
      ],
    });
    expect(draft).toEqual({ plate: "豫A12345", missingYears: [2026] });
    expect(vehicleReportDraft({ key: "LSVAU2A37N2183294", keyType: "vin", results: [{ year: 2025, status: "none" }] })).toEqual({ missingYears: [2025] });
  });
});
