import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { seedOversightDistrict, type OversightDistrict } from "../../../../../test/factories/oversight.ts";
import { systemActor } from "../identity/actor.ts";
import { quarterlyPack } from "./pack.ts";
import { importTaxFigures } from "../targets/import.ts";
import { packHtml } from "./pack-html.ts";
import { chromiumExecutable, packWorkbook, writePackFiles } from "./pack-files.ts";

const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
let d: OversightDistrict;
const dir = mkdtempSync(join(tmpdir(), "xieshui-pack-"));
beforeAll(async () => {
  t = createTestDb({ clock });
  d = await seedOversightDistrict(t.deps, clock);
});
afterAll(async () => {
  await t.close();
});

const hasChromium = chromiumExecutable() !== null || process.env.CI === "true";

describe("quarterlyPack", () => {
  it("compares with the previous quarter and names who improved and who fell behind", async () => {
    const pack = await quarterlyPack(t.deps, d.officer, { quarter: "2026Q4" });
    expect(pack).toMatchObject({ quarter: "2026Q4", previousQuarter: "2026Q3", from: "2026-10-01", to: "2026-12-31", empty: false, noActivity: false });
    expect(pack.improved.map((c) => c.unit.code)).toEqual([d.builder]);
    expect(pack.improved[0]).toMatchObject({ before: 0, after: 1 });
    expect(pack.behind.map((c) => c.unit.code)).toEqual([d.east, d.town]);
    const onTime = pack.overview.find((l) => l.key === "onTime")!;
    expect(onTime).toMatchObject({ label: "按时报送", value: 3, previous: 3 });
    expect(pack.overview.find((l) => l.key === "quizAverage")!.value).toBeNull();
  });

  it("refuses a quarter that has not started, a month and nonsense, naming the field", async () => {
    const future = await expectAppError(quarterlyPack(t.deps, d.officer, { quarter: "2027Q1" }));
    expect(future).toMatchObject({ code: "invalid_input", reason: "period_not_started" });
    expect(future.fields?.quarter).toContain("2027Q1");
    for (const quarter of ["2026-11", "2026", "Q4", "<script>", 4]) {
      const e = await expectAppError(quarterlyPack(t.deps, d.officer, { quarter }));
      expect(e.code).toBe("invalid_input");
      expect(Object.keys(e.fields ?? {})).toEqual(["quarter"]);
    }
  });

  it("is for coordinators, admins and tax officers only", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["reporter", "checker"] });
    expect((await expectAppError(quarterlyPack(t.deps, actor, { quarter: "2026Q4" }))).code).toBe("forbidden");
  });

  it("renders self-contained HTML with SVG charts, no scripts, and escapes unit names", async () => {
    const hostile = createTestDb({ clock });
    try {
      await makeUnit(hostile.deps, { type: "venue", name: "<script>alert(1)</script>剧场", code: "evil" });
      const html = packHtml(await quarterlyPack(hostile.deps, systemActor("test"), { quarter: "2026Q4" }));
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;剧场");
      expect(html).not.toMatch(/(src|href)=["']https?:/);
    } finally {
      await hostile.close();
    }
    const html = packHtml(await quarterlyPack(t.deps, d.officer, { quarter: "2026Q4" }));
    expect(html).toContain("<svg");
    expect(html).toContain("进步单位");
    expect(html).toContain("区住建局");
    expect(html).toContain("红旗镇（合计）");
  });

  it("says so when the district has no units, rather than printing a blank page", async () => {
    const empty = createTestDb({ clock });
    try {
      const pack = await quarterlyPack(empty.deps, systemActor("test"), { quarter: "2026Q4" });
      expect(pack.empty).toBe(true);
      expect(packHtml(pack)).toContain("本区尚未登记任何协税单位");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
      expect(String(wb.worksheets[0]!.getCell("A2").value)).toContain("本区尚未登记任何协税单位");
      expect(wb.getWorksheet("责任追究")!.getCell("A2").value).toBe("2026Q4 没有逾期未履行的职责。");
      expect(packHtml(pack)).toContain("2026Q4 没有逾期未履行的职责。");
    } finally {
      await empty.close();
    }
  });

  it("writes an XLSX with one printable sheet per section", async () => {
    const pack = await quarterlyPack(t.deps, d.officer, { quarter: "2026Q4" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["全区概况", "各单位情况", "与上季度对比", "地方留成税收目标完成情况", "责任追究", "说明"]);
    for (const s of wb.worksheets) {
      expect(s.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" });
    }
    const units = wb.getWorksheet("各单位情况")!;
    const names = units.getColumn(1).values.slice(2).map(String);
    expect(names).toContain("红旗镇（合计）");
    expect(names).toContain("红旗镇东庄村委会");
    const compare = wb.getWorksheet("与上季度对比")!;
    expect(compare.getRow(2).values).toEqual([undefined, "进步单位", "区住建局", 0, 1]);
  });

  it.skipIf(!hasChromium)("prints a PDF whose text reads back in Chinese", { timeout: 120_000 }, async () => {
    const files = await writePackFiles(await quarterlyPack(t.deps, d.officer, { quarter: "2026Q4" }), join(dir, "out"));
    expect(files.map((f) => f.split("/").pop())).toEqual(["oversight-pack-2026Q4.xlsx", "oversight-pack-2026Q4.html", "oversight-pack-2026Q4.pdf"]);
    expect(readFileSync(files[2]!).subarray(0, 5).toString()).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-layout", files[2]!, "-"], { encoding: "utf8" });
    expect(text).toContain("协税护税工作");
    expect(text).toContain("进步单位");
    expect(text).toContain("区住建局");
    expect(text).toContain("红旗镇东庄村委会");
    expect(text).toContain("责任追究");
  });

  it("lists who was late on which duty in the quarter and the reminders sent (责任追究), in a sheet and a printed section", async () => {
    const pack = await quarterlyPack(t.deps, d.officer, { quarter: "2026Q4" });
    const list = pack.accountability!;
    expect(list.empty).toBe(false);
    // The construction bureau's September feed (due 2026-10-10) is still missing on December 5.
    const sept = list.items.find((i) => i.unit.code === d.builder && i.duty.text.includes("2026-09"))!;
    expect(sept).toMatchObject({ dueOn: "2026-10-10", daysLate: 56, done: false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("责任追究")!;
    expect(sheet.getRow(1).values).toContain("逾期天数");
    const lines = sheet.getColumn(1).values.slice(2).map(String);
    expect(lines.filter((l) => l === "区住建局")).toHaveLength(list.items.filter((i) => i.unit.code === d.builder).length);
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true, printTitlesRow: "1:1" });
    const html = packHtml(pack);
    expect(html).toContain("<h2>责任追究</h2>");
    expect(html).toMatch(/区住建局<\/td><td>[^<]*2026-09 期<\/td><td>2026-10-10<\/td><td class="n">56<\/td>/);
    expect(html).not.toMatch(/feed_construction_permits|\bfeed\b/);
  });

  it("has a targets section that says in one line when the year has no targets", async () => {
    const pack = await quarterlyPack(t.deps, d.officer, { quarter: "2026Q4" });
    expect(pack.targets).toMatchObject({ quarter: "2026Q4", noTargets: true });
    const html = packHtml(pack);
    expect(html).toContain("地方留成税收目标完成情况");
    expect(html).toContain("本年度尚未下达地方留成税收目标");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet("地方留成税收目标完成情况")!.getCell("A2").value).toBe("本年度尚未下达地方留成税收目标");
  });

  it("shows each town's progress against its targets: bars per tax, the quarter's and the year's actuals in 万元", async () => {
    const csv = (text: string) => ({ stream: Readable.from([Buffer.from(text)]), fileName: "f.csv" });
    await importTaxFigures(t.deps, d.officer, csv("年度,镇街,税种,目标(万元)\n2026,红旗镇,房产税,1200\n2026,红旗镇,车船税,100\n"), { kind: "targets" });
    const months = Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")},hongqi-town,房产税,1000000`);
    await importTaxFigures(t.deps, d.officer, csv(["月份,镇街,税种,入库税款(元)", ...months, "2026-11,hongqi-town,车船税,50000"].join("\n")), { kind: "actuals" });
    const pack = await quarterlyPack(t.deps, d.officer, { quarter: "2026Q4" });
    expect(pack.targets).toMatchObject({ through: "2026-11", monthsElapsed: 11, noTargets: false });
    const town = pack.targets!.towns.find((x) => x.unit.code === d.town)!;
    expect(town.taxes[0]).toMatchObject({ targetFen: "1200000000", actualFen: "1100000000", quarterFen: "200000000", status: "on_track" });
    expect(town.taxes[2]).toMatchObject({ status: "behind" });
    const html = packHtml(pack);
    expect(html).toContain("入库数据截至 2026-11");
    expect(html).toContain("1,100.00 / 1,200.00 · 91.7% · 符合进度 · 本季度入库 200.00");
    expect(html).toContain("落后");
    expect(html).toContain("#c62828");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("地方留成税收目标完成情况")!;
    expect(sheet.getRow(1).values).toEqual([undefined, "税种", "镇街", "年度目标(万元)", "本季度入库(万元)", "累计入库(万元)", "完成进度", "时间进度", "状态"]);
    expect(sheet.getRow(2).values).toEqual([undefined, "房产税", "全区合计", 1200, 200, 1100, 0.9166, 11 / 12, "符合进度"]);
    expect(sheet.getRow(3).values).toEqual([undefined, "房产税", "红旗镇", 1200, 200, 1100, 0.9166, 11 / 12, "符合进度"]);
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true });
  });
});
