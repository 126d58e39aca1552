import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { makeRentalData, makeVehicleData } from "../../../../../test/factories/reports.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../../../test/factories/paths.ts";
import { checkClearance, importClearances } from "../clearances/index.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import { renderOutboxPayload } from "../outbox.ts";
import { FAILED_CHECK_WINDOW_MS } from "../../domain/reports/registry.ts";
import { makeJpeg } from "../../../../../test/factories/images.ts";
import {
  addReportPhoto,
  fileNilReport,
  getReport,
  listMyReports,
  resubmitReport,
  reviewInbox,
  reviewReport,
  startVehicleReport,
  submitReport,
} from "./index.ts";

// Issue 8 points 4 and 5 in core: the failed check as the authority to report a vehicle, and
// returned reports corrected as new versions of the same report.
const clock = createFixedClock("2026-11-26T04:00:00Z");
const rejects = expectAppError;
let t: TestDb;
let checker: Actor;
let officer: Actor;
let village: Actor;

const check = (actor: Actor, key: string) => checkClearance(t.deps, actor, { kind: "vehicle_vessel", key }, { rateLimitPerHour: 0 });

beforeEach(async () => {
  clock.set("2026-11-26T04:00:00Z");
  t = createTestDb({ clock });
  await importClearances(t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
  const traffic = await makeUnit(t.deps, { type: "traffic_police", name: "交警一中队" });
  await t.db.prisma.unit.update({ where: { code: traffic }, data: { address: "人民路 88 号检查站" } });
  checker = (await makeUser(t.deps, { roles: ["checker"], unit: traffic, name: "李警官" })).actor;
  officer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
  village = (await makeUser(t.deps, { roles: ["reporter"], unitType: "village", name: "村文书" })).actor;
});
afterEach(async () => {
  await t.close();
});

describe("a vehicle report from a failed check (checker without the reporter role)", () => {
  it("is filed and tied to the checker's own failed check of that plate", async () => {
    const result = await check(checker, "豫a12345");
    expect(result.cleared).toBe(false);
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "clearance.check", userId: checker.userId } });
    const { created, report } = await submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00001", data: makeVehicleData() });
    expect(created).toBe(true);
    expect(report).toMatchObject({ status: "submitted", timeliness: "on_time" });
    const row = await t.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(row.sourceCheckId).toBe(audit.id);
    expect(await t.db.prisma.auditLog.count({ where: { action: "report.submit", result: "ok", userId: checker.userId } })).toBe(1);
  });

  it("is refused without a failed check, for another plate, or for someone else's check", async () => {
    let e = await rejects(submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00002", data: makeVehicleData() }));
    expect(e).toMatchObject({ code: "forbidden", reason: "no_failed_check" });
    await check(checker, "豫A54321");
    e = await rejects(submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00003", data: makeVehicleData() }));
    expect(e.reason).toBe("no_failed_check");
    const colleague = (await makeUser(t.deps, { roles: ["checker"], unit: checker.unit.code })).actor;
    await check(colleague, "豫A12345");
    e = await rejects(submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00004", data: makeVehicleData() }));
    expect(e.reason).toBe("no_failed_check");
    expect(await t.db.prisma.report.count()).toBe(0);
  });

  it("is refused once the check is older than the window, and for a plate that was cleared", async () => {
    await check(checker, "豫A12345");
    clock.advance(FAILED_CHECK_WINDOW_MS + 60_000);
    const late = await rejects(submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00005", data: makeVehicleData() }));
    expect(late.reason).toBe("no_failed_check");
    expect((await check(checker, "豫HMC8R6")).cleared).toBe(true);
    const cleared = await rejects(
      submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00006", data: makeVehicleData({ plate: "豫HMC8R6", missingYears: [2026] }) }),
    );
    expect(cleared.reason).toBe("no_failed_check");
  });

  it("refuses years the check found paid, next to the years field", async () => {
    // 豫BYTY80 has a paid 2025 certificate in the sample: only 2026 is missing.
    await check(checker, "豫BYTY80");
    const e = await rejects(
      submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00007", data: makeVehicleData({ plate: "豫BYTY80", missingYears: [2025, 2026] }) }),
    );
    expect(e.code).toBe("invalid_input");
    expect(e.fields?.["data.missingYears"]).toContain("2025");
    const ok = await submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00008", data: makeVehicleData({ plate: "豫BYTY80", missingYears: [2026] }) });
    expect(ok.created).toBe(true);
  });

  it("gives a checker only the vehicle report, and only in a unit that files it", async () => {
    await check(checker, "豫A12345");
    const rental = await rejects(submitReport(t.deps, checker, { type: "rental", clientId: "veh-00009", data: makeRentalData() }));
    expect(rental.code).toBe("forbidden");
    const landChecker = (await makeUser(t.deps, { roles: ["checker"], unitType: "land_bureau" })).actor;
    await check(landChecker, "豫A12345");
    const other = await rejects(submitReport(t.deps, landChecker, { type: "vehicle_no_clearance", clientId: "veh-00010", data: makeVehicleData() }));
    expect(other).toMatchObject({ code: "forbidden", reason: "type_not_allowed" });
    const nobody = (await makeUser(t.deps, { roles: ["trainer"], unit: checker.unit.code })).actor;
    expect((await rejects(submitReport(t.deps, nobody, { type: "vehicle_no_clearance", clientId: "veh-00011", data: makeVehicleData() }))).code).toBe("forbidden");
  });

  it("still lets a traffic-police reporter file without a check, as before", async () => {
    const reporter = (await makeUser(t.deps, { roles: ["reporter"], unit: checker.unit.code })).actor;
    const r = await submitReport(t.deps, reporter, { type: "vehicle_no_clearance", clientId: "veh-00012", data: makeVehicleData() });
    expect(r.created).toBe(true);
    expect((await t.db.prisma.report.findUniqueOrThrow({ where: { id: r.report.id } })).sourceCheckId).toBeNull();
  });

  it("lets the checker attach photos to that report and list it as their own", async () => {
    await check(checker, "豫A12345");
    const { report } = await submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00013", data: makeVehicleData() });
    const photo = await addReportPhoto(t.deps, checker, report.id, await makeJpeg());
    expect(photo.created).toBe(true);
    expect((await listMyReports(t.deps, checker)).map((r) => r.id)).toEqual([report.id]);
  });

  it("starts the form from the server's record of the check: years, the unit's address and a guessed type", async () => {
    await check(checker, "豫BYTY80");
    const draft = await startVehicleReport(t.deps, checker, { plate: "豫byty80" }, { locale: "zh-CN" });
    expect(draft).toEqual({ fromCheck: true, data: { plate: "豫BYTY80", missingYears: [2026], place: "人民路 88 号检查站", vehicleType: "小型汽车" } });
    await check(checker, "豫AD12345");
    expect((await startVehicleReport(t.deps, checker, { plate: "豫AD12345" }, { locale: "en" })).data.vehicleType).toBe("Small new-energy car");
    const none = await startVehicleReport(t.deps, checker, { plate: "豫A99999" });
    expect(none).toMatchObject({ fromCheck: false, data: { plate: "豫A99999", place: "人民路 88 号检查站" } });
    expect(none.data.missingYears).toBeUndefined();
    expect((await rejects(startVehicleReport(t.deps, checker, { plate: "not a plate" }))).code).toBe("invalid_input");
    expect((await rejects(startVehicleReport(t.deps, village, { plate: "豫A12345" }))).code).toBe("forbidden");
  });
});

async function fileRental(over: Record<string, unknown> = {}) {
  return (await submitReport(t.deps, village, { type: "rental", clientId: "rent-00001", data: makeRentalData(over) })).report;
}

describe("returned reports corrected as a new version", () => {
  it("lets the reviewer name the fields concerned, and tells the reporter with a resubmit action", async () => {
    const report = await fileRental({ leaseEnd: "2026-12-01" });
    const returned = await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "请与合同核对", fields: ["leaseEnd"] });
    expect(returned).toMatchObject({ status: "returned", reviewComment: "请与合同核对", returnedFields: ["leaseEnd"], version: 1 });
    const msg = await t.db.prisma.outbox.findFirstOrThrow({ where: { userId: village.userId } });
    const payload = JSON.parse(msg.payload) as { buttons?: unknown };
    expect(payload.buttons).toEqual([[{ key: "bot-report-fix-button", data: `rpt:fix:${report.id}` }]]);
    expect(renderOutboxPayload(payload, "zh-CN")).toContain("租期结束");
  });

  it("refuses field names the type does not have, and fields on an accept", async () => {
    const report = await fileRental();
    const bad = await rejects(reviewReport(t.deps, officer, report.id, { decision: "return", comment: "请核对", fields: ["nope"] }));
    expect(bad.code).toBe("invalid_input");
    expect(Object.keys(bad.fields ?? {})).toEqual(["fields"]);
    const accept = await rejects(reviewReport(t.deps, officer, report.id, { decision: "accept", fields: ["address"] }));
    expect(accept.code).toBe("invalid_input");
    expect((await t.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } })).status).toBe("submitted");
  });

  it("resubmits the corrected report as version 2 of the same report, keeping version 1", async () => {
    const report = await fileRental({ leaseEnd: "2026-12-01" });
    await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "租期结束日期请核对", fields: ["leaseEnd"] });
    clock.advance(3600_000);
    const r = await resubmitReport(t.deps, village, report.id, { clientId: "rent-fix-01", data: makeRentalData({ leaseEnd: "2027-10-31" }) });
    expect(r.created).toBe(true);
    expect(r.report).toMatchObject({ id: report.id, version: 2, status: "submitted", reviewComment: null, returnedFields: [], timeliness: "on_time" });
    expect(r.report.data.leaseEnd).toBe("2027-10-31");
    const history = await t.db.prisma.reportVersion.findMany({ where: { reportId: report.id } });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ version: 1, clientId: "rent-00001", reviewComment: "租期结束日期请核对", reviewerId: officer.userId });
    expect(JSON.parse(history[0]!.data).leaseEnd).toBe("2026-12-01");
    expect(await t.db.prisma.report.count()).toBe(1);
    expect(await t.db.prisma.auditLog.count({ where: { action: "report.resubmit", subject: report.id, result: "ok" } })).toBe(1);
  });

  it("shows the reviewer the latest version in the inbox and a field-level diff", async () => {
    const report = await fileRental({ leaseEnd: "2026-12-01", monthlyRent: 1000 });
    await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "请核对" });
    await resubmitReport(t.deps, village, report.id, { clientId: "rent-fix-02", data: makeRentalData({ leaseEnd: "2027-10-31", monthlyRent: 1000 }) });
    const inbox = await reviewInbox(t.deps, officer, { status: "submitted" });
    expect(inbox.map((r) => [r.id, r.version])).toEqual([[report.id, 2]]);
    const detail = await getReport(t.deps, officer, report.id);
    expect(detail.changes).toEqual([{ field: "leaseEnd", before: "2026-12-01", after: "2027-10-31" }]);
    expect(detail.versions).toEqual([
      expect.objectContaining({ version: 1, status: "returned", reviewComment: "请核对" }),
      expect.objectContaining({ version: 2, status: "submitted", reviewComment: null }),
    ]);
  });

  it("returns the same version for the same clientId, also when retries race", async () => {
    const report = await fileRental({ leaseEnd: "2026-12-01" });
    await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "请核对" });
    const body = { clientId: "rent-fix-03", data: makeRentalData() };
    const results = await Promise.all([1, 2, 3].map(() => resubmitReport(t.deps, village, report.id, body)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.every((r) => r.report.version === 2)).toBe(true);
    const again = await resubmitReport(t.deps, village, report.id, body);
    expect(again).toMatchObject({ created: false, report: { version: 2 } });
    expect(await t.db.prisma.reportVersion.count()).toBe(1);
  });

  it("lets only one of two different corrections win", async () => {
    const report = await fileRental({ leaseEnd: "2026-12-01" });
    await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "请核对" });
    const outcomes = await Promise.allSettled([
      resubmitReport(t.deps, village, report.id, { clientId: "rent-fix-04", data: makeRentalData() }),
      resubmitReport(t.deps, village, report.id, { clientId: "rent-fix-05", data: makeRentalData({ tenantName: "王五" }) }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: "conflict", reason: "not_returned" });
    expect(await t.db.prisma.reportVersion.count()).toBe(1);
  });

  it("refuses a report that is not returned, someone else's, a feed, and bad data, writing nothing", async () => {
    const report = await fileRental();
    const notReturned = await rejects(resubmitReport(t.deps, village, report.id, { clientId: "rent-fix-06", data: makeRentalData() }));
    expect(notReturned).toMatchObject({ code: "conflict", reason: "not_returned" });
    await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "请核对" });
    const colleague = (await makeUser(t.deps, { roles: ["reporter"], unit: village.unit.code })).actor;
    expect((await rejects(resubmitReport(t.deps, colleague, report.id, { clientId: "rent-fix-07", data: makeRentalData() }))).code).toBe("not_found");
    expect((await rejects(resubmitReport(t.deps, village, "nope", { clientId: "rent-fix-08", data: makeRentalData() }))).code).toBe("not_found");
    const bad = await rejects(resubmitReport(t.deps, village, report.id, { clientId: "rent-fix-09", data: makeRentalData({ leaseEnd: "2026-01-01" }) }, { locale: "en" }));
    expect(bad.fields).toEqual({ "data.leaseEnd": "The lease must end after it starts" });
    const shape = await rejects(resubmitReport(t.deps, village, report.id, { clientId: "x", data: "nope" }));
    expect(Object.keys(shape.fields ?? {}).sort()).toEqual(["clientId", "data"]);
    const reuse = await rejects(resubmitReport(t.deps, village, report.id, { clientId: "rent-00001", data: makeRentalData() }));
    expect(reuse).toMatchObject({ code: "conflict", reason: "client_id_used" });
    expect(await t.db.prisma.reportVersion.count()).toBe(0);
    expect((await t.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } })).status).toBe("returned");

    const constructionUnit = (await makeUser(t.deps, { roles: ["reporter"], unitType: "construction_bureau" })).actor;
    const nil = await fileNilReport(t.deps, constructionUnit, { type: "feed_construction_permits", period: "2026-10" });
    await reviewReport(t.deps, officer, nil.report.id, { decision: "return", comment: "请上传" });
    const feed = await rejects(resubmitReport(t.deps, constructionUnit, nil.report.id, { clientId: "feed-fix-01", data: {} }));
    expect(feed).toMatchObject({ code: "invalid_input", reason: "type_is_feed" });
  });

  it("keeps the original filing time for timeliness", async () => {
    // Lease from 2026-11-01: due within 30 days. Filed on time, returned, corrected a month later.
    const report = await fileRental({ leaseEnd: "2026-12-01" });
    await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "请核对" });
    clock.advance(40 * 86_400_000);
    const r = await resubmitReport(t.deps, village, report.id, { clientId: "rent-fix-10", data: makeRentalData() });
    expect(r.report.timeliness).toBe("on_time");
  });

  it("lets a checker correct their own returned vehicle report", async () => {
    await check(checker, "豫A12345");
    const { report } = await submitReport(t.deps, checker, { type: "vehicle_no_clearance", clientId: "veh-00020", data: makeVehicleData({ ownerName: "王" }) });
    await reviewReport(t.deps, officer, report.id, { decision: "return", comment: "车主姓名不全", fields: ["ownerName"] });
    clock.advance(2 * FAILED_CHECK_WINDOW_MS);
    const r = await resubmitReport(t.deps, checker, report.id, { clientId: "veh-fix-01", data: makeVehicleData({ ownerName: "王五" }) });
    expect(r.report).toMatchObject({ version: 2, status: "submitted" });
  });
});
