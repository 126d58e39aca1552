import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { chromiumExecutable } from "@xieshui/core/server";
import { makeUser } from "../../../test/factories/identity.ts";
import { seedOversightDistrict, type OversightDistrict } from "../../../test/factories/oversight.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

let api: TestApi;
let d: OversightDistrict;
let coordinator: string;
let officer: string;
let reporter: string;
beforeAll(async () => {
  api = await createTestApi();
  d = await seedOversightDistrict(api.t.deps, api.clock);
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
  officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
  reporter = (await makeUser(api.t.deps, { roles: ["reporter", "checker"], unitType: "village" })).token;
});
afterAll(async () => {
  await api.close();
});

const get = (url: string, token?: string, headers: Record<string, string> = {}) => api.app.inject({ method: "GET", url, headers: { ...(token ? bearer(token) : {}), ...headers } });

describe("GET /api/v1/oversight/units", () => {
  it("gives a coordinator every unit's figures for a quarter, a town summed with its villages", async () => {
    const res = await get("/api/v1/oversight/units?period=2026Q4", coordinator);
    expect(res.statusCode).toBe(200);
    const town = res.json().rows.find((r: { unit: { code: string } }) => r.unit.code === d.town);
    expect(town.total).toMatchObject({ onTime: 2, late: 1, accepted: 1, returned: 1, quizAverage: null });
    expect(town.members.map((m: { unit: { code: string } }) => m.unit.code).sort()).toEqual([d.east, d.west].sort());
    expect(res.json().notes).toEqual([]);
  });

  it("lets a tax officer read, one unit at a time", async () => {
    const res = await get(`/api/v1/oversight/units?period=2026&unit=${d.police}`, officer, { "accept-language": "en" });
    expect(res.statusCode).toBe(200);
    expect(res.json().rows[0].figures).toMatchObject({ checks: 3, checksWithoutClearance: 3 });
  });

  it("answers 401 without a token and 403 to other roles", async () => {
    expect((await get("/api/v1/oversight/units?period=2026Q4")).statusCode).toBe(401);
    expect((await get("/api/v1/oversight/units?period=2026Q4", reporter)).statusCode).toBe(403);
  });

  it("refuses bad periods at the field, a period not started with 400, an unknown unit with 404", async () => {
    for (const q of ["period=2026Q5", "period=", "", "period=2026-13", `period=${"9".repeat(50)}`, "period=2026Q4%27%3B--"]) {
      const res = await get(`/api/v1/oversight/units?${q}`, coordinator);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields.period, q).toBeTruthy();
    }
    const future = await get("/api/v1/oversight/units?period=2027Q1", coordinator);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.period).toContain("2027Q1 尚未开始");
    const unknown = await get("/api/v1/oversight/units?period=2026Q4&unit=nowhere", coordinator);
    expect(unknown.statusCode).toBe(404);
  });
});

