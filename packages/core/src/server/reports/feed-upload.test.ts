import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { makeConstructionCsv, TEST_USCC } from "../../../../../test/factories/reports.ts";
import { manyStringsXlsx, reviewBombXlsx, sharedStringBombXlsx, wideRowsXlsx } from "../../../../../test/factories/xlsx.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { t as translate } from "../../domain/i18n.ts";
import { constructionPermitsFeed } from "../../domain/reports/feeds.ts";
import type { Actor } from "../identity/actor.ts";
import { fileNilReport, uploadFeed } from "./index.ts";
import { MAX_FEED_CELL_CHARS, MAX_FEED_COLUMNS, MAX_FEED_ROWS, MAX_FEED_SHARED_STRINGS } from "./feed-file.ts";

// Issue 7, points 1, 6 and 7: hostile feed files are refused while they are read, off the main
// thread; 本期无 and an upload for the same period never both stand; XLSX date-times keep their date.

const clock = createFixedClock("2026-11-26T04:00:00Z");
const HEADER = constructionPermitsFeed.columns.map((c) => c.header);
let t: TestDb;
let bureau: Actor;

beforeEach(async () => {
  t = createTestDb({ clock });
  bureau = (await makeUser(t.deps, { roles: ["reporter"], unitType: "construction_bureau" })).actor;
});
afterEach(async () => {
  await t.close();
});

const upload = (bytes: Buffer, period = "2026-10") => uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period, bytes }, { locale: "zh-CN" });

/** The main thread's heap growth (MB) while `fn` runs, after a GC when one is exposed. */
async function heapGrowthMb(fn: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return (Math.max(peak, process.memoryUsage().heapUsed) - before) / 1024 / 1024;
}

describe("hostile XLSX feeds", { timeout: 60_000 }, () => {
  let review: Buffer;
  beforeAll(async () => {
    review = await reviewBombXlsx();
  }, 120_000);
  afterAll(() => {
    review = Buffer.alloc(0);
  });

  it("refuses the review's 1,000 × 16,384-cell XLSX (under 1 MB zipped) at its first row, without loading it", async () => {
    expect(review.length).toBeLessThan(1024 * 1024);
    let error: unknown;
    const growth = await heapGrowthMb(async () => {
      error = await expectAppError(upload(review));
    });
    expect(error).toMatchObject({ code: "invalid_input", reason: "columns_wrong" });
    // Reading the whole workbook first took ~1.8 GB of this thread's heap and a minute and a half.
    expect(growth).toBeLessThan(64);
    expect(await t.db.prisma.report.count()).toBe(0);
  });

  it("refuses the same cells under a valid header once the sheet inflates past the unpacked cap", async () => {
    const bomb = await reviewBombXlsx({ header: HEADER });
    const e = await expectAppError(upload(bomb));
    expect(e).toMatchObject({ code: "invalid_input", reason: "unpacked_too_large", params: { mb: 256 } });
    expect(translate("zh-CN", e.messageKey!, e.params)).toBe("Excel 文件解压后超过 256 MB，请删去多余内容或拆分后上传");
  });

  it("refuses a row wider than the column cap, naming the cap and the line", async () => {
    const e = await expectAppError(upload(await wideRowsXlsx(HEADER)));
    expect(e).toMatchObject({ reason: "too_many_columns", params: { max: MAX_FEED_COLUMNS, line: 2, found: 16_384 } });
    expect(translate("en", e.messageKey!, e.params)).toBe("A file may have at most 64 columns; line 2 has 16384. Nothing was saved");
  });

  it("refuses a shared-strings blow-up (one 1 MB string behind 9,000 cells) at its first cell", async () => {
    const bomb = await sharedStringBombXlsx(HEADER);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const growth = await heapGrowthMb(async () => {
      const e = await expectAppError(upload(bomb));
      expect(e).toMatchObject({ reason: "cell_too_long", params: { line: 2, max: MAX_FEED_CELL_CHARS } });
    });
    expect(growth).toBeLessThan(64);
  });

  it("refuses a shared-strings table with more entries than the cap", async () => {
    const e = await expectAppError(upload(await manyStringsXlsx(HEADER, MAX_FEED_SHARED_STRINGS + 50_000)));
    expect(e).toMatchObject({ reason: "too_many_strings", params: { max: MAX_FEED_SHARED_STRINGS } });
  });
});

