import { afterEach, beforeEach, describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import sharp from "sharp";
import { performanceType, rentalType, vehicleNoClearanceType, type UnitType } from "@xieshui/core";
import { makeUser } from "../../../test/factories/identity.ts";
import { makeConstructionCsv, makePerformanceData, makeRentalData, makeVehicleData, TEST_ID, TEST_USCC } from "../../../test/factories/reports.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

let api: TestApi;
beforeEach(async () => {
  api = await createTestApi();
});
afterEach(async () => {
  await api.close();
});

let seq = 0;
const clientId = () => `test-${Date.now().toString(36)}-${++seq}`;

async function reporter(unitType: UnitType) {
  return (await makeUser(api.t.deps, { roles: ["reporter"], unitType })).token;
}

function file(token: string, payload: unknown, headers: Record<string, string> = {}) {
  return api.app.inject({ method: "POST", url: "/api/v1/reports", payload: payload as object, headers: { ...bearer(token), ...headers } });
}

const reportCount = () => api.t.db.prisma.report.count();

describe("GET /api/v1/report-types", () => {
  it("lists every type with labels, fields and a JSON Schema, or a unit's own types", async () => {
    const all = await api.app.inject({ method: "GET", url: "/api/v1/report-types" });
    expect(all.statusCode).toBe(200);
    const codes = all.json().types.map((t: { code: string }) => t.code);
    expect(codes).toEqual(expect.arrayContaining(["rental", "performance", "vehicle_no_clearance", "feed_construction_permits"]));
    const rental = all.json().types.find((t: { code: string }) => t.code === "rental");
    expect(rental.title["zh-CN"]).toBe("承租房屋登记");
    expect(rental.fields[0]).toMatchObject({ name: "address", kind: "text", label: { "zh-CN": "地址", en: "Address" } });
    expect(rental.jsonSchema.properties.use.enum).toEqual(["residential", "business"]);
    const token = await reporter("traffic_police");
    const mine = await api.app.inject({ method: "GET", url: "/api/v1/report-types", headers: bearer(token) });
    expect(mine.json().types.map((t: { code: string }) => t.code)).toEqual(["vehicle_no_clearance"]);
  });
});

describe("POST /api/v1/reports", () => {
  it("files a rental (201) and answers a retry with the same clientId with 200 and the same body", async () => {
    const token = await reporter("village");
    const id = clientId();
    const first = await file(token, { type: "rental", clientId: id, data: makeRentalData() });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ id: expect.any(String), status: "submitted", timeliness: "on_time", possibleDuplicateOf: null });
    const retry = await file(token, { type: "rental", clientId: id, data: makeRentalData() });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await reportCount()).toBe(1);
  });

  it("files a performance on time ≥ 3 days ahead, late closer, and refuses it once the show has started", async () => {
    const token = await reporter("venue");
    // now = 2026-11-26 10:00 CST
    const ok = await file(token, { type: "performance", clientId: clientId(), data: makePerformanceData({ startsAt: "2026-11-29 19:30", endsAt: "2026-11-29 22:00" }) });
    expect(ok.json().timeliness).toBe("on_time");
    const late = await file(token, { type: "performance", clientId: clientId(), data: makePerformanceData({ title: "另一场", startsAt: "2026-11-30T00:00:00+08:00".replace("11-30", "11-27"), endsAt: "2026-11-27 22:00" }) });
    expect(late.json().timeliness).toBe("late");
    const started = await file(token, { type: "performance", clientId: clientId(), data: makePerformanceData({ title: "已开演", startsAt: "2026-11-26 09:59", endsAt: "2026-11-26 22:00" }) });
    expect(started.statusCode).toBe(400);
    expect(started.json().error).toMatchObject({ code: "invalid_input", reason: "show_started" });
    expect(started.json().error.message).toContain("演出已经开始");
    expect(await api.t.db.prisma.refusedReport.count()).toBe(1);
    expect(await reportCount()).toBe(2);
  });

  it("files a vehicle without clearance with a normalised plate", async () => {
    const token = await reporter("traffic_police");
    const res = await file(token, { type: "vehicle_no_clearance", clientId: clientId(), data: makeVehicleData({ plate: " 豫ａ·１２３４５ ", ownerIdNo: TEST_ID }) });
    expect(res.statusCode).toBe(201);
    const mine = await api.app.inject({ method: "GET", url: "/api/v1/reports/mine", headers: bearer(token) });
    expect(mine.json().reports[0].data.plate).toBe("豫A12345");
  });

  it("answers 403 when the unit does not file that type, and 401 without a token", async () => {
    const token = await reporter("village");
    const res = await file(token, { type: "vehicle_no_clearance", clientId: clientId(), data: makeVehicleData() });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain("车船税未完税报告");
    const officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    expect((await file(officer, { type: "rental", clientId: clientId(), data: makeRentalData() })).statusCode).toBe(403);
    expect((await api.app.inject({ method: "POST", url: "/api/v1/reports", payload: {} })).statusCode).toBe(401);
    expect(await reportCount()).toBe(0);
  });

  it.each([
    ["a number as a string", { monthlyRent: "1200" }, "data.monthlyRent"],
    ["a negative area", { area: -5 }, "data.area"],
    ["an unknown use", { use: "office" }, "data.use"],
    ["text over the limit", { address: "路".repeat(201) }, "data.address"],
    ["a bad ID checksum", { landlordIdNo: TEST_ID.slice(0, 17) + (TEST_ID[17] === "0" ? "1" : "0") }, "data.landlordIdNo"],
    ["a bad USCC checksum", { tenantIdNo: TEST_USCC.slice(0, 17) + (TEST_USCC[17] === "0" ? "1" : "0") }, "data.tenantIdNo"],
    ["an impossible date", { leaseStart: "2026-02-30" }, "data.leaseStart"],
    ["a lease ending before it starts", { leaseEnd: "2026-10-01" }, "data.leaseEnd"],
    ["an object for a string", { tenantName: { $ne: null } }, "data.tenantName"],
    ["an unknown key", { isAdmin: true }, "data.isAdmin"],
    ["control characters", { tenantName: "李\u0000四" }, "data.tenantName"],
  ])("refuses %s with a field message and saves nothing", async (_name, over, path) => {
    const token = await reporter("village");
    const res = await file(token, { type: "rental", clientId: clientId(), data: makeRentalData(over) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("invalid_input");
    expect(Object.keys(res.json().error.fields)).toEqual([path]);
    expect(await reportCount()).toBe(0);
  });

  const kinds = [
    { type: rentalType, unit: "village" as const, data: makeRentalData },
    { type: performanceType, unit: "venue" as const, data: makePerformanceData },
    { type: vehicleNoClearanceType, unit: "traffic_police" as const, data: makeVehicleData },
  ];
  it.each(kinds)("refuses every $type.code field given the wrong type, one field at a time", async ({ type, unit, data }) => {
    const token = await reporter(unit);
    for (const f of type.fields) {
      const wrong = ["number", "money", "integer"].includes(f.kind) ? "12" : f.kind === "years" ? "2025" : 12;
      const res = await file(token, { type: type.code, clientId: clientId(), data: data({ [f.name]: wrong }) });
      expect(res.statusCode, f.name).toBe(400);
      expect(Object.keys(res.json().error.fields), f.name).toEqual([`data.${f.name}`]);
    }
    expect(await reportCount()).toBe(0);
  });

  it("keeps injection strings and odd Unicode as plain text, drops zero-width characters", async () => {
    const token = await reporter("village");
    const res = await file(token, { type: "rental", clientId: clientId(), data: makeRentalData({ address: "东村'; DROP TABLE \"Report\"; --\u200b 🏠", tenantName: "<script>alert(1)</script>" }) });
    expect(res.statusCode).toBe(201);
    const mine = await api.app.inject({ method: "GET", url: "/api/v1/reports/mine", headers: bearer(token) });
    expect(mine.json().reports[0].data).toMatchObject({ address: "东村'; DROP TABLE \"Report\"; -- 🏠", tenantName: "<script>alert(1)</script>" });
  });

  it("answers 413 for a JSON body over 1 MB", async () => {
    const token = await reporter("village");
    const res = await file(token, { type: "rental", clientId: clientId(), data: makeRentalData({ note: "x".repeat(1_100_000) }) });
    expect(res.statusCode).toBe(413);
    expect(await reportCount()).toBe(0);
  });

  it("says which fields are missing, in English when asked", async () => {
    const token = await reporter("village");
    const { landlordIdNo: _x, leaseEnd: _y, ...data } = makeRentalData();
    const res = await file(token, { type: "rental", clientId: clientId(), data }, { "accept-language": "en" });
    expect(res.json().error.fields).toEqual({ "data.landlordIdNo": "Required", "data.leaseEnd": "Required" });
  });

  it("refuses a bad envelope: unknown type, short clientId, missing data, malformed JSON", async () => {
    const token = await reporter("village");
    const unknown = await file(token, { type: "nope", clientId: clientId(), data: {} });
    expect(unknown.json().error.fields).toHaveProperty("type");
    const short = await file(token, { type: "rental", clientId: "x", data: makeRentalData() });
    expect(short.json().error.fields).toHaveProperty("clientId");
    const noData = await file(token, { type: "rental", clientId: clientId() });
    expect(noData.json().error.fields).toHaveProperty("data");
    const broken = await api.app.inject({ method: "POST", url: "/api/v1/reports", payload: "{", headers: { ...bearer(token), "content-type": "application/json" } });
    expect(broken.statusCode).toBe(400);
    expect(await reportCount()).toBe(0);
  });

  it("refuses performance and vehicle rule edges", async () => {
    const venue = await reporter("venue");
    // every problem in one round trip: a field error next to cross-field rules
    const perf = await file(venue, { type: "performance", clientId: clientId(), data: makePerformanceData({ shows: 1.5, ticketPriceMin: 400, ticketPriceMax: 100, endsAt: "2026-12-05 19:00" }) });
    expect(Object.keys(perf.json().error.fields).sort()).toEqual(["data.endsAt", "data.shows", "data.ticketPriceMax"]);
    const past = await file(venue, { type: "performance", clientId: clientId(), data: makePerformanceData({ startsAt: "2025-01-01 19:30", endsAt: "2025-01-01 22:00" }) });
    expect(past.json().error.reason).toBe("show_started");
    const police = await reporter("traffic_police");
    const veh = await file(police, { type: "vehicle_no_clearance", clientId: clientId(), data: makeVehicleData({ plate: "京O12345", missingYears: [2027], ownerIdNo: "12345" }) });
    expect(Object.keys(veh.json().error.fields).sort()).toEqual(["data.missingYears", "data.ownerIdNo", "data.plate"]);
    expect(veh.json().error.fields["data.missingYears"]).toBe("不能填写未来的年度");
    const dupYears = await file(police, { type: "vehicle_no_clearance", clientId: clientId(), data: makeVehicleData({ missingYears: [2025, 2025] }) });
    expect(dupYears.json().error.fields).toEqual({ "data.missingYears": "年度重复了" });
  });
});

