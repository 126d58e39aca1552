import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { escalateOverdueDuties } from "@xieshui/core/server";
import { makeUser } from "../../../test/factories/identity.ts";
import { seedOversightDistrict } from "../../../test/factories/oversight.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// The seeded district's construction bureau files nothing for July to September 2026 (and October
// on time); on 2026-12-05 the escalation has reminded its reporter about September.
let api: TestApi;
let coordinator: string;
let admin: string;
let reporter: string;
beforeAll(async () => {
  api = await createTestApi();
  await seedOversightDistrict(api.t.deps, api.clock);
  await escalateOverdueDuties(api.t.deps);
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
  admin = (await makeUser(api.t.deps, { roles: ["admin"], unitType: "finance_bureau" })).token;
  reporter = (await makeUser(api.t.deps, { roles: ["reporter"], unitType: "village" })).token;
}, 60_000);
afterAll(async () => {
  await api.close();
});

const get = (url: string, token?: string, headers: Record<string, string> = {}) => api.app.inject({ method: "GET", url, headers: { ...(token ? bearer(token) : {}), ...headers } });

describe("GET /api/v1/oversight/accountability", () => {
  it("lists the quarter's overdue duties, most days late first, with the reminders sent", async () => {
    const res = await get("/api/v1/oversight/accountability?quarter=2026Q4", coordinator);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ quarter: "2026Q4", from: "2026-10-01", to: "2026-12-31", asOf: "2026-12-05", empty: false });
    expect(body.items.map((i: { duty: { text: string }; daysLate: number; done: boolean }) => [i.duty.text, i.daysLate, i.done])).toEqual([
      ["施工许可及容积率小于1.0项目（月报） 2026-07 期", 117, false],
      ["施工许可及容积率小于1.0项目（月报） 2026-08 期", 86, false],
      ["施工许可及容积率小于1.0项目（月报） 2026-09 期", 56, false],
    ]);
    expect(body.items[0].unit).toEqual({ code: "builder", name: "区住建局", town: null });
    expect(body.items[0].reminders).toEqual([]);
    expect(body.items[2].reminders).toEqual([{ stage: 1, label: "提醒经办人员", on: "2026-12-05", recipients: 1, text: "2026-12-05 提醒经办人员（1 人）" }]);
    expect(body.file).toEqual({ fileName: "责任追究名单-2026Q4.xlsx", url: "/api/v1/oversight/accountability?quarter=2026Q4&format=xlsx" });
    expect(body).not.toHaveProperty("locale");
  });

  it("answers in English on request, and to an admin as to a coordinator", async () => {
    const res = await get("/api/v1/oversight/accountability?quarter=2026q4", admin, { "accept-language": "en" });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[2].duty).toEqual({ kind: "feed", kindLabel: "Periodic feed", text: "Construction permits and plot ratio < 1.0 (monthly), 2026-09" });
    expect(res.json().items[2].reminders[0].label).toBe("staff reminded");
  });

  it("downloads the workbook with its content type and an ASCII and a UTF-8 file name", async () => {
    const res = await get("/api/v1/oversight/accountability?quarter=2026Q4&format=xlsx", coordinator, { "accept-language": "en" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="accountability-2026Q4.xlsx"; filename*=UTF-8''${encodeURIComponent("责任追究名单-2026Q4.xlsx")}`);
    expect(res.headers["cache-control"]).toBe("no-store");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe("单位");
    expect(sheet.getRow(4).getCell(8).value).toBe("2026-12-05 提醒经办人员（1 人）");
  });

  it("answers 401 without a token and 403 to other roles", async () => {
    expect((await get("/api/v1/oversight/accountability?quarter=2026Q4")).statusCode).toBe(401);
    expect((await get("/api/v1/oversight/accountability?quarter=2026Q4", reporter)).statusCode).toBe(403);
    expect((await get("/api/v1/oversight/accountability?quarter=2026Q4&format=xlsx", reporter)).statusCode).toBe(403);
  });

  it("refuses a malformed quarter at the field, a quarter not started, and an unknown format, with 400", async () => {
    for (const q of ["quarter=2026Q5", "quarter=", "", "quarter=2026-11", "quarter=2026", `quarter=${"9".repeat(300)}`, "quarter=2026Q4%27%3B--", "quarter=%00"]) {
      const res = await get(`/api/v1/oversight/accountability?${q}`, coordinator, { "accept-language": "en" });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields.quarter, q).toBeTruthy();
    }
    const future = await get("/api/v1/oversight/accountability?quarter=2027Q1", coordinator);
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.quarter).toContain("2027Q1 尚未开始");
    expect((await get("/api/v1/oversight/accountability?quarter=2027Q1&format=xlsx", coordinator)).statusCode).toBe(400);
    const format = await get("/api/v1/oversight/accountability?quarter=2026Q4&format=docx", coordinator);
    expect(format.statusCode).toBe(400);
    expect(format.json().error.fields.format).toBeTruthy();
  });
});

describe("an empty district's accountability list", () => {
  let empty: TestApi;
  beforeAll(async () => {
    empty = await createTestApi();
  });
  afterAll(async () => {
    await empty.close();
  });

  it("is an empty list that says so", async () => {
    const token = (await makeUser(empty.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
    const res = await empty.app.inject({ method: "GET", url: "/api/v1/oversight/accountability?quarter=2026Q4", headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ empty: true, items: [] });
  });
});
