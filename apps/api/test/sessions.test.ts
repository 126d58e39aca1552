import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInvite, createLinkCode, createWechatClient, systemActor } from "@xieshui/core/server";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { startFakeWechat, type FakeWechat } from "../../../test/factories/wechat.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// Issue 8 point 10 over HTTP: the session list and ending sessions (/me/sessions), devices recorded
// at sign-in, and the WeChat login (`wx.login` code → code2session, against a local fake of WeChat).
const IPHONE_WECHAT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN";
const WINDOWS_EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0";

let api: TestApi;
let wx: FakeWechat;
beforeEach(async () => {
  wx = await startFakeWechat();
  api = await createTestApi({ wechat: createWechatClient({ baseUrl: wx.url, appId: wx.appId, secret: wx.secret }) });
});
afterEach(async () => {
  await api.close();
  await wx.close();
});

const post = (url: string, payload: object, headers: Record<string, string> = {}) => api.app.inject({ method: "POST", url, payload, headers });

describe("GET /me/sessions and POST /me/sessions/:id/end", () => {
  it("lists this user's sessions with device and channel in the caller's language, this one marked", async () => {
    const unit = await makeUnit(api.t.deps);
    const { code } = await createInvite(api.t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const first = (await post("/api/v1/auth/redeem", { code }, { "user-agent": WINDOWS_EDGE })).json<{ token: string; user: { id: string } }>();
    const actor = (await api.t.deps.identity.actorByUserId(first.user.id))!;
    const link = await createLinkCode(api.t.deps, actor);
    const second = (await post("/api/v1/auth/link", { code: link.code }, { "user-agent": IPHONE_WECHAT })).json<{ token: string }>();

    const res = await api.app.inject({ method: "GET", url: "/api/v1/me/sessions", headers: { ...bearer(first.token), "accept-language": "en" } });
    expect(res.statusCode).toBe(200);
    const { sessions } = res.json<{ sessions: { id: string; device: string; current: boolean; channelLabel: string; lastUsedAt: string }[] }>();
    expect(sessions.map((s) => [s.device, s.current])).toEqual([
      ["Windows · Edge", true],
      ["iPhone · WeChat", false],
    ]);
    expect(sessions[1]!.lastUsedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(res.body).not.toContain(second.token);

    const end = await api.app.inject({ method: "POST", url: `/api/v1/me/sessions/${sessions[1]!.id}/end`, headers: bearer(first.token) });
    expect(end.statusCode).toBe(204);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(second.token) })).statusCode).toBe(401);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(first.token) })).statusCode).toBe(200);
  });

  it("answers 404 for a session of another user or an unknown id, 401 without a token", async () => {
    const a = await makeUser(api.t.deps, { roles: ["reporter"] });
    const b = await makeUser(api.t.deps, { roles: ["reporter"] });
    const theirs = (await api.app.inject({ method: "GET", url: "/api/v1/me/sessions", headers: bearer(b.token) })).json<{ sessions: { id: string }[] }>().sessions[0]!;
    expect((await api.app.inject({ method: "POST", url: `/api/v1/me/sessions/${theirs.id}/end`, headers: bearer(a.token) })).statusCode).toBe(404);
    expect((await api.app.inject({ method: "POST", url: `/api/v1/me/sessions/${"x".repeat(60)}/end`, headers: bearer(a.token) })).statusCode).toBe(400);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me/sessions" })).statusCode).toBe(401);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(b.token) })).statusCode).toBe(200);
  });
});

describe("POST /auth/wechat", () => {
  it("binds the WeChat account on the first login with an invite, then signs in with wx.login alone", async () => {
    const unit = await makeUnit(api.t.deps, { name: "幸福镇东村村委会" });
    const { code } = await createInvite(api.t.deps, systemActor("test"), { unit, roles: ["reporter"], name: "王芳" });
    const unknown = await post("/api/v1/auth/wechat", { code: wx.code("o-wangfang") });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: "not_found", reason: "wechat_not_bound" });

    const first = await post("/api/v1/auth/redeem", { code, wechatCode: wx.code("o-wangfang") }, { "user-agent": IPHONE_WECHAT });
    expect(first.statusCode).toBe(200);
    const again = await post("/api/v1/auth/wechat", { code: wx.code("o-wangfang") }, { "user-agent": IPHONE_WECHAT });
    expect(again.statusCode).toBe(200);
    expect(again.json().user).toMatchObject({ id: first.json().user.id, name: "王芳" });
    const me = await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(again.json().token) });
    expect(me.statusCode).toBe(200);
  });

  it("spends no invite when the WeChat code fails or the account belongs to someone else", async () => {
    const unit = await makeUnit(api.t.deps);
    const { code } = await createInvite(api.t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const bad = await post("/api/v1/auth/redeem", { code, wechatCode: "used-or-forged" });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.reason).toBe("wechat_code_invalid");
    const other = await makeUser(api.t.deps, { roles: ["reporter"] });
    const otherCode = (await createInvite(api.t.deps, systemActor("test"), { unit, roles: ["reporter"] })).code;
    expect((await post("/api/v1/auth/redeem", { code: otherCode, wechatCode: wx.code("o-taken") })).statusCode).toBe(200);
    const taken = await post("/api/v1/auth/redeem", { code, wechatCode: wx.code("o-taken") });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.reason).toBe("wechat_taken");
    expect((await post("/api/v1/auth/redeem", { code })).statusCode).toBe(200);
    expect(other.actor.userId).toBeTruthy();
  });

  it("says WeChat is unavailable (503) when it is busy, and validates the body", async () => {
    wx.busy();
    const busy = await post("/api/v1/auth/wechat", { code: wx.code("o-x") });
    expect(busy.statusCode).toBe(503);
    expect(busy.json().error).toMatchObject({ code: "upstream_unavailable", message: "微信登录暂时不可用，请稍后再试或使用邀请码登录" });
    for (const payload of [{}, { code: "" }, { code: 42 }, { code: "a".repeat(200) }, { code: "ab", extra: 1 }]) {
      const res = await post("/api/v1/auth/wechat", payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toBeDefined();
    }
    expect(JSON.stringify(wx.requests.map((q) => q.toString()))).not.toContain("undefined");
  });

  it("answers 404 when the server has no WeChat configuration", async () => {
    const plain = await createTestApi();
    try {
      const res = await plain.app.inject({ method: "POST", url: "/api/v1/auth/wechat", payload: { code: "abc" } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.reason).toBe("wechat_not_configured");
    } finally {
      await plain.close();
    }
  });
});
