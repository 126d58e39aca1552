import { Readable } from "node:stream";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import { importTaxFigures } from "./import.ts";
import { targetProgress, targetProgressForQuarter } from "./progress.ts";

const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
let officer: Actor;
let coordinator: Actor;
let reporter: Actor;
const dir = mkdtempSync(join(tmpdir(), "xieshui-targets-"));

beforeAll(async () => {
  t = createTestDb({ clock });
  await makeUnit(t.deps, { type: "town", code: "hongqi-town", name: "红旗镇" });
  await makeUnit(t.deps, { type: "town", code: "qingshan-jd", name: "青山街道" });
  await makeUnit(t.deps, { type: "village", code: "dongzhuang", name: "东庄村委会", parent: "hongqi-town" });
  officer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).actor;
  reporter = (await makeUser(t.deps, { roles: ["reporter"], unit: "dongzhuang" })).actor;
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.deps.db.prisma.taxTarget.deleteMany();
  await t.deps.db.prisma.taxActual.deleteMany();
  await t.deps.db.prisma.taxFigureImport.deleteMany();
});

const upload = (text: string | Buffer, fileName = "targets.csv") => ({ stream: Readable.from([typeof text === "string" ? Buffer.from(text) : text]), fileName });
const audits = () => t.deps.db.prisma.auditLog.count({ where: { action: { startsWith: "targets.import" } } });

const TARGETS = [
  "\uFEFF年度,镇街,税种,目标(元)",
  "2026,hongqi-town,房产税,12000000",
  "2026,红旗镇,城镇土地使用税,3000000.50",
  "2026,青山街道,property_tax,8000000",
].join("\r\n");