describe("the quarterly pack over HTTP", () => {
  it("gives its content with the improved and fallen-behind units and the links of its files", async () => {
    const res = await get("/api/v1/oversight/quarterly?quarter=2026Q4", coordinator);
    expect(res.statusCode).toBe(200);
    const pack = res.json();
    expect(pack.improved.map((c: { unit: { code: string } }) => c.unit.code)).toEqual([d.builder]);
    expect(pack.behind.map((c: { unit: { code: string } }) => c.unit.code)).toEqual([d.east, d.town]);
    expect(pack.files.map((f: { url: string }) => f.url)).toEqual(["xlsx", "html", "pdf"].map((f) => `/api/v1/oversight/quarterly/2026Q4/${f}`));
    expect(pack.targets).toMatchObject({ quarter: "2026Q4", noTargets: true, towns: [{ unit: { code: d.town } }] });
  });

  it("refuses a quarter that has not started and a malformed one with 400", async () => {
    const future = await get("/api/v1/oversight/quarterly?quarter=2027Q2", coordinator);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.quarter).toContain("2027Q2");
    expect((await get("/api/v1/oversight/quarterly?quarter=2026-11", coordinator)).statusCode).toBe(400);
    expect((await get("/api/v1/oversight/quarterly/2027Q2/xlsx", coordinator)).statusCode).toBe(400);
    expect((await get("/api/v1/oversight/quarterly/2026Q4/docx", coordinator)).statusCode).toBe(400);
    expect((await get("/api/v1/oversight/quarterly/2026Q4/xlsx", reporter)).statusCode).toBe(403);
    expect((await get("/api/v1/oversight/quarterly/2026Q4/xlsx")).statusCode).toBe(401);
  });

  it("streams the workbook and the page to a coordinator as attachments", async () => {
    const xlsx = await get("/api/v1/oversight/quarterly/2026Q4/xlsx", coordinator);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-type"]).toContain("spreadsheetml");
    expect(xlsx.headers["content-disposition"]).toBe('attachment; filename="oversight-pack-2026Q4.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets).toHaveLength(6);
    const html = await get("/api/v1/oversight/quarterly/2026Q4/html", coordinator);
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.body).toContain("红旗镇东庄村委会");
  });

  it.skipIf(chromiumExecutable() === null && process.env.CI !== "true")("streams the PDF", { timeout: 120_000 }, async () => {
    const pdf = await get("/api/v1/oversight/quarterly/2026Q4/pdf", coordinator);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe("the annual evaluation over HTTP", () => {
  const send = (method: "PUT" | "POST", url: string, payload: unknown, token?: string) =>
    api.app.inject({ method, url, payload: payload as object, headers: { ...(token ? bearer(token) : {}), "content-type": "application/json" } });

  it("ranks the units of a year with their points and the rules", async () => {
    const res = await get("/api/v1/oversight/evaluation?year=2026", officer);
    expect(res.statusCode).toBe(200);
    const west = res.json().rows.find((r: { unit: { code: string } }) => r.unit.code === d.west);
    expect(west).toMatchObject({ total: 100, max: 100, points: { training: 10, cooperation: 10 } });
    expect(res.json().rules).toHaveLength(6);
  });

  it("refuses weights that do not add up to 100 with the reason at the field, and saves ones that do", async () => {
    const bad = await send("PUT", "/api/v1/oversight/evaluation/weights", { year: 2026, weights: { organisation: 20, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 5 } }, coordinator);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.weights).toBe("各项分值合计应为 100 分，现在是 95 分");
    const en = await api.app.inject({ method: "PUT", url: "/api/v1/oversight/evaluation/weights", payload: { year: 2026, weights: { organisation: 50, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 10 } }, headers: { ...bearer(coordinator), "accept-language": "en" } });
    expect(en.json().error.fields.weights).toBe("The points must add up to 100; they add up to 130");
    expect((await send("PUT", "/api/v1/oversight/evaluation/weights", { year: 2026, weights: "x" }, coordinator)).statusCode).toBe(400);
    expect((await send("PUT", "/api/v1/oversight/evaluation/weights", { year: 2026, weights: { organisation: 20, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 10 } }, officer)).statusCode).toBe(403);
    const ok = await send("PUT", "/api/v1/oversight/evaluation/weights", { year: 2026, weights: { organisation: 20, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 10 } }, coordinator);
    expect(ok.statusCode).toBe(200);
  });

  it("records an adjustment with its reason (201) and refuses one without (400 at reason)", async () => {
    const none = await send("POST", "/api/v1/oversight/evaluation/adjustments", { year: 2026, unit: d.west, points: 3 }, coordinator);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields.reason).toContain("调整原因");
    expect((await send("POST", "/api/v1/oversight/evaluation/adjustments", { year: 2026, unit: "nowhere", points: 3, reason: "协助调查" }, coordinator)).statusCode).toBe(404);
    expect((await send("POST", "/api/v1/oversight/evaluation/adjustments", { year: 2026, unit: d.west, points: 3, reason: "协助调查" }, officer)).statusCode).toBe(403);
    const ok = await send("POST", "/api/v1/oversight/evaluation/adjustments", { year: 2026, unit: d.west, points: 3, reason: "协助税务局调查" }, coordinator);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ points: 3, reason: "协助税务局调查" });
    const after = await get("/api/v1/oversight/evaluation?year=2026", coordinator);
    expect(after.json().rows.find((r: { unit: { code: string } }) => r.unit.code === d.west)).toMatchObject({ adjustment: 3, total: 103, rank: 1 });
  });

  it("shows the evidence behind a unit's points and exports the evaluation as XLSX", async () => {
    const ev = await get(`/api/v1/oversight/evaluation/evidence?year=2026&unit=${d.east}`, coordinator);
    expect(ev.statusCode).toBe(200);
    expect(ev.json().items.some((i: { text: string }) => i.text.startsWith("被退回"))).toBe(true);
    expect((await get("/api/v1/oversight/evaluation/evidence?year=2026&unit=nowhere", coordinator)).statusCode).toBe(404);
    const xlsx = await get("/api/v1/oversight/evaluation/2026/xlsx", coordinator);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-disposition"]).toBe('attachment; filename="evaluation-2026.xlsx"');
    expect((await get("/api/v1/oversight/evaluation/2027/xlsx", coordinator)).statusCode).toBe(400);
    expect((await get("/api/v1/oversight/evaluation?year=abc", coordinator)).statusCode).toBe(400);
  });
});
