import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importClearances, systemActor } from "@xieshui/core/server";
import { makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../test/factories/paths.ts";

const SAMPLE = SAMPLE_CLEARANCES_CSV;

let api: TestApi;
let checker: string;
let reporter: string;
let coordinator: string;
let checkerId: string;
beforeAll(async () => {
  api = await createTestApi({ checkRateLimitPerHour: 5 });
  await importClearances(api.t.deps, systemActor("test"), SAMPLE);
  const c = await makeUser(api.t.deps, { roles: ["checker"], unitType: "traffic_police" });
  checker = c.token;
  checkerId = c.actor.userId;
  reporter = (await makeUser(api.t.deps, { roles: ["reporter"] })).token;
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
});
afterAll(async () => {
  await api.close();
});

const check = (token: string | null, payload: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method: "POST", url: "/api/v1/clearances/check", headers: { ...(token ? bearer(token) : {}), ...headers }, payload: payload as object });

describe("POST /api/v1/clearances/check", () => {
  it("answers a vehicle check in the contract's shape, masked", async () => {
    const res = await check(checker, { kind: "vehicle_vessel", key: "豫ｈｍｃ８ｒ６" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: "vehicle_vessel",
      key: "豫HMC8R6",
      results: [
        { year: 2026, status: "paid", certificateNo: "264100000000027", taxpayerName: "黎*燕" },
        { year: 2025, status: "exempt", certificateNo: "254100000000026", taxpayerName: "黎*燕" },
      ],
    });
    expect(res.body).not.toContain("410106");
  });

  it("answers a property check with one result per tax", async () => {
    const res = await check(checker, { kind: "property_transfer", key: "HT202602000000" });
    expect(res.json().results).toEqual([
      { tax: "契税", status: "paid", certificateNo: "264100000000001", taxpayerName: "杜*" },
      { tax: "印花税", status: "paid", certificateNo: "264100000000000", taxpayerName: "杜*" },
    ]);
  });

  it("gives 400 with field messages, 401 without a token and 403 to a non-checker", async () => {
    const bad = await check(checker, { kind: "vehicle_vessel", key: "LSV3E28J197KB6CP6" }, { "accept-language": "en" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.key).toContain("check digit");
    expect((await check(checker, { kind: "boat", key: "x" })).json().error.fields.kind).toBeDefined();
    expect((await check(checker, "not json", { "content-type": "application/json" })).statusCode).toBe(400);
    expect((await check(null, { kind: "vehicle_vessel", key: "豫A12345" })).statusCode).toBe(401);
    const denied = await check(reporter, { kind: "vehicle_vessel", key: "豫A12345" });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe("forbidden");
  });

  it("rate-limits a checker with 429 and a clear message", async () => {
    const own = (await makeUser(api.t.deps, { roles: ["checker"] })).token;
    for (let i = 0; i < 5; i++) expect((await check(own, { kind: "vehicle_vessel", key: "豫BYTY80" })).statusCode).toBe(200);
    const limited = await check(own, { kind: "vehicle_vessel", key: "豫BYTY80" });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toContain("5");
  });

  it("lets coordinators list checks and unusual checkers, and nobody else", async () => {
    const list = await api.app.inject({ method: "GET", url: `/api/v1/clearances/checks?user=${checkerId}&day=2026-11-26`, headers: bearer(coordinator) });
    expect(list.statusCode).toBe(200);
    expect(list.json().checks.length).toBeGreaterThanOrEqual(3);
    expect(list.json().checks[0].user.id).toBe(checkerId);
    const unusual = await api.app.inject({ method: "GET", url: "/api/v1/clearances/unusual?days=7", headers: bearer(coordinator) });
    expect(unusual.statusCode).toBe(200);
    expect(unusual.json()).toHaveProperty("median");
    expect((await api.app.inject({ method: "GET", url: "/api/v1/clearances/checks", headers: bearer(checker) })).statusCode).toBe(403);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/clearances/checks?day=yesterday", headers: bearer(coordinator) })).statusCode).toBe(400);
  });
});

describe("POST /api/v1/clearances/import", () => {
  it("streams a CSV upload from a coordinator into the importer", async () => {
    const res = await api.app.inject({
      method: "POST",
      url: "/api/v1/clearances/import?fileName=sample.csv&dryRun=1",
      headers: { ...bearer(coordinator), "content-type": "text/csv" },
      payload: readFileSync(SAMPLE),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 0, updated: 42, rejected: [], dryRun: true });
  });

  it("refuses checkers, JSON bodies and files with missing columns", async () => {
    const asChecker = await api.app.inject({ method: "POST", url: "/api/v1/clearances/import", headers: { ...bearer(checker), "content-type": "text/csv" }, payload: "a,b\n" });
    expect(asChecker.statusCode).toBe(403);
    const json = await api.app.inject({ method: "POST", url: "/api/v1/clearances/import", headers: bearer(coordinator), payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    // A coordinator may only dry-run (a real import is 403 before the file is read).
    const missing = await api.app.inject({ method: "POST", url: "/api/v1/clearances/import?dryRun=1", headers: { ...bearer(coordinator), "content-type": "text/csv" }, payload: "certificate_no,kind\n1,x\n" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain("tax");
  });
});
