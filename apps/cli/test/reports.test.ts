import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { submitReport } from "@xieshui/core/server";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { makeUser } from "../../../test/factories/identity.ts";
import { makeRentalData, TEST_ID } from "../../../test/factories/reports.ts";
import { runCaptured } from "./harness.ts";

let t: TestDb;
const dir = mkdtempSync(join(tmpdir(), "xieshui-cli-reports-"));
beforeAll(async () => {
  t = createTestDb({ clock: createFixedClock("2026-11-26T02:00:00Z") });
  const { actor } = await makeUser(t.deps, { roles: ["reporter"], unitType: "village" });
  await submitReport(t.deps, actor, { type: "rental", clientId: "cli-test-0001", data: makeRentalData() });
  await submitReport(t.deps, actor, { type: "rental", clientId: "cli-test-0002", data: makeRentalData({ leaseStart: "2026-11-02" }) });
});
afterAll(async () => {
  await t.close();
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);

describe("reports export", () => {
  it("writes a month of rentals as CSV and prints one JSON summary", async () => {
    const file = join(dir, "rental.csv");
    const { code, stdout } = await cli("reports", "export", "--type", "rental", "--period", "2026-11", "--format", "csv", "--out", file, "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ file, type: "rental", period: "2026-11", format: "csv", rows: 2 });
    const text = readFileSync(file, "utf8");
    expect(text.split("\r\n")[0]).toContain("房东身份证号");
  });

  it("writes XLSX", async () => {
    const file = join(dir, "rental.xlsx");
    expect((await cli("reports", "export", "--type", "rental", "--period", "2026-11", "--format", "xlsx", "--out", file)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets[0]!.rowCount).toBe(3);
  });

  it("refuses a bad period, an unknown type and a missing --out", async () => {
    const bad = await cli("reports", "export", "--type", "rental", "--period", "2026-13", "--format", "csv", "--out", join(dir, "x.csv"), "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.code).toBe("invalid_input");
    expect((await cli("reports", "export", "--type", "nope", "--period", "2026-11", "--out", join(dir, "y.csv"))).code).toBe(1);
    expect((await cli("reports", "export", "--type", "rental", "--period", "2026-11", "--json")).code).toBe(2);
  });

  it("writes whole ID numbers for the operator, masked ones with --masked, quoted by csv-stringify behind a BOM", async () => {
    const whole = join(dir, "whole.csv");
    const masked = join(dir, "masked.csv");
    expect((await cli("reports", "export", "--type", "rental", "--period", "2026-11", "--out", whole)).code).toBe(0);
    const summary = await cli("reports", "export", "--type", "rental", "--period", "2026-11", "--out", masked, "--masked", "--json");
    expect(JSON.parse(summary.stdout)).toMatchObject({ rows: 2, masked: true });
    const wholeText = readFileSync(whole, "utf8");
    expect(wholeText.startsWith("\uFEFF")).toBe(true);
    expect(wholeText).toContain(TEST_ID);
    expect(wholeText).toContain("张三");
    const maskedText = readFileSync(masked, "utf8");
    expect(maskedText).not.toContain(TEST_ID);
    expect(maskedText).toContain(`${TEST_ID.slice(0, 4)}**********${TEST_ID.slice(-4)}`);
    expect(maskedText).toContain("张*");
    expect(maskedText.split("\r\n")).toHaveLength(4); // header, two rows, final CRLF
  });

  it("lists missing feeds and queues reminders as JSON", async () => {
    const missing = await cli("reports", "missing", "--period", "2026-10", "--json");
    expect(missing.code).toBe(0);
    expect(Array.isArray(JSON.parse(missing.stdout))).toBe(true);
    const remind = await cli("reports", "remind", "--json");
    expect(JSON.parse(remind.stdout)).toEqual({ queued: expect.any(Number) });
    expect((await cli("reports", "frobnicate")).code).toBe(2);
  });
});