describe("importTaxFigures: targets", () => {
  it("imports a UTF-8 CSV with Chinese headers, towns by code or name, amounts exactly in fen", async () => {
    const s = await importTaxFigures(t.deps, officer, upload(TARGETS), { kind: "targets" });
    expect(s).toMatchObject({ kind: "targets", imported: 3, updated: 0, rejected: [], rejectedCount: 0, dryRun: false });
    const rows = await t.deps.db.prisma.taxTarget.findMany({ orderBy: { amountFen: "asc" } });
    expect(rows.map((r) => [r.tax, r.amountFen])).toEqual([
      ["urban_land_use_tax", 300000050n],
      ["property_tax", 800000000n],
      ["property_tax", 1200000000n],
    ]);
    expect(rows.every((r) => r.updatedById === officer.userId)).toBe(true);
    const log = await t.deps.db.prisma.taxFigureImport.findFirstOrThrow();
    expect(log).toMatchObject({ kind: "targets", fileName: "targets.csv", rows: 3, imported: 3, updated: 0, rejected: 0, dryRun: false, byUserId: officer.userId });
    expect(await audits()).toBe(1);
  });

  it("updates on a second import of the same keys instead of adding rows (idempotent)", async () => {
    await importTaxFigures(t.deps, officer, upload(TARGETS), { kind: "targets" });
    const again = await importTaxFigures(t.deps, coordinator, upload(TARGETS.replace("12000000", "12500000")), { kind: "targets" });
    expect(again).toMatchObject({ imported: 0, updated: 3 });
    expect(await t.deps.db.prisma.taxTarget.count()).toBe(3);
    const row = await t.deps.db.prisma.taxTarget.findFirstOrThrow({ where: { tax: "property_tax", amountFen: { gt: 1_000_000_000n } } });
    expect(row.amountFen).toBe(1_250_000_000n);
  });

  it("reads a target in 万元 when the header says so", async () => {
    const s = await importTaxFigures(t.deps, officer, upload("年度,镇街,税种,目标（万元）\n2026,hongqi-town,资源税,1200\n2026,hongqi-town,车船税,0.000001\n"), { kind: "targets" });
    expect(s.imported).toBe(2);
    const rows = await t.deps.db.prisma.taxTarget.findMany({ orderBy: { amountFen: "desc" } });
    expect(rows.map((r) => r.amountFen)).toEqual([1_200_000_000n, 1n]);
  });

  it("rejects unknown towns (a village is not a town), unknown taxes, bad amounts, bad years and duplicates, with their lines; the rest go in", async () => {
    const csv = [
      "年度,镇街,税种,目标(元)",
      "2026,hongqi-town,房产税,100", // 2 ok
      "2026,dongzhuang,房产税,100", // 3 a village
      "2026,不存在镇,房产税,100", // 4 unknown
      "2026,hongqi-town,契税,100", // 5 not a local tax
      "2026,hongqi-town,车船税,1.234", // 6 three decimals
      "2026,hongqi-town,资源税,-5", // 7 negative
      "26,hongqi-town,资源税,5", // 8 year
      "2026,红旗镇,房产税,200", // 9 duplicate of line 2 (by name)
      "",
      "2026,hongqi-town,城镇土地使用税,300,extra", // 11 too many cells
      "2026,qingshan-jd,车船税,1e5", // 12 exponent
      "2026,'; DROP TABLE TaxTarget; --,房产税,1", // 13 injection as a name
    ].join("\n");
    const s = await importTaxFigures(t.deps, officer, upload(csv), { kind: "targets" });
    expect(s.imported).toBe(1);
    expect(s.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 11, 12, 13]);
    const reason = (line: number) => s.rejected.find((r) => r.line === line)!.reason;
    expect(reason(3)).toBe("镇街：没有这个镇街：“dongzhuang”（请填写镇或街道的单位代码或完整名称）");
    expect(reason(4)).toContain("不存在镇");
    expect(reason(5)).toMatch(/^税种：税种只能是/);
    expect(reason(6)).toMatch(/^金额：.*两位小数/);
    expect(reason(7)).toMatch(/^金额：.*不小于 0/);
    expect(reason(8)).toMatch(/^年度：/);
    expect(reason(9)).toBe("与第 2 行重复（同一年度、镇街和税种只能出现一次）");
    expect(reason(11)).toContain("5 列");
    for (const r of s.rejected) expect(r.reason).not.toMatch(/property_tax|amountFen|undefined|\[object/);
    expect(s.rejectedCount).toBe(10);
    expect(await t.deps.db.prisma.taxTarget.count()).toBe(1);
    expect(await t.deps.db.prisma.taxFigureImport.findFirstOrThrow()).toMatchObject({ rows: 11, imported: 1, rejected: 10 });
  });

  it("says the reasons in English for an English reader", async () => {
    const s = await importTaxFigures(t.deps, officer, upload("year,town,tax,target_yuan\n2026,nowhere,property_tax,1\n2026,hongqi-town,VAT,1\n"), { kind: "targets", locale: "en" });
    expect(s.rejected).toEqual([
      { line: 2, reason: "Town: No such town: “nowhere” (enter a town's unit code or its full name)" },
      { line: 3, reason: expect.stringMatching(/^Tax: The tax must be property tax/) },
    ]);
  });

  it("a dry run writes no figure and no audit entry, but reports what the import would do and logs the run", async () => {
    await importTaxFigures(t.deps, officer, upload(TARGETS), { kind: "targets" });
    const before = await audits();
    const dry = await importTaxFigures(t.deps, coordinator, upload(TARGETS.replace("12000000", "1") + "\r\n2026,hongqi-town,资源税,7"), { kind: "targets", dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, imported: 1, updated: 3 });
    expect(await t.deps.db.prisma.taxTarget.count()).toBe(3);
    expect((await t.deps.db.prisma.taxTarget.findFirstOrThrow({ where: { tax: "property_tax", amountFen: { gt: 1_000_000_000n } } })).amountFen).toBe(1_200_000_000n);
    expect(await audits()).toBe(before);
    expect(await t.deps.db.prisma.taxFigureImport.count({ where: { dryRun: true } })).toBe(1);
  });

  it("refuses a file whose header lacks or adds columns, naming them, before writing anything", async () => {
    const missing = await expectAppError(importTaxFigures(t.deps, officer, upload("年度,镇街,目标(元)\n2026,hongqi-town,1\n"), { kind: "targets" }));
    expect(missing).toMatchObject({ code: "invalid_input", messageKey: "targets-import-missing-columns" });
    expect(missing.fields?.file).toContain("税种");
    const unitless = await expectAppError(importTaxFigures(t.deps, officer, upload("年度,镇街,税种,目标\n2026,hongqi-town,房产税,1\n"), { kind: "targets" }));
    expect(unitless.fields?.file).toContain("目标(元) 或 目标(万元)");
    const extra = await expectAppError(importTaxFigures(t.deps, officer, upload("年度,镇街,税种,目标(元),备注\n"), { kind: "targets" }));
    expect(extra.fields?.file).toContain("备注");
    const wrongKind = await expectAppError(importTaxFigures(t.deps, officer, upload(TARGETS), { kind: "actuals" }));
    expect(wrongKind.fields?.file).toContain("月份");
    const empty = await expectAppError(importTaxFigures(t.deps, officer, upload(""), { kind: "targets" }));
    expect(empty).toMatchObject({ code: "invalid_input", messageKey: "targets-import-empty" });
    expect(await t.deps.db.prisma.taxTarget.count()).toBe(0);
    expect(await t.deps.db.prisma.taxFigureImport.count()).toBe(0);
  });

  it("stops reading at the row cap and the byte cap, writing nothing", async () => {
    const many = ["年度,镇街,税种,目标(元)", ...Array.from({ length: 30 }, (_, i) => `${2000 + i},hongqi-town,房产税,1`)].join("\n");
    const rows = await expectAppError(importTaxFigures(t.deps, officer, upload(many), { kind: "targets", maxRows: 20 }));
    expect(rows).toMatchObject({ code: "payload_too_large", messageKey: "targets-import-too-many-rows", params: { max: 20 } });
    const bytes = await expectAppError(importTaxFigures(t.deps, officer, upload(many), { kind: "targets", maxBytes: 100 }));
    expect(bytes).toMatchObject({ code: "payload_too_large", reason: "import_too_large" });
    expect(await t.deps.db.prisma.taxTarget.count()).toBe(0);
  });

  it("refuses a file that is not a table (an image) and an unknown kind", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(await expectAppError(importTaxFigures(t.deps, officer, upload(png, "x.png"), { kind: "targets" }))).toMatchObject({ code: "invalid_input" });
    expect(await expectAppError(importTaxFigures(t.deps, officer, upload(TARGETS), { kind: "bogus" as "targets" }))).toMatchObject({ code: "invalid_input", messageKey: "targets-kind-invalid" });
  });

  it("is for tax officers, coordinators and admins only", async () => {
    expect(await expectAppError(importTaxFigures(t.deps, reporter, upload(TARGETS), { kind: "targets" }))).toMatchObject({ code: "forbidden" });
    expect(await expectAppError(importTaxFigures(t.deps, null, upload(TARGETS), { kind: "targets" }))).toMatchObject({ code: "unauthorized" });
    expect(await t.deps.db.prisma.taxFigureImport.count()).toBe(0);
  });
});

