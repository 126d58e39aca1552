import { describe, expect, it } from "vitest";
import {
  ClearanceCheckSchema,
  ClearanceImportRowSchema,
  classifyClearanceKey,
  parseAmountFen,
  parseInput,
  propertyClearanceResults,
  validateClearanceRow,
  vehicleClearanceResults,
  withIdCheckChar,
  type ClearanceColumn,
} from "../domain/index.ts";
import { zhCN } from "./messages/zh-CN/index.ts";
import { en } from "./messages/en/index.ts";

const row = (over: Partial<Record<ClearanceColumn, string>> = {}): Record<ClearanceColumn, string> => ({
  certificate_no: "264100000000099",
  kind: "vehicle_vessel",
  tax: "车船税",
  plate: "豫A12345",
  vin: "",
  contract_no: "",
  taxpayer_id: withIdCheckChar("41010619900101123"),
  taxpayer_name: "张小三",
  period_start: "2026-01-01",
  period_end: "2026-12-31",
  status: "paid",
  amount: "480.00",
  paid_on: "2026-03-01",
  ...over,
});

describe("clearance keys", () => {
  it.each(["豫Ａ１２３４５", "豫a12345", " 豫A 123 45 ", "豫A·12345", "豫A-12345"])("reads %s as the plate 豫A12345", (typed) => {
    expect(classifyClearanceKey("vehicle_vessel", typed)).toEqual({ ok: true, key: "豫A12345", keyType: "plate" });
  });

  it("accepts a VIN with the right check digit and refuses a wrong one", () => {
    expect(classifyClearanceKey("vehicle_vessel", "lsv3e28jx97kb6cp6")).toEqual({ ok: true, key: "LSV3E28JX97KB6CP6", keyType: "vin" });
    expect(classifyClearanceKey("vehicle_vessel", "LSV3E28J197KB6CP6")).toEqual({ ok: false, problem: "clearance-vin-check-digit" });
    expect(classifyClearanceKey("vehicle_vessel", "LSV3E28JX97KB6CPO")).toEqual({ ok: false, problem: "clearance-vin-format" });
  });

  it("refuses empty keys, malformed plates and odd input", () => {
    expect(classifyClearanceKey("vehicle_vessel", "  ")).toEqual({ ok: false, problem: "clearance-key-required" });
    expect(classifyClearanceKey("vehicle_vessel", "豫I12345")).toEqual({ ok: false, problem: "clearance-plate-format" });
    expect(classifyClearanceKey("vehicle_vessel", "12345")).toEqual({ ok: false, problem: "clearance-key-vehicle" });
    expect(classifyClearanceKey("vehicle_vessel", "'; DROP TABLE Clearance;--")).toMatchObject({ ok: false });
    expect(classifyClearanceKey("property_transfer", "ht-2026 0200 0000")).toEqual({ ok: true, key: "HT202602000000", keyType: "contract" });
    expect(classifyClearanceKey("property_transfer", "<script>")).toEqual({ ok: false, problem: "clearance-contract-format" });
  });

  it("explains schema failures per field in both languages", () => {
    const bad = parseInput(ClearanceCheckSchema, { kind: "boat", key: "x" }, "zh-CN");
    expect(bad).toEqual({ ok: false, fields: { kind: zhCN["clearance-kind-unknown"] } });
    const empty = parseInput(ClearanceCheckSchema, { kind: "vehicle_vessel", key: "" }, "en");
    expect(empty).toEqual({ ok: false, fields: { key: en["clearance-key-required"] } });
    const missing = parseInput(ClearanceCheckSchema, { kind: "vehicle_vessel" }, "zh-CN");
    expect(missing.ok).toBe(false);
    const extra = parseInput(ClearanceCheckSchema, { kind: "vehicle_vessel", key: "豫A12345", x: 1 }, "zh-CN");
    expect(extra.ok).toBe(false);
  });
});

describe("clearance results", () => {
  const v = (periodStart: string, periodEnd: string, status: string, certificateNo = "C1") => ({ certificateNo, tax: "车船税", status, taxpayerName: "欧阳小明", periodStart, periodEnd });

  it("gives this year and last year, with masked names", () => {
    expect(vehicleClearanceResults([v("2025-01-01", "2025-12-31", "exempt", "A"), v("2026-05-01", "2026-12-31", "paid", "B")], 2026)).toEqual([
      { year: 2026, status: "paid", certificateNo: "B", taxpayerName: "欧**明" },
      { year: 2025, status: "exempt", certificateNo: "A", taxpayerName: "欧**明" },
    ]);
    expect(vehicleClearanceResults([], 2026)).toEqual([{ year: 2026, status: "none" }, { year: 2025, status: "none" }]);
  });

  it("lists property taxes found, and deed tax as none when missing", () => {
    const rows = [{ ...v("2026-05-13", "2026-05-13", "paid", "X"), tax: "增值税", taxpayerName: "付强娟" }];
    expect(propertyClearanceResults(rows)).toEqual([
      { tax: "契税", status: "none" },
      { tax: "增值税", status: "paid", certificateNo: "X", taxpayerName: "付*娟" },
    ]);
    expect(propertyClearanceResults(rows, ["印花税"]).map((r) => r.tax)).toEqual(["增值税", "印花税"]);
  });
});

describe("clearance import rows", () => {
  it("normalises a valid row and converts money to fen", () => {
    const result = validateClearanceRow(row({ plate: "豫ａ 12345", amount: "0.5" }));
    expect(result).toMatchObject({ ok: true, row: { plate: "豫A12345", amountFen: 50, vin: null } });
    expect(parseAmountFen("1200.00")).toBe(120000);
    expect(parseAmountFen("-1")).toBeNull();
    expect(parseAmountFen("1.234")).toBeNull();
  });

  it("offers the same rules as a zod schema, with the column as the path", () => {
    expect(ClearanceImportRowSchema.safeParse(row()).success).toBe(true);
    expect(parseInput(ClearanceImportRowSchema, row({ amount: "x" }), "en")).toEqual({ ok: false, fields: { amount: en["clearance-import-bad-amount"] } });
  });

  it.each([
    [{ period_start: "2026-02-30" }, "period_start"],
    [{ paid_on: "2026/03/01" }, "paid_on"],
    [{ amount: "abc" }, "amount"],
    [{ plate: "豫A1234" }, "plate"],
    [{ vin: "LSV3E28J197KB6CP6" }, "vin"],
    [{ status: "unpaid" }, "status"],
    [{ kind: "boat" }, "kind"],
    [{ taxpayer_id: "410106199001011230" }, "taxpayer_id"],
    [{ period_start: "2026-12-31", period_end: "2026-01-01" }, "period_end"],
    [{ kind: "property_transfer", tax: "契税" }, "contract_no"],
    [{ plate: "" }, "plate"],
  ] as const)("rejects %j in column %s", (over, column) => {
    const result = validateClearanceRow(row(over));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.column).toBe(column);
  });
});
