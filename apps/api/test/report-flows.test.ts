import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importClearances, systemActor } from "@xieshui/core/server";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { makeRentalData, makeVehicleData } from "../../../test/factories/reports.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../test/factories/paths.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// Issue 8 points 4 and 5 over HTTP: a checker's report from a failed check (with the server's draft),
// returning with fields, and POST /reports/:id/versions for the corrected report.
let api: TestApi;
let checker: Awaited<ReturnType<typeof makeUser>>;
let clerk: Awaited<ReturnType<typeof makeUser>>;
let officer: Awaited<ReturnType<typeof makeUser>>;

beforeEach(async () => {
  api = await createTestApi();
  await importClearances(api.t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
  const traffic = await makeUnit(api.t.deps, { type: "traffic_police" });
  await api.t.db.prisma.unit.update({ where: { code: traffic }, data: { address: "人民路 88 号检查站" } });
  checker = await makeUser(api.t.deps, { roles: ["checker"], unit: traffic });
  clerk = await makeUser(api.t.deps, { roles: ["reporter"], unitType: "village" });
  officer = await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" });
});
afterEach(async () => {
  await api.close();
});

const inject = (method: "GET" | "POST", url: string, token: string, payload?: object, lang = "zh-CN") =>
  api.app.inject({ method, url, headers: { ...bearer(token), "accept-language": lang }, ...(payload ? { payload } : {}) });

describe("a checker's vehicle report", () => {
  it("drafts the report from the failed check, then files it (201)", async () => {
    expect((await inject("POST", "/api/v1/clearances/check", checker.token, { kind: "vehicle_vessel", key: "豫BYTY80" })).json().cleared).toBe(false);
    const draft = await inject("GET", `/api/v1/reports/vehicle-draft?plate=${encodeURIComponent("豫BYTY80")}`, checker.token);
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toEqual({ fromCheck: true, data: { plate: "豫BYTY80", missingYears: [2026], place: "人民路 88 号检查站", vehicleType: "小型汽车" } });
    const filed = await inject("POST", "/api/v1/reports", checker.token, { type: "vehicle_no_clearance", clientId: "veh-http-01", data: makeVehicleData({ plate: "豫BYTY80", missingYears: [2026] }) });
    expect(filed.statusCode).toBe(201);
  });

  it("refuses the report without a failed check (403, in words), and a bad draft query (400)", async () => {
    const res = await inject("POST", "/api/v1/reports", checker.token, { type: "vehicle_no_clearance", clientId: "veh-http-02", data: makeVehicleData() });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: "forbidden", reason: "no_failed_check" });
    expect(res.json().error.message).toContain("核验");
    expect((await inject("GET", "/api/v1/reports/vehicle-draft?plate=abc", checker.token)).statusCode).toBe(400);
    expect((await inject("GET", "/api/v1/reports/vehicle-draft", checker.token)).statusCode).toBe(400);
    expect((await inject("GET", `/api/v1/reports/vehicle-draft?plate=${encodeURIComponent("豫A12345")}`, clerk.token)).statusCode).toBe(403);
  });
});

describe("returned and corrected reports", () => {
  async function returned(fields?: string[]) {
    const filed = await inject("POST", "/api/v1/reports", clerk.token, { type: "rental", clientId: "rent-http-01", data: makeRentalData({ leaseEnd: "2026-12-01" }) });
    const id = filed.json().id as string;
    const review = await inject("POST", `/api/v1/reports/${id}/review`, officer.token, { decision: "return", comment: "请核对租期", ...(fields ? { fields } : {}) });
    expect(review.statusCode).toBe(200);
    return { id, review: review.json() };
  }

  it("returns with named fields, and the reporter sees them on the report", async () => {
    const { id, review } = await returned(["leaseEnd"]);
    expect(review).toMatchObject({ status: "returned", returnedFields: ["leaseEnd"] });
    const mine = await inject("GET", `/api/v1/reports/${id}`, clerk.token);
    expect(mine.json()).toMatchObject({ status: "returned", version: 1, returnedFields: ["leaseEnd"], reviewComment: "请核对租期" });
    const bad = await inject("POST", `/api/v1/reports/${id}/review`, officer.token, { decision: "return", comment: "x", fields: "leaseEnd" });
    expect(bad.statusCode).toBe(400);
  });

  it("files the correction as version 2 (201), the same clientId again 200, and shows the reviewer the change", async () => {
    const { id } = await returned();
    const body = { clientId: "rent-http-fix1", data: makeRentalData({ leaseEnd: "2027-10-31" }) };
    const first = await inject("POST", `/api/v1/reports/${id}/versions`, clerk.token, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ id, status: "submitted", timeliness: "on_time", version: 2 });
    const again = await inject("POST", `/api/v1/reports/${id}/versions`, clerk.token, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const detail = await inject("GET", `/api/v1/reports/${id}`, officer.token, undefined, "en");
    expect(detail.json().changes).toEqual([{ field: "leaseEnd", before: "2026-12-01", after: "2027-10-31" }]);
    const inbox = await inject("GET", "/api/v1/reports/inbox?status=submitted", officer.token);
    expect(inbox.json().reports.map((r: { id: string; version: number }) => [r.id, r.version])).toEqual([[id, 2]]);
  });

  it("answers 409 for a report that is not returned, 404 for someone else's, 400 for bad bodies", async () => {
    const filed = await inject("POST", "/api/v1/reports", clerk.token, { type: "rental", clientId: "rent-http-02", data: makeRentalData() });
    const id = filed.json().id as string;
    const notReturned = await inject("POST", `/api/v1/reports/${id}/versions`, clerk.token, { clientId: "rent-http-fix2", data: makeRentalData() });
    expect(notReturned.statusCode).toBe(409);
    expect(notReturned.json().error.message).toBeTruthy();
    expect((await inject("POST", `/api/v1/reports/${id}/versions`, officer.token, { clientId: "rent-http-fix3", data: makeRentalData() })).statusCode).toBe(404);
    for (const payload of [{}, { clientId: "ok-client-1" }, { clientId: "<script>", data: {} }, { clientId: "ok-client-2", data: [] }, { clientId: "ok-client-3", data: {}, extra: true }]) {
      const res = await inject("POST", `/api/v1/reports/${id}/versions`, clerk.token, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toBeDefined();
    }
    expect((await api.app.inject({ method: "POST", url: `/api/v1/reports/${id}/versions`, payload: {} })).statusCode).toBe(401);
  });
});
