import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInvite, revokeInvite, signWebAppInitData, systemActor } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, START, type TestApi } from "./helpers.ts";

let api: TestApi;
beforeEach(async () => {
  api = await createTestApi();
});
afterEach(async () => {
  await api.close();
});

async function newInvite(opts: { roles?: ("reporter" | "checker" | "admin")[]; name?: string; expiresInDays?: number } = {}) {
  const unit = await makeUnit(api.t.deps, { name: "幸福镇东村村委会" });
  const { code, invite } = await createInvite(api.t.deps, systemActor("test"), {
    unit,
    roles: opts.roles ?? ["reporter"],
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.expiresInDays ? { expiresInDays: opts.expiresInDays } : {}),
  });
  return { code, invite, unit };
}

const redeem = (payload: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: payload as object, headers });

describe("POST /api/v1/auth/redeem", () => {
  it("turns a valid invite into a session token and the contract's user object", async () => {
    const { code, unit } = await newInvite({ roles: ["reporter", "checker"] });
    const res = await redeem({ code, name: "王小明" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(typeof body.token).toBe("string");
    expect(body.token.length).toBeGreaterThan(20);
    expect(body.user).toEqual({ id: expect.any(String), name: "王小明", unit: { code: unit, name: "幸福镇东村村委会", type: "village" }, roles: ["checker", "reporter"] });
    const me = await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(body.token) });
    expect(me.json()).toEqual(body.user);
  });

  it("accepts a code typed in lower case, with dashes and spaces", async () => {
    const { code } = await newInvite();
    const typed = ` ${code.slice(0, 4).toLowerCase()}-${code.slice(4, 8)} ${code.slice(8)} `;
    expect((await redeem({ code: typed })).statusCode).toBe(200);
  });

  it("accepts a code typed with full-width letters and digits", async () => {
    const { code } = await newInvite();
    const fullWidth = [...code].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("");
    const res = await redeem({ code: fullWidth });
    expect(res.statusCode).toBe(200);
  });

  it("refuses an unknown code with 404 invite_unknown and a Chinese message", async () => {
    const res = await redeem({ code: "K7M2QX9PRT" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: "not_found", reason: "invite_unknown", message: "邀请码不存在，请核对后重新输入" });
  });

  it("refuses an unknown code in English when asked", async () => {
    const res = await redeem({ code: "K7M2QX9PRT" }, { "accept-language": "en" });
    expect(res.json().error.message).toBe("This invite code does not exist; please check it");
  });

  it("refuses a code used before with 409 invite_used", async () => {
    const { code } = await newInvite();
    expect((await redeem({ code })).statusCode).toBe(200);
    const res = await redeem({ code });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: "conflict", reason: "invite_used", message: "邀请码已被使用过，每个邀请码只能用一次" });
  });

  it("refuses an expired code with 409 invite_expired", async () => {
    const { code } = await newInvite({ expiresInDays: 1 });
    api.clock.advance(2 * 86_400_000);
    const res = await redeem({ code });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ reason: "invite_expired", message: "邀请码已过期，请联系管理员重新发放" });
    const en = await redeem({ code }, { "accept-language": "en" });
    expect(en.json().error.message).toBe("This invite code has expired; ask your administrator for a new one");
  });

  it("refuses a revoked code with 409 invite_revoked", async () => {
    const { code, invite } = await newInvite();
    await revokeInvite(api.t.deps, systemActor("test"), invite.id);
    const res = await redeem({ code });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ reason: "invite_revoked", message: "邀请码已被管理员作废" });
  });

  it("creates no user and no session when redemption fails", async () => {
    const { code, invite } = await newInvite();
    await revokeInvite(api.t.deps, systemActor("test"), invite.id);
    await redeem({ code });
    await redeem({ code: "K7M2QX9PRT" });
    expect(await api.t.db.prisma.user.count()).toBe(0);
    expect(await api.t.db.prisma.session.count()).toBe(0);
  });

  it("rejects a malformed code with a localised field message", async () => {
    const res = await redeem({ code: "abc" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "invalid_input", fields: { code: "邀请码由 10 位字母和数字组成，例如 K7M2QX9PRT" } });
    const en = await redeem({ code: "abc" }, { "accept-language": "en" });
    expect(en.json().error.fields.code).toBe("An invite code has 10 letters and digits, e.g. K7M2QX9PRT");
  });

  it("names a missing code as required", async () => {
    const res = await redeem({});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ code: "必填" });
  });

  it("rejects unknown fields by name", async () => {
    const { code } = await newInvite();
    const res = await redeem({ code, roles: ["admin"] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ roles: "不认识的字段" });
    expect(await api.t.db.prisma.user.count()).toBe(0);
  });

  it("rejects wrong types without a 500", async () => {
    for (const payload of [{ code: 12345 }, { code: null }, { code: ["K7M2QX9PRT"] }, { code: { $ne: "" } }, [], "K7M2QX9PRT", 42]) {
      const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/redeem", headers: { "content-type": "application/json" }, payload: JSON.stringify(payload) });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe("invalid_input");
    }
  });

  it("treats SQL-injection-looking codes as just wrong codes", async () => {
    for (const code of ["' OR 1=1 --", "K7M2QX9PRT'; DROP TABLE User; --", "\" OR \"\"=\""]) {
      const res = await redeem({ code });
      expect(res.statusCode).toBe(400);
    }
    const { code } = await newInvite();
    expect((await redeem({ code })).statusCode).toBe(200);
  });

  it("rejects an empty or overlong name and strips odd whitespace from a good one", async () => {
    const { code } = await newInvite();
    expect((await redeem({ code, name: "   " })).json().error.fields).toEqual({ name: "必填" });
    expect((await redeem({ code, name: "长".repeat(41) })).json().error.fields.name).toContain("40");
    const ok = await redeem({ code, name: "\u3000王\u200b小明  " });
    expect(ok.json().user.name).toBe("王小明");
  });
});

