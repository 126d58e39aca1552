import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

let api: TestApi;
let admin: string;
let reporter: string;
let unit: string;

beforeEach(async () => {
  api = await createTestApi();
  unit = await makeUnit(api.t.deps, { code: "dongcun", name: "幸福镇东村村委会" });
  admin = (await makeUser(api.t.deps, { roles: ["admin"], unitType: "finance_bureau" })).token;
  reporter = (await makeUser(api.t.deps, { roles: ["reporter", "checker", "tax_officer"], unit })).token;
});
afterEach(async () => {
  await api.close();
});

const createInvite = (token: string, payload: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method: "POST", url: "/api/v1/admin/invites", headers: { ...bearer(token), ...headers }, payload: payload as object });

describe("GET /api/v1/me and /units", () => {
  it("returns the signed-in user", async () => {
    const res = await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(reporter) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ unit: { code: "dongcun", name: "幸福镇东村村委会", type: "village" }, roles: ["checker", "reporter", "tax_officer"] });
    expect(Object.keys(res.json()).sort()).toEqual(["id", "name", "roles", "unit"]);
  });

  it("lists units with their parent for signed-in users only", async () => {
    const town = await makeUnit(api.t.deps, { code: "xingfu", type: "town", name: "幸福镇" });
    await makeUnit(api.t.deps, { code: "xicun", parent: town, name: "西村" });
    const res = await api.app.inject({ method: "GET", url: "/api/v1/units", headers: bearer(reporter) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toContainEqual({ code: "xicun", name: "西村", type: "village", parent: "xingfu" });
    expect(res.json()).toContainEqual({ code: "dongcun", name: "幸福镇东村村委会", type: "village", parent: null });
    expect((await api.app.inject({ method: "GET", url: "/api/v1/units" })).statusCode).toBe(401);
  });
});

