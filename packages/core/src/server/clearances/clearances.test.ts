import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import { CLEARANCE_COLUMNS, withIdCheckChar } from "../../domain/index.ts";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import { checkClearance, importClearances, listChecks, unusualCheckers } from "./index.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../../../test/factories/paths.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";

const SAMPLE = SAMPLE_CLEARANCES_CSV;
const HEADER = CLEARANCE_COLUMNS.join(",");
const ID = withIdCheckChar("41010619900101123");
const line = (cert: string, over: Partial<Record<string, string>> = {}) => {
  const r: Record<string, string> = {
    certificate_no: cert, kind: "vehicle_vessel", tax: "车船税", plate: "豫A12345", vin: "", contract_no: "",
    taxpayer_id: ID, taxpayer_name: "张小三", period_start: "2026-01-01", period_end: "2026-12-31", status: "paid", amount: "480.00", paid_on: "2026-03-01", ...over,
  };
  return CLEARANCE_COLUMNS.map((c) => r[c]).join(",");
};
const csv = (...lines: string[]) => `${[HEADER, ...lines].join("\n")}\n`;

let t: TestDb;
let checker: Actor;
let reporter: Actor;
let coordinator: Actor;
let taxOfficer: Actor;
const clock = createFixedClock("2026-11-26T04:00:00Z");
let fileSeq = 0;
function file(content: string | Buffer, ext = "csv"): string {
  const path = join(t.dir, `f${++fileSeq}.${ext}`);
  writeFileSync(path, content);
  return path;
}
const appError = expectAppError;
const check = (actor: Actor, kind: string, key: string, limit = 0) => checkClearance(t.deps, actor, { kind, key }, { rateLimitPerHour: limit });

beforeAll(async () => {
  t = createTestDb({ clock });
  checker = (await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" })).actor;
  reporter = (await makeUser(t.deps, { roles: ["reporter"] })).actor;
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).actor;
  taxOfficer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
});
afterAll(async () => {
  await t.close();
});

