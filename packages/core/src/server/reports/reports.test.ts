import { afterEach, beforeEach, describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { createDb } from "../db.ts";
import { createDeps } from "../deps.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { makeConstructionCsv, makePerformanceData, makeRentalData, makeVehicleData, TEST_USCC } from "../../../../../test/factories/reports.ts";
import { constructionPermitsFeed } from "../../domain/reports/feeds.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import {
  addReportPhoto,
  exportReports,
  fileNilReport,
  findPossibleDuplicates,
  listMyReports,
  missingFeeds,
  reportTimeliness,
  reviewInbox,
  reviewReport,
  scheduleReminders,
  createReminderScheduler,
  submitReport,
  uploadFeed,
} from "./index.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { makeJpeg } from "../../../../../test/factories/images.ts";

const clock = createFixedClock("2026-11-26T04:00:00Z");
let t: TestDb;
let village: Actor;
let officer: Actor;

const rejects = expectAppError;

beforeEach(async () => {
  clock.set("2026-11-26T04:00:00Z");
  t = createTestDb({ clock });
  village = (await makeUser(t.deps, { roles: ["reporter"], unitType: "village", name: "村文书" })).actor;
  officer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
});
afterEach(async () => {
  await t.close();
});

describe("submitReport", () => {
  it("files a rental on time, and the same clientId again returns the first report", async () => {
    const first = await submitReport(t.deps, village, { type: "rental", clientId: "draft-0001", data: makeRentalData() });
    expect(first.created).toBe(true);
    expect(first.report).toMatchObject({ status: "submitted", timeliness: "on_time", possibleDuplicateOf: null });
    const again = await submitReport(t.deps, village, { type: "rental", clientId: "draft-0001", data: makeRentalData({ tenantName: "changed" }) });
    expect(again).toMatchObject({ created: false, report: { id: first.report.id } });
    expect(await t.db.prisma.report.count()).toBe(1);
    expect(await t.db.prisma.auditLog.count({ where: { action: "report.submit", result: "ok" } })).toBe(1);
  });

  it("never stores a second report when two retries of the same clientId race", async () => {
    const body = { type: "rental", clientId: "draft-race1", data: makeRentalData() };
    const results = await Promise.all([submitReport(t.deps, village, body), submitReport(t.deps, village, body), submitReport(t.deps, village, body)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.report.id)).size).toBe(1);
    expect(await t.db.prisma.report.count()).toBe(1);
  });

  it("refuses a type the unit may not file with 403", async () => {
    const e = await rejects(submitReport(t.deps, village, { type: "performance", clientId: "draft-0002", data: makePerformanceData() }));
    expect(e.code).toBe("forbidden");
    expect(await t.db.prisma.report.count()).toBe(0);
  });

  it("returns field errors under data.* and saves nothing", async () => {
    const e = await rejects(submitReport(t.deps, village, { type: "rental", clientId: "draft-0003", data: makeRentalData({ leaseEnd: "2026-10-01" }) }, { locale: "en" }));
    expect(e.code).toBe("invalid_input");
    expect(e.fields).toEqual({ "data.leaseEnd": "The lease must end after it starts" });
    expect(await t.db.prisma.report.count()).toBe(0);
  });

  it("flags a second report of the same rental and finds it before submitting", async () => {
    const other = (await makeUser(t.deps, { roles: ["reporter"], unitType: "community" })).actor;
    const a = await submitReport(t.deps, village, { type: "rental", clientId: "draft-0004", data: makeRentalData() });
    const hint = await findPossibleDuplicates(t.deps, other, { type: "rental", data: { address: "幸福镇东村3组12号", landlordIdNo: makeRentalData().landlordIdNo, leaseStart: "2026-11-01" } });
    expect(hint).toHaveLength(1);
    expect(hint[0]!.message).toContain("已于 2026-11-26 报送过相同的内容");
    expect(hint[0]!.summary).toBeNull(); // another unit's tenant details stay with that unit
    const b = await submitReport(t.deps, other, { type: "rental", clientId: "draft-0005", data: makeRentalData({ address: "幸福镇东村３组１２号" }) });
    expect(b.report.possibleDuplicateOf).toBe(a.report.id);
  });

  it("marks a rental filed after 30 days as late", async () => {
    const r = await submitReport(t.deps, village, { type: "rental", clientId: "draft-0006", data: makeRentalData({ leaseStart: "2026-10-26" }) });
    expect(r.report.timeliness).toBe("late");
  });

  it("refuses a performance after the show started and records it as overdue once", async () => {
    const venue = (await makeUser(t.deps, { roles: ["reporter"], unitType: "venue" })).actor;
    const data = makePerformanceData({ startsAt: "2026-11-26 11:00", endsAt: "2026-11-26 22:00" });
    for (let i = 0; i < 2; i++) {
      const e = await rejects(submitReport(t.deps, venue, { type: "performance", clientId: "show-0001", data }));
      expect(e.reason).toBe("show_started");
      expect(e.fields?.["data.startsAt"]).toContain("演出已经开始");
    }
    expect(await t.db.prisma.report.count()).toBe(0);
    expect(await t.db.prisma.refusedReport.count({ where: { unitId: venue.unitId } })).toBe(1);
    const stats = await reportTimeliness(t.deps, officer, "2026-11");
    expect(stats.find((s) => s.unit.code === venue.unit.code)).toMatchObject({ refused: 1, overdue: 1, onTime: 0 });
    const late = await submitReport(t.deps, venue, { type: "performance", clientId: "show-0002", data: makePerformanceData({ startsAt: "2026-11-28 19:30" }) });
    expect(late.report.timeliness).toBe("late");
  });

  it("files a vehicle without clearance", async () => {
    const police = (await makeUser(t.deps, { roles: ["reporter"], unitType: "traffic_police" })).actor;
    const r = await submitReport(t.deps, police, { type: "vehicle_no_clearance", clientId: "veh-00001", data: makeVehicleData({ plate: "豫ａ 12345" }) });
    expect(r.report.data.plate).toBe("豫A12345");
  });
});