describe("admin invites", () => {
  it("creates an invite that can then be redeemed", async () => {
    const res = await createInvite(admin, { unit: "dongcun", roles: ["reporter", "reporter"], name: "张三" });
    expect(res.statusCode).toBe(201);
    const { code, invite } = res.json();
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    expect(invite).toMatchObject({ unit: { code: "dongcun" }, roles: ["reporter"], name: "张三", status: "active", usedAt: null });
    const redeemed = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code } });
    expect(redeemed.json().user).toMatchObject({ name: "张三", unit: { code: "dongcun" }, roles: ["reporter"] });
  });

  it("lists invites newest first, filtered by unit and status, without codes", async () => {
    const first = (await createInvite(admin, { unit: "dongcun", roles: ["reporter"] })).json();
    api.clock.advance(1000);
    const other = await makeUnit(api.t.deps, { code: "traffic-9", type: "traffic_police" });
    await createInvite(admin, { unit: other, roles: ["checker"] });
    await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code: first.code } });

    const all = await api.app.inject({ method: "GET", url: "/api/v1/admin/invites", headers: bearer(admin) });
    expect(all.statusCode).toBe(200);
    expect(all.json()[0].unit.code).toBe("traffic-9");
    expect(JSON.stringify(all.json())).not.toContain(first.code);

    const used = await api.app.inject({ method: "GET", url: "/api/v1/admin/invites?unit=dongcun&status=used", headers: bearer(admin) });
    expect(used.json().map((i: { id: string }) => i.id)).toContain(first.invite.id);
    expect(used.json().every((i: { status: string; unit: { code: string } }) => i.status === "used" && i.unit.code === "dongcun")).toBe(true);

    const active = await api.app.inject({ method: "GET", url: "/api/v1/admin/invites?status=active&unit=dongcun", headers: bearer(admin) });
    expect(active.json().map((i: { id: string }) => i.id)).not.toContain(first.invite.id);
  });

  it("rejects an unknown status filter with a field error", async () => {
    const res = await api.app.inject({ method: "GET", url: "/api/v1/admin/invites?status=bogus", headers: bearer(admin) });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(["status"]);
  });

  it("revokes an invite so it can no longer be redeemed", async () => {
    const { code, invite } = (await createInvite(admin, { unit: "dongcun", roles: ["reporter"] })).json();
    const res = await api.app.inject({ method: "POST", url: `/api/v1/admin/invites/${invite.id}/revoke`, headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: invite.id, status: "revoked" });
    const redeemed = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code } });
    expect(redeemed.json().error.reason).toBe("invite_revoked");
  });

  it("reissues an invite: the old code stops working and the new one works", async () => {
    const { code, invite } = (await createInvite(admin, { unit: "dongcun", roles: ["checker"], name: "李四" })).json();
    const res = await api.app.inject({ method: "POST", url: `/api/v1/admin/invites/${invite.id}/reissue`, headers: bearer(admin), payload: { expiresInDays: 3 } });
    expect(res.statusCode).toBe(201);
    const fresh = res.json();
    expect(fresh.code).not.toBe(code);
    expect(fresh.invite).toMatchObject({ roles: ["checker"], name: "李四", status: "active" });
    expect(Date.parse(fresh.invite.expiresAt) - Date.parse(fresh.invite.createdAt)).toBe(3 * 86_400_000);
    expect((await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code } })).statusCode).toBe(409);
    expect((await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code: fresh.code } })).statusCode).toBe(200);
  });

  it("reissues without a body", async () => {
    const { invite } = (await createInvite(admin, { unit: "dongcun", roles: ["reporter"] })).json();
    const res = await api.app.inject({ method: "POST", url: `/api/v1/admin/invites/${invite.id}/reissue`, headers: bearer(admin) });
    expect(res.statusCode).toBe(201);
  });

  it("refuses to revoke or reissue a used invite with 409", async () => {
    const { code, invite } = (await createInvite(admin, { unit: "dongcun", roles: ["reporter"] })).json();
    await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code } });
    for (const action of ["revoke", "reissue"]) {
      const res = await api.app.inject({ method: "POST", url: `/api/v1/admin/invites/${invite.id}/${action}`, headers: bearer(admin) });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.reason).toBe("invite_used");
    }
  });

  it("answers 404 for an invite id that does not exist, including injection-looking ids", async () => {
    for (const id of ["nope", "1%27%20OR%20%271%27%3D%271", "%E2%80%AE"]) {
      const res = await api.app.inject({ method: "POST", url: `/api/v1/admin/invites/${id}/revoke`, headers: bearer(admin) });
      expect(res.statusCode, id).toBe(404);
      expect(res.json().error.code).toBe("not_found");
    }
  });

  it("answers 404 with a field error for an unknown unit, localised", async () => {
    const res = await createInvite(admin, { unit: "no-such-unit", roles: ["reporter"] });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ reason: "unit_unknown", message: "单位代码不存在", fields: { unit: "单位代码不存在" } });
    const en = await createInvite(admin, { unit: "no-such-unit", roles: ["reporter"] }, { "accept-language": "en" });
    expect(en.json().error.fields.unit).toBe("No unit has this code");
  });

  it("rejects bad invite input with one message per field and creates nothing", async () => {
    const res = await createInvite(admin, { unit: "DONG CUN!", roles: [], expiresInDays: "14", extra: 1 });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields;
    expect(Object.keys(fields).sort()).toEqual(["expiresInDays", "extra", "roles", "unit"]);
    expect(fields.roles).toBe("至少选择一个角色");
    expect(fields.unit).toBe("单位代码只能包含小写字母、数字、- 和 _");
    expect(await api.t.db.prisma.invite.count()).toBe(2);
  });

  it("rejects an unknown role", async () => {
    const res = await createInvite(admin, { unit: "dongcun", roles: ["superuser"] });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(["roles.0"]);
  });

  it("forbids every admin route to users without the admin role (403) and to anonymous callers (401)", async () => {
    const routes = [
      { method: "GET" as const, url: "/api/v1/admin/invites" },
      { method: "POST" as const, url: "/api/v1/admin/invites", payload: { unit: "dongcun", roles: ["admin"] } },
      { method: "POST" as const, url: "/api/v1/admin/invites/x/revoke" },
      { method: "POST" as const, url: "/api/v1/admin/invites/x/reissue" },
    ];
    for (const route of routes) {
      const forbidden = await api.app.inject({ ...route, headers: bearer(reporter) });
      expect(forbidden.statusCode, route.url).toBe(403);
      expect(forbidden.json().error).toMatchObject({ code: "forbidden", message: "您的角色或单位无权进行此操作" });
      expect((await api.app.inject(route)).statusCode, route.url).toBe(401);
    }
    expect(await api.t.db.prisma.invite.count()).toBe(2);
  });
});