describe("per-IP limit on code guessing", () => {
  it("answers 429 once an address has tried too many codes in a minute", async () => {
    const limited = await createTestApi({ authAttemptsPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code: "K7M2QX9PRT" } });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json().error.code).toBe("rate_limited");
          expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
        }
      }
      expect(statuses).toEqual([404, 404, 404, 429]);
      const other = await limited.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code: "K7M2QX9P" }, remoteAddress: "10.0.0.9" });
      expect(other.statusCode).toBe(404);
    } finally {
      await limited.close();
    }
  });
});

describe("bearer tokens", () => {
  it("answers 401 without a token, with a garbage token and with a non-Bearer scheme", async () => {
    const { token } = await makeUser(api.t.deps, { roles: ["reporter"] });
    for (const headers of [{}, bearer("garbage"), bearer("x".repeat(500)), { authorization: `Basic ${token}` }, { authorization: "Bearer" }]) {
      const res = await api.app.inject({ method: "GET", url: "/api/v1/me", headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: "unauthorized", message: "请先登录（登录已过期或无效）" });
    }
  });

  it("answers 401 once the session has expired", async () => {
    const { token } = await makeUser(api.t.deps, { roles: ["reporter"] });
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) })).statusCode).toBe(200);
    api.clock.advance(31 * 86_400_000);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) })).statusCode).toBe(401);
  });

  it("logs out with 204 and the token stops working", async () => {
    const { token } = await makeUser(api.t.deps, { roles: ["reporter"] });
    const out = await api.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe("");
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) })).statusCode).toBe(401);
    expect((await api.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: bearer(token) })).statusCode).toBe(401);
  });

  it("accepts logout from clients that send an empty JSON body", async () => {
    const { token } = await makeUser(api.t.deps, { roles: ["reporter"] });
    const out = await api.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: { ...bearer(token), "content-type": "application/json" }, payload: "" });
    expect(out.statusCode).toBe(204);
  });

  it("stops accepting a token when its user is disabled", async () => {
    const { token, actor } = await makeUser(api.t.deps, { roles: ["reporter"] });
    await api.t.db.prisma.user.update({ where: { id: actor.userId }, data: { active: false } });
    expect((await api.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) })).statusCode).toBe(401);
  });
});

