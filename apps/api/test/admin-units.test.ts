import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

let api: TestApi;
let admin: string;
let officer: string;

beforeEach(async () => {
  api = await createTestApi();
  await makeUnit(api.t.deps, { code: "xingfu-town", name: "幸福镇", type: "town" });
  await makeUnit(api.t.deps, { code: "anle-town", name: "安乐镇", type: "town" });
  admin = (await makeUser(api.t.deps, { roles: ["admin"], unitType: "finance_bureau" })).token;
  officer = (await makeUser(api.t.deps, { roles: ["tax_officer", "reporter"], unitType: "tax_bureau", name: "李税" })).token;
});
afterEach(async () => {
  await api.close();
});

const call = (method: "GET" | "POST" | "PATCH", url: string, token: string, payload?: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method, url, headers: { ...bearer(token), ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe("unit management (admins)", () => {
  it("adds a village, renames and moves it, deactivates it, and hides it from pickers", async () => {
    const created = await call("POST", "/api/v1/admin/units", admin, { name: "幸福镇南村村委会", type: "village", parent: "xingfu-town" });
    expect(created.statusCode).toBe(201);
    const { code } = created.json() as { code: string };
    expect(created.json()).toEqual({ code, name: "幸福镇南村村委会", type: "village", parent: "xingfu-town", active: true });

    const moved = await call("PATCH", `/api/v1/admin/units/${code}`, admin, { name: "安乐镇南村村委会", parent: "anle-town" });
    expect(moved.json()).toMatchObject({ name: "安乐镇南村村委会", parent: "anle-town" });

    expect((await call("POST", `/api/v1/admin/units/${code}/deactivate`, admin)).json()).toMatchObject({ active: false });
    const picker = (await call("GET", "/api/v1/units", officer)).json() as { code: string }[];
    expect(picker.map((u) => u.code)).not.toContain(code);
    const all = (await call("GET", "/api/v1/admin/units", admin)).json() as { code: string; active: boolean }[];
    expect(all.find((u) => u.code === code)).toMatchObject({ active: false });
    const invite = await call("POST", "/api/v1/admin/invites", admin, { unit: code, roles: ["reporter"] });
    expect(invite.statusCode).toBe(400);
    expect(invite.json().error.fields.unit).toBe("这个单位已停用");
  });

  it("answers bad input with messages for people, in the asked language, never a 500", async () => {
    const bad = await call("POST", "/api/v1/admin/units", admin, { name: "", type: "castle", parent: 5, x: 1 }, { "accept-language": "en" });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.fields as Record<string, string>;
    expect(fields.name).toBe("Enter the unit name");
    expect(fields.type).toMatch(/^Choose one of: Town/);
    expect(JSON.stringify(fields)).not.toMatch(/expected|castle|"string"/);
    const noTown = await call("POST", "/api/v1/admin/units", admin, { name: "北村村委会", type: "village" });
    expect(noTown.json().error.fields).toEqual({ parent: "村委会和居委会要选所属的镇或街道" });
    const taken = await call("POST", "/api/v1/admin/units", admin, { name: "幸福镇", type: "town" });
    expect(taken.statusCode).toBe(409);
    expect((await call("PATCH", "/api/v1/admin/units/NOT%20A%20CODE", admin, { name: "x" })).statusCode).toBe(400);
    expect((await call("PATCH", "/api/v1/admin/units/no-such-unit", admin, { name: "x" })).statusCode).toBe(404);
    const injection = await call("POST", "/api/v1/admin/units", admin, { name: "'; DROP TABLE Unit; --", type: "other" });
    expect(injection.statusCode).toBe(201);
    expect(await api.t.db.prisma.unit.count({ where: { name: "'; DROP TABLE Unit; --" } })).toBe(1);
  });

  it("is refused without a session and without the admin role", async () => {
    expect((await api.app.inject({ method: "GET", url: "/api/v1/admin/units" })).statusCode).toBe(401);
    expect((await call("POST", "/api/v1/admin/units", officer, { name: "新镇", type: "town" })).statusCode).toBe(403);
  });
});

describe("GET /api/v1/people", () => {
  it("finds people by name for tax officers and refuses reporters", async () => {
    const reporter = (await makeUser(api.t.deps, { roles: ["reporter"], name: "王芳" })).token;
    const found = await call("GET", `/api/v1/people?q=${encodeURIComponent("王")}`, officer);
    expect(found.statusCode).toBe(200);
    expect((found.json() as { name: string }[]).map((p) => p.name)).toEqual(["王芳"]);
    expect((await call("GET", "/api/v1/people?q=x", reporter)).statusCode).toBe(403);
    expect((await call("GET", `/api/v1/people?q=${"长".repeat(100)}`, officer)).statusCode).toBe(400);
  });
});