// Each import starts a worker thread (1–4 s on a loaded machine), and one import at a time holds
// the database's import lease: a generous timeout keeps a slow import from failing the next test.
describe("importClearances", { timeout: 60_000 }, () => {
  it("imports every row of the sample, and a re-import updates instead of duplicating", async () => {
    const first = await importClearances(t.deps, systemActor("test"), SAMPLE);
    expect(first).toMatchObject({ imported: 42, updated: 0, rejected: [], rejectedCount: 0, rejectedTruncated: false, complete: true });
    const again = await importClearances(t.deps, taxOfficer, SAMPLE);
    expect(again).toMatchObject({ imported: 0, updated: 42, rejected: [] });
    expect(await t.db.prisma.clearance.count()).toBe(42);
    const batch = await t.db.prisma.clearanceImportBatch.findUniqueOrThrow({ where: { id: again.batchId! } });
    expect(batch).toMatchObject({ status: "done", updated: 42, userId: taxOfficer.userId });
  });

  it("gives the same answer when reading in-thread instead of in the worker", async () => {
    const content = csv(line("INTHREAD01"), line("INTHREAD02", { amount: "x" }), line("INTHREAD01"));
    const inWorker = await importClearances(t.deps, systemActor("test"), file(content), { dryRun: true, parallel: true });
    const inThread = await importClearances(t.deps, systemActor("test"), file(content), { dryRun: true, parallel: false });
    expect(inThread).toEqual(inWorker);
    expect(inThread).toMatchObject({ imported: 1, rejected: [{ line: 3 }, { line: 4 }] });
    const truncated = await importClearances(t.deps, systemActor("test"), file(content.slice(0, -20)), { parallel: false });
    expect(truncated).toMatchObject({ complete: false, failedBatch: { fromLine: 2 } });
  });

  it("changes nothing on a dry run", async () => {
    const before = await t.db.prisma.clearance.count();
    const summary = await importClearances(t.deps, systemActor("test"), file(csv(line("DRY0000001"))), { dryRun: true });
    expect(summary).toMatchObject({ imported: 1, dryRun: true, batchId: null });
    expect(await t.db.prisma.clearance.count()).toBe(before);
  });

  it("reads a GBK export from Excel", async () => {
    const summary = await importClearances(t.deps, systemActor("test"), file(iconv.encode(csv(line("GBK0000001", { taxpayer_name: "欧阳小明" })), "gbk")));
    expect(summary).toMatchObject({ imported: 1, rejected: [] });
    expect((await t.db.prisma.clearance.findUniqueOrThrow({ where: { certificateNo: "GBK0000001" } })).taxpayerName).toBe("欧阳小明");
  });

  it("refuses a file with a missing or an extra column before writing anything", async () => {
    const missing = await appError(importClearances(t.deps, systemActor("test"), file("certificate_no,kind\n1,2\n")));
    expect(missing.reason).toBe("import_missing_columns");
    expect(missing.params?.columns).toContain("tax");
    const extra = await appError(importClearances(t.deps, systemActor("test"), file(`${HEADER},note\n${line("EXTRA00001")},x\n`)));
    expect(extra.reason).toBe("import_extra_columns");
    expect(await t.db.prisma.clearance.count({ where: { certificateNo: "EXTRA00001" } })).toBe(0);
    expect((await appError(importClearances(t.deps, systemActor("test"), file("")))).reason).toBe("import_empty");
  });

  it("rejects bad rows with their line numbers and imports the rest", async () => {
    const summary = await importClearances(
      t.deps,
      systemActor("test"),
      file(csv(
        line("ROWS000001"),
        line("ROWS000002", { period_start: "2026-02-30" }),
        line("ROWS000003", { amount: "12.345" }),
        line("ROWS000004", { plate: "豫I12345" }),
        line("ROWS000001", { amount: "1.00" }),
        `ROWS000005,vehicle_vessel`,
        line("ROWS000006", { kind: "property_transfer", tax: "契税", plate: "", contract_no: "HT1" }),
      )),
    );
    expect(summary.imported).toBe(1);
    expect(summary.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(summary.rejected[0]!.reason).toMatch(/^起始日期：/);
    expect(summary.rejected[1]!.reason).toMatch(/^金额：/);
    expect(summary.rejected[2]!.reason).toMatch(/^车牌号：/);
    expect(summary.rejected[3]!.reason).toContain("第 2 行");
    expect(summary.rejected[4]!.reason).toContain("2 列");
    expect(summary.rejected[5]!.reason).toMatch(/^合同编号：/);
  });

  it("rejects a certificate number repeated in a later batch of the same file, keeping the first", async () => {
    const summary = await importClearances(t.deps, systemActor("test"), file(csv(line("XBATCH0001"), line("XBATCH0002"), line("XBATCH0003"), line("XBATCH0001", { amount: "9.99" }))), { batchSize: 2 });
    expect(summary).toMatchObject({ imported: 3, updated: 0 });
    expect(summary.rejected).toEqual([{ line: 5, reason: expect.stringContaining("XBATCH0001") }]);
    expect((await t.db.prisma.clearance.findUniqueOrThrow({ where: { certificateNo: "XBATCH0001" } })).amountFen).toBe(48000n);
  });

  it("rolls back the batch a truncated file breaks off in, keeps earlier batches and says so", async () => {
    const rows = Array.from({ length: 7 }, (_, i) => line(`TRUNC0000${i}`));
    const content = csv(...rows).trimEnd();
    const summary = await importClearances(t.deps, systemActor("test"), file(content.slice(0, content.length - 40)), { batchSize: 3 });
    expect(summary.complete).toBe(false);
    expect(summary.imported).toBe(6);
    expect(summary.failedBatch).toMatchObject({ fromLine: 8, toLine: 8, rows: 0 });
    expect(summary.rejected.at(-1)!.line).toBe(8);
    const quote = await importClearances(t.deps, systemActor("test"), file(`${csv(...rows.slice(0, 4))}"TRUNC9,vehicle`), { batchSize: 3 });
    expect(quote).toMatchObject({ complete: false, updated: 3, failedBatch: { fromLine: 5, rows: 1 } });
    expect(await t.db.prisma.clearanceImportBatch.findUniqueOrThrow({ where: { id: quote.batchId! } })).toMatchObject({ status: "partial" });
  });

  it("rejects an overlong name with its line and keeps the rows around it", async () => {
    const summary = await importClearances(t.deps, systemActor("test"), file(csv(line("BIG0000001"), line("BIG0000002", { taxpayer_name: "长".repeat(70_000) }), line("BIG0000003"))));
    expect(summary.imported).toBe(2);
    expect(summary.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/^纳税人名称：/) }]);
  });

  it("imports an XLSX workbook, streamed", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("凭证");
    ws.addRow([...CLEARANCE_COLUMNS]);
    ws.addRow(line("XLSX000001", { plate: "豫B12345" }).split(","));
    ws.addRow(line("XLSX000002", { paid_on: "soon" }).split(","));
    const path = join(t.dir, "upload.xlsx");
    await wb.xlsx.writeFile(path);
    // In the worker thread, as a big upload would be read (shared strings go to its temporary database).
    const summary = await importClearances(t.deps, systemActor("test"), path, { parallel: true });
    expect(summary).toMatchObject({ imported: 1, rejected: [{ line: 3 }] });
    expect(await importClearances(t.deps, systemActor("test"), path, { parallel: false, dryRun: true })).toMatchObject({ updated: 1, rejected: [{ line: 3 }] });
  });

  it("accepts a stream and refuses a non-checker role", async () => {
    const summary = await importClearances(t.deps, systemActor("test"), { stream: Readable.from([Buffer.from(csv(line("STREAM0001")))]), fileName: "upload.csv" });
    expect(summary.imported).toBe(1);
    expect((await appError(importClearances(t.deps, checker, SAMPLE))).code).toBe("forbidden");
  });
});