describe("POST /api/v1/auth/link", () => {
  it("signs the mini-app in as the user who made the link code, once", async () => {
    const { token, actor } = await makeUser(api.t.deps, { roles: ["checker"] });
    const made = await api.app.inject({ method: "POST", url: "/api/v1/me/link-code", headers: bearer(token) });
    expect(made.statusCode).toBe(200);
    const { code, expiresAt } = made.json();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(Date.parse(expiresAt)).toBe(Date.parse(START) + 10 * 60_000);

    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code: code.toLowerCase() } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(actor.userId);
    expect(res.json().token).not.toBe(token);

    const again = await api.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ reason: "link_code_used", message: "绑定码已被使用过" });
  });

  it("distinguishes unknown and expired link codes", async () => {
    const unknown = await api.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code: "K7M2QX9P" } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.reason).toBe("link_code_unknown");

    const { token } = await makeUser(api.t.deps, { roles: ["reporter"] });
    const { code } = (await api.app.inject({ method: "POST", url: "/api/v1/me/link-code", headers: bearer(token) })).json();
    api.clock.advance(11 * 60_000);
    const expired = await api.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code } });
    expect(expired.statusCode).toBe(409);
    expect(expired.json().error.reason).toBe("link_code_expired");
  });

  it("rejects an invite-length code as a malformed link code", async () => {
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/link", payload: { code: "K7M2QX9PRT" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ code: "绑定码由 8 位字母和数字组成" });
  });
});

describe("POST /api/v1/auth/telegram-webapp", () => {
  const BOT_TOKEN = "4242:test-bot-token";
  const initData = (telegramId: number, authDate = Math.floor(Date.parse(START) / 1000) - 30, token = BOT_TOKEN) =>
    signWebAppInitData({ user: JSON.stringify({ id: telegramId, first_name: "Li" }), auth_date: String(authDate) }, token);

  it("signs in the user bound to the Telegram account", async () => {
    const tg = await createTestApi({ telegramBotToken: BOT_TOKEN });
    try {
      const actor = await makeTelegramUser(tg.t.deps, { roles: ["reporter"], telegramId: 900100 });
      const res = await tg.app.inject({ method: "POST", url: "/api/v1/auth/telegram-webapp", payload: { initData: initData(900100) } });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.id).toBe(actor.userId);
      const me = await tg.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(res.json().token) });
      expect(me.json().id).toBe(actor.userId);
    } finally {
      await tg.close();
    }
  });

  it("tells an unregistered Telegram account to redeem an invite in the bot first", async () => {
    const tg = await createTestApi({ telegramBotToken: BOT_TOKEN });
    try {
      const res = await tg.app.inject({ method: "POST", url: "/api/v1/auth/telegram-webapp", payload: { initData: initData(900200) } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.reason).toBe("telegram_account_unknown");
      expect(res.json().error.message).toContain("邀请码");
      expect(await tg.t.db.prisma.user.count()).toBe(0);
    } finally {
      await tg.close();
    }
  });

  it("refuses forged, foreign-bot and stale init data with 401", async () => {
    const tg = await createTestApi({ telegramBotToken: BOT_TOKEN });
    try {
      await makeTelegramUser(tg.t.deps, { roles: ["reporter"], telegramId: 900300 });
      const forged = initData(900300).replace("900300", "900301");
      const cases: [string, string][] = [
        [forged, "telegram_init_data_invalid"],
        [initData(900300, undefined, "1:other-bot"), "telegram_init_data_invalid"],
        [initData(900300, Math.floor(Date.parse(START) / 1000) - 2 * 86_400), "telegram_init_data_expired"],
        ["user=%7B%22id%22%3A900300%7D&hash=abc", "telegram_init_data_invalid"],
      ];
      for (const [data, reason] of cases) {
        const res = await tg.app.inject({ method: "POST", url: "/api/v1/auth/telegram-webapp", payload: { initData: data } });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.reason).toBe(reason);
      }
    } finally {
      await tg.close();
    }
  });

  it("explains that Telegram login is unavailable when no bot token is configured", async () => {
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/telegram-webapp", payload: { initData: initData(1) } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ reason: "telegram_not_configured", message: expect.stringContaining("Telegram") });
  });

  it("requires initData as a string", async () => {
    const res = await api.app.inject({ method: "POST", url: "/api/v1/auth/telegram-webapp", payload: { initData: 5 } });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(["initData"]);
  });
});
