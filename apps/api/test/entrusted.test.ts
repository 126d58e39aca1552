import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@xieshui/core/server";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// Issue 13 point 6 through the real server: the registry of collectors and agents, inspections
// and follow-ups, with roles and units checked, errors next to the field, both languages.

let api: TestApi;
let officer: string;
let coordinator: string;
let reporter: string;
let rental: string;
let other: string;
let collectorUser: string;
beforeAll(async () => {
  api = await createTestApi();
  officer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
  reporter = (await makeUser(api.t.deps, { roles: ["reporter"], unitType: "village" })).token;
  rental = await makeUnit(api.t.deps, { type: "entrusted_collector", code: "entrusted-rental", name: "区房屋租赁服务中心（委托代征）" });
  other = await makeUnit(api.t.deps, { type: "entrusted_collector", code: "entrusted-market", name: "农贸市场管理处（委托代征）" });
  collectorUser = (await makeUser(api.t.deps, { roles: ["reporter"], unit: rental })).token;
});
afterAll(async () => {
  await api.close();
});

const send = (method: "GET" | "POST", url: string, token?: string, payload?: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method, url, headers: { ...(token ? bearer(token) : {}), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe("entrusted collection API", () => {
  it("offers the monthly return to a collector through the existing report types and feed status, with its columns", async () => {
    const types = await send("GET", "/api/v1/report-types?unitType=entrusted_collector");
    expect(types.statusCode).toBe(200);
    const [feed] = types.json().types;
    expect(feed).toMatchObject({ code: "feed_entrusted_collection", kind: "feed", title: { "zh-CN": "代征税款月度报表" } });
    expect(JSON.stringify(feed)).toContain("代征凭证号");
    const status = await send("GET", "/api/v1/reports/feeds/status?period=2026-11", collectorUser);
    expect(status.statusCode).toBe(200);
    expect(JSON.stringify(status.json())).toContain("feed_entrusted_collection");
  });

  it("lets an admin create a collector unit with the existing unit administration, then register it", async () => {
    const admin = (await makeUser(api.t.deps, { roles: ["admin"], unitType: "tax_bureau" })).token;
    const unit = await send("POST", "/api/v1/admin/units", admin, { name: "城东集贸市场（委托代征）", type: "entrusted_collector", code: "entrusted-east" });
    expect(unit.statusCode).toBe(201);
    const reg = await send("POST", "/api/v1/entrusted/collectors", admin, { unit: "entrusted-east", agreementNo: "WTDZ-2026-009", scope: "集贸市场税费", validFrom: "2026-01-01", validTo: "2026-06-30" });
    expect(reg.statusCode).toBe(201);
    expect(reg.json().agreement.expired).toBe(true); // the test clock is past June
    await send("POST", "/api/v1/admin/units/entrusted-east/deactivate", admin);
  });

  it("registers an agreement (201, then 200 for the update) and lists it", async () => {
    const body = { unit: rental, agreementNo: "WTDZ-2026-001", scope: "零星房屋出租税费", validFrom: "2026-01-01", validTo: "2026-12-31" };
    const first = await send("POST", "/api/v1/entrusted/collectors", officer, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ unit: { code: rental }, agreement: { agreementNo: "WTDZ-2026-001", expired: false } });
    expect((await send("POST", "/api/v1/entrusted/collectors", officer, { ...body, scope: "房屋出租" })).statusCode).toBe(200);
    const list = await send("GET", "/api/v1/entrusted/collectors", coordinator);
    expect(list.statusCode).toBe(200);
    expect(list.json().collectors.map((c: { unit: { code: string } }) => c.unit.code)).toEqual(["entrusted-market", "entrusted-rental"]);
  });

  it("answers bad input with 400 and localised field messages, a taken agreement with 409", async () => {
    const bad = await send("POST", "/api/v1/entrusted/collectors", officer, { unit: rental, agreementNo: "X", scope: "x", validFrom: "2026-12-01", validTo: "2026-01-01" }, { "accept-language": "en" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({ validTo: "The end date cannot be before the start date" });
    const junk = await send("POST", "/api/v1/entrusted/collectors", officer, { unit: 42, agreementNo: ["a"], validFrom: 20260101 });
    expect(junk.statusCode).toBe(400);
    expect(Object.keys(junk.json().error.fields).sort()).toEqual(["agreementNo", "scope", "unit", "validFrom", "validTo"]);
    const taken = await send("POST", "/api/v1/entrusted/collectors", officer, { unit: other, agreementNo: "WTDZ-2026-001", scope: "集贸市场税费", validFrom: "2026-01-01", validTo: "2026-12-31" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.fields).toEqual({ agreementNo: "该协议编号已登记给其他单位" });
  });

  it("adds and deactivates agents; a duplicate certificate is 409 on the field", async () => {
    const added = await send("POST", "/api/v1/entrusted/agents", officer, { unit: rental, name: "王五", certificateNo: "DZ-0001", phone: "13800138000" });
    expect(added.statusCode).toBe(201);
    const dup = await send("POST", "/api/v1/entrusted/agents", officer, { unit: rental, name: "赵六", certificateNo: "dz-0001" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields).toEqual({ certificateNo: "该证件号已登记" });
    const off = await send("POST", `/api/v1/entrusted/agents/${added.json().id}/deactivate`, officer);
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await send("POST", "/api/v1/entrusted/agents/unknown/deactivate", officer)).statusCode).toBe(404);
    await send("POST", "/api/v1/entrusted/agents", officer, { unit: other, name: "钱七", certificateNo: "DZ-0009" });
  });

  it("records an inspection, returns the same one on retry, lists overdue follow-ups and completes them", async () => {
    api.clock.set("2026-12-05T02:00:00Z");
    const body = { unit: rental, inspectedOn: "2026-11-20", findings: "代征凭证未按月结报", followUp: "补交 10 月结报", followUpBy: "2026-12-01" };
    const first = await send("POST", "/api/v1/entrusted/inspections", officer, body);
    expect(first.statusCode).toBe(201);
    const again = await send("POST", "/api/v1/entrusted/inspections", officer, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const overdue = await send("GET", `/api/v1/entrusted/inspections?overdue=true&unit=${rental}`, coordinator);
    expect(overdue.json().inspections.map((i: { id: string }) => i.id)).toEqual([first.json().id]);
    const future = await send("POST", "/api/v1/entrusted/inspections", officer, { ...body, inspectedOn: "2026-12-06", followUpBy: "2026-12-31" });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields).toEqual({ inspectedOn: "检查日期不能晚于今天" });
    const noNote = await send("POST", `/api/v1/entrusted/inspections/${first.json().id}/done`, officer, {});
    expect(noNote.json().error.fields).toEqual({ note: "请填写整改情况" });
    const done = await send("POST", `/api/v1/entrusted/inspections/${first.json().id}/done`, officer, { note: "已补交" });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ followUpDoneOn: "2026-12-05", overdue: false });
    expect((await send("POST", `/api/v1/entrusted/inspections/${first.json().id}/done`, officer, { note: "再次" })).json().followUpNote).toBe("已补交");
    const figures = await send("GET", "/api/v1/oversight/units?period=2026Q4", coordinator);
    expect(figures.json().rows.find((r: { unit: { code: string } }) => r.unit.code === rental).figures.overdueFollowUps).toBe(0);
  });

  it("refuses a reporter (403) and lets a collector's user read only their own unit", async () => {
    for (const [method, url] of [["GET", "/api/v1/entrusted/collectors"], ["GET", "/api/v1/entrusted/inspections"], ["POST", "/api/v1/entrusted/collectors"], ["POST", "/api/v1/entrusted/inspections"], ["POST", "/api/v1/entrusted/agents"]] as const) {
      expect((await send(method, url, reporter, method === "POST" ? {} : undefined)).statusCode, url).toBe(403);
    }
    expect((await send("GET", "/api/v1/entrusted/collectors")).statusCode).toBe(401);
    const own = await send("GET", "/api/v1/entrusted/collectors", collectorUser);
    expect(own.statusCode).toBe(200);
    expect(own.json().collectors.map((c: { unit: { code: string } }) => c.unit.code)).toEqual([rental]);
    expect(JSON.stringify(own.json())).not.toContain("钱七");
    expect((await send("GET", `/api/v1/entrusted/inspections?unit=${other}`, collectorUser)).statusCode).toBe(403);
    expect((await send("POST", "/api/v1/entrusted/inspections", collectorUser, { unit: rental, inspectedOn: "2026-12-01", findings: "自查" })).statusCode).toBe(403);
    expect((await send("POST", "/api/v1/entrusted/collectors", coordinator, {})).statusCode).toBe(403);
  });
});

describe("agents' personal data", () => {
  it("never reaches a log line, whether the request succeeds or is refused", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logged = await createTestApi({ logger: createLogger({ level: "trace", destination: sink }) });
    try {
      const token = (await makeUser(logged.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
      const unit = await makeUnit(logged.t.deps, { type: "entrusted_collector" });
      const post = (payload: unknown) => logged.app.inject({ method: "POST", url: "/api/v1/entrusted/agents", payload: payload as object, headers: bearer(token) });
      expect((await post({ unit, name: "欧阳秘密", certificateNo: "DZ-SECRET-1", phone: "13912345678" })).statusCode).toBe(201);
      expect((await post({ unit, name: "欧阳秘密", certificateNo: "DZ-SECRET-1", phone: "13912345678" })).statusCode).toBe(409);
      expect((await post({ unit, name: "欧阳秘密", certificateNo: "DZ-SECRET-2", phone: "1391234567899" })).statusCode).toBe(400);
      expect((await post({ unit, name: "欧阳\u0007秘密", certificateNo: "DZ-SECRET-3" })).statusCode).toBe(400);
      await logged.app.inject({ method: "GET", url: "/api/v1/entrusted/collectors", headers: bearer(token) });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join("")).not.toMatch(/欧阳|13912345678|1391234567899/);
    } finally {
      await logged.close();
    }
  });
});