describe("duplicates, inbox and review", () => {
  it("warns before submitting, flags the duplicate for the reviewer, and tells the reporter the decision", async () => {
    const a = await reporter("village");
    const b = await reporter("community");
    const first = (await file(a, { type: "rental", clientId: clientId(), data: makeRentalData() })).json();
    const payload = { type: "rental", data: { address: "幸福镇东村3组12号", landlordIdNo: TEST_ID, leaseStart: "2026-11-01" } };
    const dup = await api.app.inject({ method: "POST", url: "/api/v1/reports/duplicates", payload, headers: bearer(b) });
    expect(dup.json().duplicates).toHaveLength(1);
    const second = (await file(b, { type: "rental", clientId: clientId(), data: makeRentalData() })).json();
    expect(second.possibleDuplicateOf).toBe(first.id);

    const officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    expect((await api.app.inject({ method: "GET", url: "/api/v1/reports/inbox", headers: bearer(a) })).statusCode).toBe(403);
    const inbox = await api.app.inject({ method: "GET", url: "/api/v1/reports/inbox?type=rental&status=submitted&period=2026-11", headers: bearer(officer) });
    expect(inbox.json().reports.map((r: { id: string }) => r.id).sort()).toEqual([first.id, second.id].sort());
    const bad = await api.app.inject({ method: "GET", url: "/api/v1/reports/inbox?status=weird", headers: bearer(officer) });
    expect(bad.statusCode).toBe(400);

    const review = (id: string, payload: object) => api.app.inject({ method: "POST", url: `/api/v1/reports/${id}/review`, payload, headers: bearer(officer) });
    expect((await review(second.id, { decision: "return" })).statusCode).toBe(400);
    expect((await review(second.id, { decision: "return", comment: "与东村重复" })).json()).toMatchObject({ status: "returned", reviewComment: "与东村重复" });
    expect((await review(second.id, { decision: "accept" })).statusCode).toBe(409);
    expect((await review("nope", { decision: "accept" })).statusCode).toBe(404);
    expect(await api.t.db.prisma.outbox.count()).toBe(1);
    const mine = await api.app.inject({ method: "GET", url: "/api/v1/reports/mine", headers: bearer(b) });
    expect(mine.json().reports[0]).toMatchObject({ status: "returned", reviewComment: "与东村重复" });
  });
});