describe("importTaxFigures: actuals", () => {
  it("imports a GB18030 CSV with English headers from a path, negative months allowed", async () => {
    const file = join(dir, "actuals-gbk.csv");
    writeFileSync(file, iconv.encode("month,town,tax,amount_yuan\n2026-01,红旗镇,房产税,1000000.01\n2026/2,红旗镇,房产税,-20.5\n2026年3月,青山街道,车船税,300\n", "gb18030"));
    const s = await importTaxFigures(t.deps, systemActor("test"), file, { kind: "actuals" });
    expect(s).toMatchObject({ imported: 3, rejectedCount: 0 });
    const rows = await t.deps.db.prisma.taxActual.findMany({ orderBy: { month: "asc" } });
    expect(rows.map((r) => [r.month, r.amountFen])).toEqual([
      ["2026-01", 100000001n],
      ["2026-02", -2050n],
      ["2026-03", 30000n],
    ]);
    expect(rows.every((r) => r.batchId === s.importId)).toBe(true);
  });

  it("imports an XLSX with number cells and Excel dates for months, rejecting a bad month with its row number", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("入库");
    ws.addRow(["月份", "镇街", "税种", "入库税款(元)"]);
    ws.addRow([new Date(Date.UTC(2026, 3, 1)), "hongqi-town", "城镇土地使用税", 1234.56]);
    ws.addRow(["2026-05", "hongqi-town", "资源税", 99]);
    ws.addRow(["2026-13", "hongqi-town", "资源税", 1]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const s = await importTaxFigures(t.deps, officer, upload(buf, "actuals.xlsx"), { kind: "actuals" });
    expect(s.imported).toBe(2);
    expect(s.rejected).toEqual([{ line: 4, reason: "月份：月份应写成 2026-01 这样的年-月" }]);
    expect((await t.deps.db.prisma.taxActual.findFirstOrThrow({ where: { month: "2026-04" } })).amountFen).toBe(123456n);
  });
});