describe("checkClearance", () => {
  it("finds this year and last year for a vehicle, masked", async () => {
    const result = await check(checker, "vehicle_vessel", "豫HMC8R6");
    expect(result).toEqual({
      kind: "vehicle_vessel",
      key: "豫HMC8R6",
      keyType: "plate",
      cleared: true,
      results: [
        { year: 2026, status: "paid", certificateNo: "264100000000027", taxpayerName: "黎*燕" },
        { year: 2025, status: "exempt", certificateNo: "254100000000026", taxpayerName: "黎*燕" },
      ],
    });
    expect((await check(checker, "vehicle_vessel", "豫BYTY80")).results.map((r) => r.status)).toEqual(["none", "paid"]);
    expect((await check(checker, "vehicle_vessel", "lsvdjvzbxn1g201zc")).results.map((r) => r.status)).toEqual(["paid", "none"]);
    expect((await check(checker, "vehicle_vessel", "豫Z99999")).cleared).toBe(false);
  });

  it.each(["豫Ａ１２３４５", "豫a12345", "豫 A 12345", "豫A·12345"])("finds 豫A12345 typed as %s", async (typed) => {
    const result = await check(checker, "vehicle_vessel", typed);
    expect(result.key).toBe("豫A12345");
    expect(result.results[0]).toMatchObject({ year: 2026, status: "paid" });
  });

  it("lists every tax found for a property contract, and a certificate number finds its contract", async () => {
    const result = await check(checker, "property_transfer", "HT202610000039");
    expect(result.results.map((r) => ["tax" in r ? r.tax : "", r.status])).toEqual([["契税", "paid"], ["增值税", "paid"], ["城市维护建设税", "paid"]]);
    expect(result.cleared).toBe(true);
    const noDeed = await check(checker, "property_transfer", "264100000000036");
    expect(noDeed.key).toBe("264100000000036");
    expect(noDeed.results[0]).toEqual({ tax: "契税", status: "none" });
    expect(noDeed.cleared).toBe(false);
  });

  it("refuses bad input with field messages, and a non-checker with 403, auditing both", async () => {
    const bad = await appError(check(checker, "vehicle_vessel", "LSV3E28J197KB6CP6"));
    expect(bad.code).toBe("invalid_input");
    expect(bad.fields?.key).toContain("校验码");
    expect((await appError(check(checker, "boat", "x"))).fields?.kind).toBeDefined();
    expect((await appError(check(reporter, "vehicle_vessel", "豫A12345"))).code).toBe("forbidden");
    const audits = await t.db.prisma.auditLog.findMany({ where: { action: "clearance.check", userId: reporter.userId } });
    expect(audits.map((a) => a.result)).toEqual(["denied"]);
  });

  it("writes an audit row for every check without the taxpayer's ID or name", async () => {
    const before = await t.db.prisma.auditLog.count({ where: { action: "clearance.check" } });
    await check(checker, "vehicle_vessel", "豫D9P9G0");
    const rows = await t.db.prisma.auditLog.findMany({ where: { action: "clearance.check" }, orderBy: { id: "desc" }, take: 1 });
    expect(await t.db.prisma.auditLog.count({ where: { action: "clearance.check" } })).toBe(before + 1);
    expect(rows[0]).toMatchObject({ userId: checker.userId, unitId: checker.unitId, subject: "vehicle_vessel:豫D9P9G0", result: "cleared" });
    expect(rows[0]!.at.toISOString()).toBe(clock.now().toISOString());
    expect(rows[0]!.detail).not.toContain("410106");
    expect(rows[0]!.detail).not.toContain("陆");
  });

  it("limits checks per user and hour, and 0 turns the limit off", async () => {
    const limited = (await makeUser(t.deps, { roles: ["checker"] })).actor;
    for (let i = 0; i < 3; i++) await check(limited, "vehicle_vessel", "豫A12345", 3);
    const err = await appError(check(limited, "vehicle_vessel", "豫A12345", 3));
    expect(err.code).toBe("rate_limited");
    expect(err.messageKey).toBe("clearance-rate-limited");
    await check(limited, "vehicle_vessel", "豫A12345", 0);
    clock.advance(3_600_001);
    await check(limited, "vehicle_vessel", "豫A12345", 3);
    clock.set("2026-11-26T04:00:00Z");
  });

  it("lets coordinators list checks and spot unusual checkers", async () => {
    const busy = (await makeUser(t.deps, { roles: ["checker"], name: "忙碌" })).actor;
    for (let i = 0; i < 40; i++) await check(busy, "vehicle_vessel", "豫A12345");
    const list = await listChecks(t.deps, coordinator, { user: busy.userId, day: "2026-11-26" });
    expect(list).toHaveLength(40);
    expect(list[0]).toMatchObject({ kind: "vehicle_vessel", key: "豫A12345", result: "missing", user: { name: "忙碌" } });
    expect(await listChecks(t.deps, coordinator, { user: busy.userId, day: "2026-11-25" })).toHaveLength(0);
    const unusual = await unusualCheckers(t.deps, coordinator, { minChecks: 5 });
    expect(unusual.users.map((u) => u.userId)).toContain(busy.userId);
    expect((await appError(listChecks(t.deps, checker))).code).toBe("forbidden");
  });
});