// Feed files are read in a worker thread, which takes a second or two to start on a busy machine.
describe("feeds", { timeout: 30_000 }, () => {
  const upload = (token: string, body: Buffer | string, contentType = "text/csv", path = "feed_construction_permits/2026-10") =>
    api.app.inject({ method: "POST", url: `/api/v1/reports/feeds/${path}?fileName=x.csv`, payload: body, headers: { ...bearer(token), "content-type": contentType } });

  it("accepts a UTF-8 CSV, a GBK CSV and an XLSX, each with a row count and flags", async () => {
    const token = await reporter("construction_bureau");
    const utf8 = await upload(token, makeConstructionCsv());
    expect(utf8.statusCode).toBe(201);
    expect(utf8.json()).toMatchObject({ rows: 2, encoding: "utf-8", timeliness: "late", flagged: [{ line: 2 }] });
    const gbk = await upload(token, iconv.encode(makeConstructionCsv(), "gbk"), "text/csv", "feed_construction_permits/2026-11");
    expect(gbk.json()).toMatchObject({ rows: 2, encoding: "gb18030", timeliness: "on_time" });
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("x");
    for (const line of makeConstructionCsv().trim().split("\n")) sheet.addRow(line.split(","));
    const xlsx = await upload(token, Buffer.from(await wb.xlsx.writeBuffer()), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "feed_construction_permits/2026-09");
    expect(xlsx.json()).toMatchObject({ rows: 2, format: "xlsx" });
    expect(await api.t.db.prisma.feedRow.count()).toBe(6);
    const officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    const rows = await api.app.inject({ method: "GET", url: `/api/v1/reports/${utf8.json().id}/rows?limit=1&offset=1`, headers: bearer(officer) });
    expect(rows.json()).toMatchObject({ total: 2, rows: [{ line: 3, flag: null, data: { permitNo: "施许2026-002", plotRatio: 2.5 } }] });
    // a corrected upload for the same period replaces the first in the export
    api.clock.advance(60_000);
    await upload(token, makeConstructionCsv([["施许2026-003", "更正项目", "某某置业", TEST_USCC, "幸福路 3 号", "100", "0.9", "", "2026-10-20"]]));
    const csv = await api.app.inject({ method: "GET", url: "/api/v1/reports/export?type=feed_construction_permits&period=2026-10&format=csv", headers: bearer(officer) });
    expect(csv.body).toContain("施许2026-003");
    expect(csv.body).not.toContain("施许2026-001");
    expect(csv.body).toContain("容积率小于 1.0");
  });

  it("refuses wrong columns, bad rows, a file over 50 MB, an unknown period and a unit that does not file it, saving nothing", async () => {
    const token = await reporter("construction_bureau");
    const wrong = await upload(token, "项目名称,其他\n1,2\n");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({ reason: "columns_wrong" });
    expect(wrong.json().error.fields["columns.其他"]).toBe("不认识的列");
    const xlsxWrong = new ExcelJS.Workbook();
    xlsxWrong.addWorksheet("x").addRow(["a", "b"]);
    const xw = await upload(token, Buffer.from(await xlsxWrong.xlsx.writeBuffer()), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(xw.json().error.reason).toBe("columns_wrong");
    const rows = await upload(token, makeConstructionCsv([["施许1", "项目", "单位", "123", "地址", "-1", "0.5", "", "2026-13-01"]]));
    expect(rows.json().error.reason).toBe("rows_invalid");
    expect(Object.keys(rows.json().error.fields).sort()).toEqual(["rows.2.developerUscc", "rows.2.floorArea", "rows.2.issuedOn"]);
    const big = await upload(token, Buffer.alloc(50 * 1024 * 1024 + 1, 0x41));
    expect(big.statusCode).toBe(413);
    expect((await upload(token, makeConstructionCsv(), "text/csv", "feed_construction_permits/2026-13")).statusCode).toBe(400);
    const village = await reporter("village");
    expect((await upload(village, makeConstructionCsv())).statusCode).toBe(403);
    expect(await reportCount()).toBe(0);
    expect(await api.t.db.prisma.feedRow.count()).toBe(0);
  });

  it("takes a 本期无 report once, and shows units that filed nothing as missing", async () => {
    const token = await reporter("construction_bureau");
    const nil = (payload: object) => api.app.inject({ method: "POST", url: "/api/v1/reports/feeds/nil", payload, headers: bearer(token) });
    expect((await nil({ type: "feed_construction_permits", period: "2026-10" })).statusCode).toBe(201);
    expect((await nil({ type: "feed_construction_permits", period: "2026-10" })).statusCode).toBe(200);
    expect((await nil({ type: "rental", period: "2026-10" })).statusCode).toBe(403);
    expect((await nil({ type: "feed_construction_permits", period: "2026/99" })).statusCode).toBe(400);
    await reporter("construction_bureau");
    const officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    const missing = await api.app.inject({ method: "GET", url: "/api/v1/reports/missing?period=2026-10", headers: bearer(officer) });
    expect(missing.json().missing.filter((m: { type: string }) => m.type === "feed_construction_permits")).toHaveLength(1);
    const stats = await api.app.inject({ method: "GET", url: "/api/v1/reports/timeliness?period=2026-10", headers: bearer(officer) });
    const construction = stats.json().units.filter((u: { unit: { type: string } }) => u.unit.type === "construction_bureau");
    expect(construction.map((u: { late: number; overdue: number }) => [u.late, u.overdue]).sort()).toEqual([[0, 1], [1, 0]]);
  });
});

describe("GET /api/v1/reports/feeds/status", () => {
  it("shows every reporter of a unit what the unit filed, and what is missing", async () => {
    const first = await makeUser(api.t.deps, { roles: ["reporter"], unitType: "construction_bureau" });
    const colleague = await makeUser(api.t.deps, { roles: ["reporter"], unit: first.actor.unit.code });
    const nil = await api.app.inject({ method: "POST", url: "/api/v1/reports/feeds/nil", payload: { type: "feed_construction_permits", period: "2026-10" }, headers: bearer(first.token) });
    expect(nil.statusCode).toBe(201);
    const res = await api.app.inject({ method: "GET", url: "/api/v1/reports/feeds/status?period=2026-10", headers: bearer(colleague.token) });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { period: string; feeds: { type: string; dueDate: string; filed: { nil: boolean } | null }[] };
    expect(body.period).toBe("2026-10");
    expect(body.feeds).toEqual([expect.objectContaining({ type: "feed_construction_permits", dueDate: "2026-11-10", filed: expect.objectContaining({ nil: true }) })]);
    const september = await api.app.inject({ method: "GET", url: "/api/v1/reports/feeds/status?period=2026-09", headers: bearer(colleague.token) });
    expect(september.json().feeds[0].filed).toBeNull();
  });

  it("refuses a malformed period and users who are not reporters", async () => {
    const token = await reporter("construction_bureau");
    const bad = await api.app.inject({ method: "GET", url: "/api/v1/reports/feeds/status?period=2026-13", headers: bearer(token) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.period).toBeTruthy();
    const officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    expect((await api.app.inject({ method: "GET", url: "/api/v1/reports/feeds/status", headers: bearer(officer) })).statusCode).toBe(403);
  });
});

describe("photos", () => {
  it("accepts a PNG once and refuses text posing as an image and an oversize photo", async () => {
    const token = await reporter("village");
    const { id } = (await file(token, { type: "rental", clientId: clientId(), data: makeRentalData() })).json();
    const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: "#2a6" } }).png().toBuffer();
    const post = (body: Buffer, type = "image/png") => api.app.inject({ method: "POST", url: `/api/v1/reports/${id}/photos`, payload: body, headers: { ...bearer(token), "content-type": type } });
    expect((await post(png)).statusCode).toBe(201);
    expect((await post(png)).statusCode).toBe(200);
    const fake = await post(Buffer.from("not really a jpeg"), "image/jpeg");
    expect(fake.statusCode).toBe(400);
    expect(fake.json().error.reason).toBe("not_an_image");
    expect((await post(Buffer.alloc(6 * 1024 * 1024, 0xff), "image/jpeg")).statusCode).toBe(413);
    expect((await post(png, "text/plain")).statusCode).toBe(415);
    expect(await api.t.db.prisma.reportPhoto.count()).toBe(1);
    const officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    const list = await api.app.inject({ method: "GET", url: `/api/v1/reports/${id}/photos`, headers: bearer(officer) });
    const [photo] = list.json().photos;
    const img = await api.app.inject({ method: "GET", url: `/api/v1/reports/${id}/photos/${photo.id}`, headers: bearer(officer) });
    expect(img.headers["content-type"]).toBe("image/png");
    // What is served is the photo re-encoded by the server (no metadata), never the bytes as sent.
    expect(await sharp(img.rawPayload).metadata()).toMatchObject({ format: "png", width: 48, height: 32 });
    const stranger = await reporter("village");
    expect((await api.app.inject({ method: "GET", url: `/api/v1/reports/${id}/photos/${photo.id}`, headers: bearer(stranger) })).statusCode).toBe(404);
  });
});

describe("GET /api/v1/reports/export", () => {
  it("sends CSV and XLSX to tax officers only", async () => {
    const token = await reporter("village");
    await file(token, { type: "rental", clientId: clientId(), data: makeRentalData() });
    const officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
    const csv = await api.app.inject({ method: "GET", url: "/api/v1/reports/export?type=rental&period=2026-11&format=csv", headers: bearer(officer) });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.split("\r\n")).toHaveLength(3);
    const xlsx = await api.app.inject({ method: "GET", url: "/api/v1/reports/export?type=rental&period=2026-11&format=xlsx", headers: bearer(officer) });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
    expect((await api.app.inject({ method: "GET", url: "/api/v1/reports/export?type=rental&period=2026-11&format=pdf", headers: bearer(officer) })).statusCode).toBe(400);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/reports/export?type=rental&period=2026-11&format=csv", headers: bearer(token) })).statusCode).toBe(403);
  });
});
