import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import { CLEARANCE_COLUMNS, withIdCheckChar } from "@xieshui/core";
import { createTestDb, type TestDb } from "../../../test/factories/db.ts";
import { runCaptured } from "./harness.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../test/factories/paths.ts";

const SAMPLE = SAMPLE_CLEARANCES_CSV;
const HEADER = CLEARANCE_COLUMNS.join(",");
const ID = withIdCheckChar("41010619900101123");
const row = (cert: string, over: Record<string, string> = {}) => {
  const r: Record<string, string> = {
    certificate_no: cert, kind: "vehicle_vessel", tax: "车船税", plate: "豫A12345", vin: "", contract_no: "",
    taxpayer_id: ID, taxpayer_name: "张小三", period_start: "2026-01-01", period_end: "2026-12-31", status: "paid", amount: "480.00", paid_on: "2026-03-01", ...over,
  };
  return CLEARANCE_COLUMNS.map((c) => r[c]).join(",");
};

let t: TestDb;
let seq = 0;
beforeAll(() => {
  t = createTestDb();
});
afterAll(async () => {
  await t.close();
});

function file(content: string | Buffer, ext = "csv"): string {
  const path = join(t.dir, `in${++seq}.${ext}`);
  writeFileSync(path, content);
  return path;
}

const cli = (...argv: string[]) => runCaptured(t.deps, argv);

type Summary = { imported: number; updated: number; rejected: { line: number; reason: string }[]; complete: boolean };

describe("clearances import", () => {
  it("imports the sample as exactly one JSON document, and a re-import updates", async () => {
    const first = await cli("clearances", "import", SAMPLE, "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ imported: 42, updated: 0, rejected: [] });
    expect(first.stderr).toBe("");
    const again = JSON.parse((await cli("clearances", "import", SAMPLE, "--json")).stdout) as Summary;
    expect(again).toMatchObject({ imported: 0, updated: 42 });
    expect(await t.db.prisma.clearance.count()).toBe(42);
  });

  it("writes nothing with --dry-run", async () => {
    const { stdout } = await cli("clearances", "import", file(`${HEADER}\n${row("CLIDRY0001")}\n`), "--dry-run", "--json");
    expect(JSON.parse(stdout)).toMatchObject({ imported: 1, dryRun: true });
    expect(await t.db.prisma.clearance.count({ where: { certificateNo: "CLIDRY0001" } })).toBe(0);
  });

  it("reads GBK and XLSX exports", async () => {
    const gbk = JSON.parse((await cli("clearances", "import", file(iconv.encode(`${HEADER}\r\n${row("CLIGBK0001", { taxpayer_name: "司马相如" })}\r\n`, "gbk")), "--json")).stdout) as Summary;
    expect(gbk).toMatchObject({ imported: 1, rejected: [] });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet1");
    ws.addRow([...CLEARANCE_COLUMNS]);
    ws.addRow(row("CLIXLSX001").split(","));
    const path = join(t.dir, "export.xlsx");
    await wb.xlsx.writeFile(path);
    expect(JSON.parse((await cli("clearances", "import", path, "--json")).stdout)).toMatchObject({ imported: 1, rejected: [] });
  });

  it("reports rejected rows by line: duplicates, bad dates, amounts and plates", async () => {
    const content = [HEADER, row("CLIBAD0001"), row("CLIBAD0001", { amount: "2.00" }), row("CLIBAD0002", { paid_on: "2026-13-01" }), row("CLIBAD0003", { amount: "-5" }), row("CLIBAD0004", { plate: "ABC" })].join("\n");
    const { code, stdout } = await cli("clearances", "import", file(content), "--json");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.imported).toBe(1);
    expect(summary.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6]);
    // The column is named in words (issue 8), never by its key.
    expect(summary.rejected.map((r) => r.reason.split("：")[0])).toEqual(["凭证号", "缴款日期", "金额", "车牌号"]);
  });

  it("refuses missing and extra columns with a clear error and exit code 1", async () => {
    const missing = await cli("clearances", "import", file("certificate_no,kind\n"), "--json");
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: "invalid_input", reason: "import_missing_columns" });
    expect(JSON.parse(missing.stdout).error.message).toContain("tax");
    const extra = await cli("clearances", "import", file(`${HEADER},remark\n`), "--json");
    expect(JSON.parse(extra.stdout).error.reason).toBe("import_extra_columns");
  });

  it("says when a truncated file lost its last batch (exit code 1)", async () => {
    const content = [HEADER, row("CLITRU0001"), row("CLITRU0002")].join("\n");
    const { code, stdout } = await cli("clearances", "import", file(content.slice(0, -30)), "--json");
    expect(code).toBe(1);
    const summary = JSON.parse(stdout) as Summary & { failedBatch: { fromLine: number } };
    expect(summary).toMatchObject({ complete: false, imported: 0 });
    expect(summary.failedBatch.fromLine).toBe(2);
    expect(summary.rejected.at(-1)!.line).toBe(3);
  });

  it("prints a human summary without --json and usage errors for bad invocations", async () => {
    const human = await cli("clearances", "import", SAMPLE);
    expect(human.stdout).toContain("updated 42");
    expect((await cli("clearances", "import")).code).toBe(2);
    expect((await cli("clearances", "import", "/nonexistent.csv", "--json")).code).toBe(2);
    expect((await cli("clearances", "export", SAMPLE)).code).toBe(2);
  });
});
