import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

let api: TestApi;
let officer: string;
let coordinator: string;
let reporter: string;
beforeAll(async () => {
  api = await createTestApi();
  await makeUnit(api.t.deps, { type: "town", code: "hongqi-town", name: "红旗镇" });
  officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
  reporter = (await makeUser(api.t.deps, { roles: ["reporter"] })).token;
});
afterAll(async () => {
  await api.close();
});

const upload = (token: string, body: string | Buffer, query: string, headers: Record<string, string> = {}) =>
  api.app.inject({ method: "POST", url: `/api/v1/targets/import?${query}`, headers: { ...bearer(token), "content-type": "text/csv", ...headers }, payload: body });

describe("POST /api/v1/targets/import", () => {
  it("imports targets with rejected rows listed by line, and a dry run writes nothing", async () => {
    const csv = "年度,镇街,税种,目标(万元)\n2026,hongqi-town,房产税,1200\n2026,幸福镇,房产税,1\n2026,hongqi-town,契税,1\n";
    const dry = await upload(coordinator, csv, "kind=targets&fileName=t.csv&dryRun=1");
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ kind: "targets", imported: 1, updated: 0, dryRun: true, rejected: [{ line: 3 }, { line: 4 }] });
    expect(await api.t.db.prisma.taxTarget.count()).toBe(0);
    const real = await upload(officer, csv, "kind=targets&fileName=t.csv");
    expect(real.json()).toMatchObject({ imported: 1, dryRun: false, rejectedCount: 2 });
    expect(real.json().rejected[0].reason).toContain("幸福镇");
    const en = await upload(officer, csv, "kind=targets", { "accept-language": "en" });
    expect(en.json()).toMatchObject({ imported: 0, updated: 1 });
    expect(en.json().rejected[1].reason).toMatch(/^Tax: /);
  });

  it("refuses other roles, a missing or wrong kind, a bad header and a wrong content type, quickly and in words", async () => {
    expect((await upload(reporter, "x", "kind=targets")).statusCode).toBe(403);
    expect((await api.app.inject({ method: "POST", url: "/api/v1/targets/import?kind=targets", headers: { "content-type": "text/csv" }, payload: "x" })).statusCode).toBe(401);
    const kind = await upload(officer, "年度\n", "kind=both");
    expect(kind.statusCode).toBe(400);
    expect(Object.keys(kind.json().error.fields)).toContain("kind");
    expect((await upload(officer, "年度\n", "")).statusCode).toBe(400);
    const header = await upload(officer, "年度,镇街,税种,目标\n", "kind=targets");
    expect(header.statusCode).toBe(400);
    expect(header.json().error.message).toContain("目标(元)");
    const json = await api.app.inject({ method: "POST", url: "/api/v1/targets/import?kind=targets", headers: { ...bearer(officer), "content-type": "application/json" }, payload: "{}" });
    expect(json.statusCode).toBe(415);
    const image = await upload(officer, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), "kind=targets", { "content-type": "image/png" });
    expect(image.statusCode).toBe(415);
  });

  it("refuses a body over the cap with 413 before reading it", async () => {
    const big = await upload(officer, "x", "kind=targets", { "content-length": String(6 * 1024 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toContain("5 MB");
  });
});

describe("GET /api/v1/targets/progress", () => {
  it("answers the year's progress per town and tax", async () => {
    await upload(officer, "月份,镇街,税种,入库税款(元)\n2026-01,hongqi-town,房产税,1000000\n2026-02,hongqi-town,房产税,1000000\n", "kind=actuals");
    const r = await api.app.inject({ method: "GET", url: "/api/v1/targets/progress?year=2026", headers: bearer(coordinator) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ year: 2026, through: "2026-02", monthsElapsed: 2, towns: [{ unit: { code: "hongqi-town", name: "红旗镇" }, taxes: [{ tax: "property_tax", targetFen: "1200000000", actualFen: "200000000", status: "on_track" }, { status: "no_target" }, { status: "no_target" }, { status: "no_target" }] }] });
  });

  it("answers 400 with the field for a bad year or asOf, and 403 for a reporter", async () => {
    const bad = await api.app.inject({ method: "GET", url: "/api/v1/targets/progress?year=20x6", headers: bearer(coordinator) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.year).toContain("四位年份");
    const asOf = await api.app.inject({ method: "GET", url: "/api/v1/targets/progress?year=2026&asOf=2025-12", headers: bearer(coordinator) });
    expect(asOf.statusCode).toBe(400);
    expect(asOf.json().error.fields).toHaveProperty("asOf");
    expect((await api.app.inject({ method: "GET", url: "/api/v1/targets/progress?year=2026", headers: bearer(reporter) })).statusCode).toBe(403);
  });
});