describe("CSV caps", { timeout: 60_000 }, () => {
  const row = ["施许2026-001", "阳光花园", "某某置业有限公司", TEST_USCC, "幸福路 1 号", "12000.5", "0.8", "", "2026-10-03"];

  it("refuses more rows than the row cap, naming it (rows of empty cells count too)", async () => {
    const csv = Buffer.from(`${HEADER.join(",")}\n${row.join(",")}\n${",,,,,,,,\n".repeat(MAX_FEED_ROWS)}`);
    const e = await expectAppError(upload(csv));
    expect(e).toMatchObject({ reason: "too_many_rows", params: { max: MAX_FEED_ROWS } });
    expect(translate("zh-CN", e.messageKey!, e.params)).toBe("一次最多上传 200000 行");
  });

  it("refuses a line with more columns than the cap and a cell over the character cap", async () => {
    const wide = await expectAppError(upload(Buffer.from(`${HEADER.join(",")}\n${row.join(",")}${",1".repeat(MAX_FEED_COLUMNS)}\n`)));
    expect(wide).toMatchObject({ reason: "too_many_columns", params: { line: 2, max: MAX_FEED_COLUMNS } });
    const long = await expectAppError(upload(Buffer.from(`${HEADER.join(",")}\n${row.slice(0, 8).join(",")},${"9".repeat(MAX_FEED_CELL_CHARS + 1)}\n`)));
    expect(long).toMatchObject({ reason: "cell_too_long", params: { line: 2 } });
  });

  it("refuses a single line longer than every cell at its cap before buffering it", async () => {
    const e = await expectAppError(upload(Buffer.from(`${HEADER.join(",")}\n${"a".repeat(MAX_FEED_COLUMNS * MAX_FEED_CELL_CHARS + 10)}`)));
    expect(e).toMatchObject({ reason: "line_too_long", params: { line: 2 } });
  });

  it("refuses a stream that grows past 50 MB with 413 while it is read", async () => {
    let produced = 0;
    async function* endless() {
      // Long lines of blank cells: cheap to read, so the size cap is what stops the file.
      const chunk = Buffer.from(`${`${" ".repeat(100)},`.repeat(8)} \n`.repeat(64));
      yield Buffer.from(`${HEADER.join(",")}\n`);
      for (;;) {
        produced += chunk.length;
        yield chunk;
      }
    }
    const e = await expectAppError(uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", stream: endless() }));
    expect(e).toMatchObject({ code: "payload_too_large", reason: "file_too_large" });
    expect(produced).toBeLessThan(51 * 1024 * 1024);
  });
});

describe("XLSX date-time cells", { timeout: 30_000 }, () => {
  async function xlsxWithIssuedOn(value: Date): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("x");
    s.addRow(HEADER);
    s.addRow(["施许2026-009", "项目", "建设单位", TEST_USCC, "地址", 5000, 0.6, null, value]);
    s.getCell("I2").numFmt = "yyyy-mm-dd hh:mm";
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  // exceljs gives the wall-clock time typed in the sheet as UTC fields: 23:30 stays on its day.
  it("keeps the date typed at 23:30 (CST) and at 00:30", async () => {
    const late = await upload(await xlsxWithIssuedOn(new Date("2026-10-03T23:30:00Z")), "2026-10");
    const early = await upload(await xlsxWithIssuedOn(new Date("2026-10-04T00:30:00Z")), "2026-09");
    const rows = await t.db.prisma.feedRow.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => JSON.parse(r.data).issuedOn)).toEqual(["2026-10-03", "2026-10-04"]);
    expect([late.rows, early.rows]).toEqual([1, 1]);
  });
});

describe("Chinese text in big XLSX feeds", { timeout: 180_000 }, () => {
  // exceljs 4.4.0's streaming reader decodes each chunk on its own, so a character split across two
  // chunks became U+FFFD; the feed reader runs exceljs through xlsx-stream.ts, which fixes that.
  it("reads every project and builder name of a 20,000-row sheet intact", async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("x");
    s.addRow(HEADER);
    const names = ["阳光花园", "幸福大厦", "锦绣华庭", "滨江壹号", "翠湖雅苑"];
    for (let i = 0; i < 20_000; i++) {
      s.addRow([`施许2026-${String(i).padStart(5, "0")}`, `${names[i % 5]}${i}期`, `某某置业有限公司${i % 97}`, TEST_USCC, `幸福路 ${i} 号`, 1000 + i, 0.8, null, "2026-10-03"]);
    }
    const r = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.rows).toBe(20_000);
    const rows = await t.db.prisma.feedRow.findMany({ select: { data: true } });
    const broken = rows.filter((row) => row.data.includes("\uFFFD"));
    expect(broken).toHaveLength(0);
  });
});

describe("本期无 and an upload for the same period", { timeout: 30_000 }, () => {
  const nil = (actor: Actor = bureau) => fileNilReport(t.deps, actor, { type: "feed_construction_permits", period: "2026-10" });

  it("refuses an upload after 本期无 (and 本期无 after an upload) with 409", async () => {
    await nil();
    const e = await expectAppError(upload(Buffer.from(makeConstructionCsv())));
    expect(e).toMatchObject({ code: "conflict", reason: "period_filed_nil" });
    expect(await t.db.prisma.report.count({ where: { nil: false } })).toBe(0);
  });

  it("lets only one of a concurrent 本期无 and upload by two colleagues stand, whichever starts first", async () => {
    const colleague = (await makeUser(t.deps, { roles: ["reporter"], unit: bureau.unit.code })).actor;
    const later = <T>(ms: number, fn: () => Promise<T>) => new Promise<void>((resolve) => setTimeout(resolve, ms)).then(fn);
    // [upload delay, 本期无 delay] in ms: both orders, and starts close enough to overlap.
    const rounds = [[0, 0], [0, 30], [30, 0], [0, 300], [300, 0], [0, 1000]] as const;
    for (const [round, [uploadDelay, nilDelay]] of rounds.entries()) {
      const period = `2026-0${round + 1}`;
      const results = await Promise.allSettled([
        later(uploadDelay, () => uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period, bytes: Buffer.from(makeConstructionCsv()) })),
        later(nilDelay, () => fileNilReport(t.deps, colleague, { type: "feed_construction_permits", period })),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: "conflict" });
      const live = await t.db.prisma.report.findMany({ where: { period, unitId: bureau.unitId } });
      expect(live).toHaveLength(1);
    }
  });
});