describe("review", () => {
  it("accepts or returns with a reason, tells the reporter through the outbox, and reviews once", async () => {
    const { report } = await submitReport(t.deps, village, { type: "rental", clientId: "draft-0101", data: makeRentalData() });
    expect(await rejects(reviewReport(t.deps, village, report.id, { decision: "accept" }))).toMatchObject({ code: "forbidden" });
    const noReason = await rejects(reviewReport(t.deps, officer, report.id, { decision: "return" }));
    expect(noReason.fields?.comment).toContain("原因");
    const inbox = await reviewInbox(t.deps, officer, { type: "rental", status: "submitted", period: "2026-11" });
    expect(inbox.map((r) => r.id)).toEqual([report.id]);
    const reviewed = await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "房东身份证号请核对" });
    expect(reviewed).toMatchObject({ status: "returned", reviewComment: "房东身份证号请核对" });
    const msg = await t.db.prisma.outbox.findFirstOrThrow({ where: { userId: village.userId } });
    expect(JSON.parse(msg.payload)).toMatchObject({ key: "report-returned-notice", params: { comment: "房东身份证号请核对" } });
    expect((await rejects(reviewReport(t.deps, officer, report.id, { decision: "accept" }))).code).toBe("conflict");
    expect((await listMyReports(t.deps, village))[0]).toMatchObject({ status: "returned", reviewComment: "房东身份证号请核对" });
  });
});