describe("clearance indexes", () => {
  // The plate/VIN/contract indexes are partial (prisma/migrations/20261126122000_lean_indexes):
  // the check's lookups must still be index searches, never a scan of a million rows.
  it("serves every check lookup from a partial index", async () => {
    const view = "SELECT certificateNo FROM Clearance WHERE";
    if (t.db.dialect === "postgresql") {
      // The same queries (fast-store-pg.ts) with the planner told to avoid scans (the table is
      // small here): the index it picks must be the partial one of each lookup.
      const c = await t.db.pg.connect();
      try {
        await c.query("BEGIN");
        await c.query("SET LOCAL enable_seqscan = off");
        const plan = async (sql: string) => (await c.query(`EXPLAIN ${sql}`)).rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("; ");
        const pgView = `SELECT "certificateNo" FROM "Clearance" WHERE`;
        expect(await plan(`${pgView} plate = '豫A12345' AND "periodEnd" >= '2025-01-01' AND kind = 'vehicle_vessel'`)).toMatch(/Index (Only )?Scan using "Clearance_plate_periodEnd_partial"/);
        expect(await plan(`${pgView} vin = 'X' AND "periodEnd" >= '2025-01-01' AND kind = 'vehicle_vessel'`)).toMatch(/Index (Only )?Scan using "Clearance_vin_periodEnd_partial"/);
        expect(await plan(`${pgView} "contractNo" = 'HT1' AND kind = 'property_transfer'`)).toMatch(/Index (Only )?Scan using "Clearance_contractNo_partial"/);
        expect(await plan(`${pgView} "certificateNo" = '1'`)).toMatch(/Index (Only )?Scan using "Clearance_certificateNo_key"/);
      } finally {
        await c.query("ROLLBACK");
        c.release();
      }
      return;
    }
    const plan = (sql: string, ...args: string[]) => (t.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join("; ");
    expect(plan(`${view} plate = ? AND periodEnd >= ? AND kind = 'vehicle_vessel'`, "豫A12345", "2025-01-01")).toMatch(/USING INDEX Clearance_plate_periodEnd_partial \(plate=\? AND periodEnd>\?\)/);
    expect(plan(`${view} vin = ? AND periodEnd >= ? AND kind = 'vehicle_vessel'`, "X", "2025-01-01")).toMatch(/USING INDEX Clearance_vin_periodEnd_partial \(vin=\? AND periodEnd>\?\)/);
    expect(plan(`${view} contractNo = ? AND kind = 'property_transfer'`, "HT1")).toMatch(/USING INDEX Clearance_contractNo_partial \(contractNo=\?\)/);
    expect(plan(`${view} certificateNo = ?`, "1")).toMatch(/USING (COVERING )?INDEX Clearance_certificateNo_key/);
  });
});

describe("quickCheckInput", () => {
  // The hot path's shortcut for `{ kind, key }` must accept exactly what ClearanceCheckSchema
  // accepts, with the same output; everything else falls back to the schema (null).
  it("agrees with ClearanceCheckSchema on every body it accepts", async () => {
    const { quickCheckInput } = await import("./check.ts");
    const { ClearanceCheckSchema } = await import("../../domain/schemas/clearances.ts");
    const bodies: unknown[] = [
      { kind: "vehicle_vessel", key: "豫A12345" }, { kind: "vehicle_vessel", key: "豫Ａ１２３４５" }, { kind: "vehicle_vessel", key: "豫a·12345" },
      { kind: "vehicle_vessel", key: " 豫A 12345 " }, { kind: "vehicle_vessel", key: "LSVAB00000000001X" }, { kind: "vehicle_vessel", key: "" },
      { kind: "vehicle_vessel", key: "x".repeat(101) }, { kind: "property_transfer", key: "ht2026-0001" }, { kind: "property_transfer", key: "" },
      { kind: "other", key: "豫A12345" }, { kind: "vehicle_vessel", key: 12345 }, { kind: "vehicle_vessel" }, { key: "豫A12345" },
      { kind: "vehicle_vessel", key: "豫A12345", extra: 1 }, { kind: "property_transfer", key: "HT1234", taxes: ["契税"] }, null, [], "豫A12345",
    ];
    for (const body of bodies) {
      const quick = quickCheckInput(body);
      const parsed = ClearanceCheckSchema.safeParse(body);
      if (quick) expect(parsed.success && parsed.data).toEqual(quick);
      if (parsed.success && !(body as { taxes?: unknown }).taxes) expect(quick).toEqual(parsed.data);
    }
    expect(quickCheckInput({ kind: "vehicle_vessel", key: "豫a·12345" })).toEqual({ kind: "vehicle_vessel", key: "豫A12345", keyType: "plate" });
  });
});