describe("targetProgress", () => {
  const seed = async () => {
    await importTaxFigures(t.deps, officer, upload(["年度,镇街,税种,目标(元)", "2026,hongqi-town,房产税,1200", "2026,hongqi-town,车船税,1000", "2026,qingshan-jd,房产税,1000", "2025,hongqi-town,房产税,5"].join("\n")), { kind: "targets" });
    // 红旗镇 房产税: 10 months x 100 = 1000 of 1200 (83%, year 10/12 = 83%: on track); 车船税: 100 of 1000 (behind);
    // 青山街道 房产税: 950 of 1000 (95%: ahead at 83%? 95 >= 93.3 -> ahead); 资源税 collected without a target.
    const lines = ["月份,镇街,税种,入库税款(元)"];
    for (let m = 1; m <= 10; m++) lines.push(`2026-${String(m).padStart(2, "0")},hongqi-town,房产税,100`);
    lines.push("2026-10,hongqi-town,车船税,100", "2026-09,qingshan-jd,房产税,950", "2026-02,qingshan-jd,资源税,7", "2025-12,hongqi-town,房产税,999");
    await importTaxFigures(t.deps, officer, upload(lines.join("\n")), { kind: "actuals" });
  };

  it("gives each town's target, actual to date, share and status, and the district total per tax", async () => {
    await seed();
    const p = await targetProgress(t.deps, coordinator, { year: "2026" });
    expect(p).toMatchObject({ year: 2026, through: "2026-10", monthsElapsed: 10, empty: false, noTargets: false });
    expect(p.yearShare).toBeCloseTo(10 / 12);
    const hongqi = p.towns.find((x) => x.unit.code === "hongqi-town")!;
    expect(hongqi.taxes.map((l) => l.tax)).toEqual(["property_tax", "urban_land_use_tax", "vehicle_vessel_tax", "resource_tax"]);
    expect(hongqi.taxes[0]).toEqual({ tax: "property_tax", targetFen: "120000", actualFen: "100000", share: 0.8333, status: "on_track" });
    expect(hongqi.taxes[1]).toMatchObject({ targetFen: null, status: "no_target", share: null });
    expect(hongqi.taxes[2]).toMatchObject({ share: 0.1, status: "behind" });
    const qingshan = p.towns.find((x) => x.unit.code === "qingshan-jd")!;
    expect(qingshan.taxes[0]).toMatchObject({ actualFen: "95000", status: "ahead" });
    expect(qingshan.taxes[3]).toMatchObject({ targetFen: null, actualFen: "700", status: "no_target" });
    expect(p.district[0]).toMatchObject({ tax: "property_tax", targetFen: "220000", actualFen: "195000", share: 0.8863, status: "on_track" });
    expect(p.district[3]).toMatchObject({ targetFen: null, actualFen: "700", status: "no_target" });
    expect(p.towns.map((x) => x.unit.code)).not.toContain("dongzhuang");
  });

  it("counts up to asOf when given, and refuses an asOf outside the year or a bad year with the field", async () => {
    await seed();
    const p = await targetProgress(t.deps, officer, { year: 2026, asOf: "2026-06" });
    expect(p).toMatchObject({ through: "2026-06", monthsElapsed: 6, yearShare: 0.5 });
    expect(p.towns.find((x) => x.unit.code === "hongqi-town")!.taxes[0]).toMatchObject({ actualFen: "60000", status: "on_track" });
    expect((await expectAppError(targetProgress(t.deps, officer, { year: 2026, asOf: "2025-06" }))).fields).toHaveProperty("asOf");
    expect((await expectAppError(targetProgress(t.deps, officer, { year: "next" }, { locale: "en" }))).fields?.year).toContain("four-digit");
    expect(await expectAppError(targetProgress(t.deps, reporter, { year: 2026 }))).toMatchObject({ code: "forbidden" });
  });

  it("says there are no targets and no data for a year without them", async () => {
    const p = await targetProgress(t.deps, officer, { year: 2027 });
    expect(p).toMatchObject({ noTargets: true, through: null, monthsElapsed: 0 });
    expect(p.towns.every((x) => x.taxes.every((l) => l.status === "no_target"))).toBe(true);
  });

  it("for a quarter: the year to date at its end and the quarter's own actuals", async () => {
    await seed();
    const q3 = await targetProgressForQuarter(t.deps, officer, "2026Q3");
    expect(q3).toMatchObject({ quarter: "2026Q3", through: "2026-09", monthsElapsed: 9, quarterMonths: ["2026-07", "2026-08", "2026-09"] });
    const hq = q3.towns.find((x) => x.unit.code === "hongqi-town")!;
    expect(hq.taxes[0]).toMatchObject({ actualFen: "90000", quarterFen: "30000" });
    expect(q3.district[0]).toMatchObject({ actualFen: "185000", quarterFen: "125000" });
    const q4 = await targetProgressForQuarter(t.deps, officer, "2026Q4");
    expect(q4).toMatchObject({ through: "2026-10", monthsElapsed: 10 });
    expect(await expectAppError(targetProgressForQuarter(t.deps, officer, "2026-10"))).toMatchObject({ code: "invalid_input" });
  });
});

describe("the demo district's tax figures", () => {
  it("gives 幸福镇 its 2026 targets and 11 months of actuals once, with one tax behind", async () => {
    const demo = createTestDb({ clock });
    try {
      const { seedDemo, seedDemoTaxFigures } = await import("../seed.ts");
      await seedDemo(demo.deps);
      await seedDemoTaxFigures(demo.deps);
      await seedDemoTaxFigures(demo.deps);
      expect(await demo.deps.db.prisma.taxTarget.count()).toBe(4);
      expect(await demo.deps.db.prisma.taxActual.count()).toBe(44);
      const p = await targetProgress(demo.deps, systemActor("test"), { year: 2026 });
      expect(p.through).toBe("2026-11");
      const town = p.towns.find((x) => x.unit.code === "xingfu-town")!;
      expect(town.taxes[0]).toMatchObject({ targetFen: "1200000000", status: "on_track" });
      expect(town.taxes.map((l) => l.status)).toEqual(["on_track", "on_track", "ahead", "behind"]);
    } finally {
      await demo.close();
    }
  });
});