// Every upload is read in a worker thread, which takes a second or two to start on a busy machine.
describe("feeds", { timeout: 30_000 }, () => {
  let bureau: Actor;
  beforeEach(async () => {
    bureau = (await makeUser(t.deps, { roles: ["reporter"], unitType: "construction_bureau" })).actor;
  });

  it("stores a valid CSV with its rows and flags plot ratios below 1.0", async () => {
    const r = await uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", fileName: "10月.csv", bytes: Buffer.from(makeConstructionCsv()) });
    expect(r).toMatchObject({ created: true, rows: 2, format: "csv", encoding: "utf-8", flagged: [{ line: 2, flag: "report-flag-low-plot-ratio" }] });
    expect(r.report.timeliness).toBe("late"); // due 2026-11-10, filed 2026-11-26
    expect(await t.db.prisma.feedRow.count()).toBe(2);
    const again = await uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", bytes: Buffer.from(makeConstructionCsv()) });
    expect(again.created).toBe(false);
  });

  it("decodes a GBK CSV from Excel", async () => {
    const r = await uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-11", bytes: iconv.encode(makeConstructionCsv(), "gbk") });
    expect(r).toMatchObject({ encoding: "gb18030", rows: 2 });
    expect(r.report.timeliness).toBe("on_time");
  });

  it("reads an XLSX with real dates and numbers", async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet("x");
    s.addRow(constructionPermitsFeed.columns.map((c) => c.header));
    s.addRow(["施许2026-009", "项目", "建设单位", TEST_USCC, "地址", 5000, 0.6, null, new Date("2026-10-03T00:00:00Z")]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", bytes });
    expect(r).toMatchObject({ format: "xlsx", rows: 1 });
    const row = await t.db.prisma.feedRow.findFirstOrThrow();
    expect(JSON.parse(row.data)).toMatchObject({ issuedOn: "2026-10-03", plotRatio: 0.6 });
    expect(row.line).toBe(2);
  });

  it("refuses wrong columns and bad rows as a whole, with line numbers, saving nothing", async () => {
    const wrong = await rejects(uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", bytes: Buffer.from("a,b\n1,2\n") }));
    expect(wrong.reason).toBe("columns_wrong");
    expect(wrong.fields?.["columns.a"]).toBe("不认识的列");
    const bad = makeConstructionCsv([
      ["施许2026-001", "阳光花园", "某某置业", TEST_USCC, "幸福路 1 号", "12000", "0.8", "", "2026-10-03"],
      ["施许2026-002", "幸福大厦", "某某置业", "91410100MA00000010", "幸福路 2 号", "abc", "2.5", "", "2026-02-30"],
    ]);
    const rows = await rejects(uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", bytes: Buffer.from(bad) }));
    expect(rows.reason).toBe("rows_invalid");
    expect(Object.keys(rows.fields!).sort()).toEqual(["rows.3.developerUscc", "rows.3.floorArea", "rows.3.issuedOn"]);
    expect(await t.db.prisma.report.count()).toBe(0);
    expect(await t.db.prisma.feedRow.count()).toBe(0);
  });

  it("refuses a file over 50 MB and a non-table file", async () => {
    const big = await rejects(uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", bytes: Buffer.alloc(50 * 1024 * 1024 + 1, 0x41) }));
    expect(big.code).toBe("payload_too_large");
    const png = await rejects(uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10", bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) }));
    expect(png.reason).toBe("file_format");
  });

  it("accepts 本期无, shows units that filed nothing as missing, and refuses a future period", async () => {
    const other = await makeUnit(t.deps, { type: "construction_bureau" });
    const nil = await fileNilReport(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10" });
    expect(nil.report).toMatchObject({ nil: true, period: "2026-10" });
    expect((await fileNilReport(t.deps, bureau, { type: "feed_construction_permits", period: "2026-10" })).created).toBe(false);
    const missing = await missingFeeds(t.deps, officer, "2026-10");
    const construction = missing.filter((m) => m.type === "feed_construction_permits");
    expect(construction.map((m) => m.unit.code)).toEqual([other]);
    expect(construction[0]!.overdue).toBe(true);
    await uploadFeed(t.deps, bureau, { type: "feed_construction_permits", period: "2026-09", bytes: Buffer.from(makeConstructionCsv()) });
    expect((await rejects(fileNilReport(t.deps, bureau, { type: "feed_construction_permits", period: "2026-09" }))).code).toBe("conflict");
    const future = await rejects(fileNilReport(t.deps, bureau, { type: "feed_construction_permits", period: "2026-12" }));
    expect(future.fields?.period).toBeDefined();
  });

  it("queues reminders 3 days before and on the due day, once each", async () => {
    clock.set("2026-12-07T00:30:00Z"); // 2026-12-07 08:30 CST, 3 days before 12-10
    expect(await scheduleReminders(t.deps)).toBeGreaterThanOrEqual(1);
    expect(await scheduleReminders(t.deps)).toBe(0);
    const before = await t.db.prisma.outbox.findFirstOrThrow({ where: { userId: bureau.userId } });
    expect(JSON.parse(before.payload).key).toBe("feed-reminder-before");
    expect(before.sendAfter.toISOString()).toBe("2026-12-07T01:00:00.000Z"); // 09:00 CST
    clock.set("2026-12-10T03:00:00Z");
    expect(await scheduleReminders(t.deps)).toBeGreaterThanOrEqual(1);
    expect(await scheduleReminders(t.deps)).toBe(0);
    await fileNilReport(t.deps, bureau, { type: "feed_construction_permits", period: "2026-11" });
    const keys = (await t.db.prisma.outbox.findMany({ where: { userId: bureau.userId } })).map((o) => JSON.parse(o.payload).key);
    expect(keys.sort()).toEqual(["feed-reminder-before", "feed-reminder-today"]);
    clock.set("2026-12-15T01:00:00Z");
    expect(await t.db.prisma.outbox.count({ where: { userId: bureau.userId } })).toBe(2);
  });

  it("sends a reminder once even after a restart (a second process on the same database)", async () => {
    clock.set("2026-12-08T02:00:00Z");
    expect(await createReminderScheduler(t.deps).runOnce()).toBeGreaterThanOrEqual(1);
    const db2 = createDb(t.url);
    try {
      expect(await createReminderScheduler(createDeps(db2, { clock })).runOnce()).toBe(0);
    } finally {
      await db2.close();
    }
  });
});

describe("photos", () => {
  it("accepts a real image once and refuses anything else", async () => {
    const { report } = await submitReport(t.deps, village, { type: "rental", clientId: "draft-0201", data: makeRentalData() });
    const jpeg = await makeJpeg();
    const a = await addReportPhoto(t.deps, village, report.id, jpeg);
    expect(a).toMatchObject({ mime: "image/jpeg", created: true });
    expect((await addReportPhoto(t.deps, village, report.id, jpeg)).created).toBe(false);
    expect((await rejects(addReportPhoto(t.deps, village, report.id, Buffer.from("<script>alert(1)</script>")))).reason).toBe("not_an_image");
    expect((await rejects(addReportPhoto(t.deps, village, report.id, Buffer.concat([jpeg, Buffer.alloc(6 * 1024 * 1024)])))).code).toBe("payload_too_large");
    expect(await t.db.prisma.reportPhoto.count()).toBe(1);
  });
});

describe("export", () => {
  it("exports a month of rentals to CSV with Chinese headers and neutralised formulas", async () => {
    await submitReport(t.deps, village, { type: "rental", clientId: "draft-0301", data: makeRentalData({ tenantName: "=HYPERLINK(1)" }) });
    const out = await exportReports(t.deps, officer, { type: "rental", period: "2026-11", format: "csv" });
    const text = out.body.toString("utf8");
    expect(text.startsWith("\uFEFF报告编号")).toBe(true);
    expect(text).toContain("'=HYPERLINK(1)");
    expect(text).toContain("居住");
    expect(out.count).toBe(1);
    const xlsx = await exportReports(t.deps, systemActor("test"), { type: "rental", period: "2026-11", format: "xlsx" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(2);
  });
});
