import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { startFakeWechat, type FakeWechat } from "../../../../../test/factories/wechat.ts";
import {
  authenticate,
  endSession,
  listSessions,
  recordSessionDevice,
  revokeSession,
  sessionRenewals,
  SESSION_RENEW_MS,
  SESSION_TTL_MS,
} from "./sessions.ts";
import { bindWechat, createWechatClient, loginWithWechat, resolveWechatOpenid, type WechatClient } from "./wechat.ts";
import { createLinkCode, redeemLinkCodeForSession } from "./link-codes.ts";

// Issue 8 point 10 in core: sliding sessions (renewed on use, at most once an hour), the session
// list with devices, and WeChat sign-in by openid.
const clock = createFixedClock("2026-11-26T04:00:00Z");
const DAY = 86_400_000;
const IPHONE_WECHAT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN";
const ANDROID_CHROME = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
let t: TestDb;

beforeEach(() => {
  clock.set("2026-11-26T04:00:00Z");
  t = createTestDb({ clock });
});
afterEach(async () => {
  await t.close();
});

const row = async (token: string) => {
  const { sha256Hex } = await import("../crypto.ts");
  return t.db.prisma.session.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } });
};

describe("sliding sessions", () => {
  it("does not write on every request: a session used again within the hour is left as it is", async () => {
    const { token } = await makeUser(t.deps, { roles: ["reporter"] });
    const before = await row(token);
    for (let i = 0; i < 50; i++) {
      clock.advance(60_000);
      expect(await authenticate(t.deps, token)).not.toBeNull();
    }
    await sessionRenewals(t.deps);
    const after = await row(token);
    expect(after.expiresAt.getTime()).toBe(before.expiresAt.getTime());
    expect(after.lastUsedAt?.getTime() ?? after.createdAt.getTime()).toBe(before.createdAt.getTime());
  });

  it("renews a session used after the hour: it ends 30 days after the last use", async () => {
    const { token } = await makeUser(t.deps, { roles: ["reporter"] });
    clock.advance(SESSION_RENEW_MS + 1000);
    expect(await authenticate(t.deps, token)).not.toBeNull();
    await sessionRenewals(t.deps);
    const renewed = await row(token);
    expect(renewed.lastUsedAt?.getTime()).toBe(clock.now().getTime());
    expect(renewed.expiresAt.getTime()).toBe(clock.now().getTime() + SESSION_TTL_MS);
  });

  it("keeps a session used every 20 days alive past 30 days from sign-in, and ends it after 30 days idle", async () => {
    const { token } = await makeUser(t.deps, { roles: ["reporter"] });
    for (let i = 0; i < 4; i++) {
      clock.advance(20 * DAY);
      expect(await authenticate(t.deps, token)).not.toBeNull();
      await sessionRenewals(t.deps);
    }
    clock.advance(30 * DAY + 1000);
    expect(await authenticate(t.deps, token)).toBeNull();
    await sessionRenewals(t.deps);
    expect(await authenticate(t.deps, token)).toBeNull();
  });

  it("never brings a revoked session back when a renewal was already on its way", async () => {
    const { token } = await makeUser(t.deps, { roles: ["reporter"] });
    clock.advance(SESSION_RENEW_MS + 1000);
    expect(await authenticate(t.deps, token)).not.toBeNull();
    await revokeSession(t.deps, token);
    await sessionRenewals(t.deps);
    expect(await authenticate(t.deps, token)).toBeNull();
    expect((await row(token)).revokedAt).not.toBeNull();
  });
});

describe("the session list", () => {
  it("lists the user's live sessions with channel, device and last use; this one marked", async () => {
    const a = await makeUser(t.deps, { roles: ["reporter"] });
    await recordSessionDevice(t.deps, a.token, ANDROID_CHROME);
    const { code } = await createLinkCode(t.deps, a.actor);
    const b = await redeemLinkCodeForSession(t.deps, code);
    await recordSessionDevice(t.deps, b.token, IPHONE_WECHAT);
    const stranger = await makeUser(t.deps, { roles: ["reporter"] });

    const zh = await listSessions(t.deps, a.actor, a.token, { locale: "zh-CN" });
    expect(zh).toHaveLength(2);
    expect(zh.map((s) => [s.device, s.current])).toEqual([
      ["Android · Chrome", true],
      ["iPhone · 微信", false],
    ]);
    const en = await listSessions(t.deps, a.actor, a.token, { locale: "en" });
    expect(en[1]).toMatchObject({ device: "iPhone · WeChat", channel: "miniapp", channelLabel: "Mini-app / web" });
    expect(JSON.stringify(en)).not.toContain(stranger.token);
    expect(JSON.stringify(en)).not.toMatch(/tokenHash|Mozilla/);
  });

  it("ends one of the user's own sessions, never another user's", async () => {
    const a = await makeUser(t.deps, { roles: ["reporter"] });
    const stranger = await makeUser(t.deps, { roles: ["reporter"] });
    const [theirs] = await listSessions(t.deps, stranger.actor, stranger.token);
    expect((await expectAppError(endSession(t.deps, a.actor, theirs!.id))).code).toBe("not_found");
    expect(await authenticate(t.deps, stranger.token)).not.toBeNull();
    const [mine] = await listSessions(t.deps, a.actor, a.token);
    await endSession(t.deps, a.actor, mine!.id);
    await endSession(t.deps, a.actor, mine!.id);
    expect(await authenticate(t.deps, a.token)).toBeNull();
    expect(await listSessions(t.deps, a.actor, a.token)).toEqual([]);
    expect(await t.db.prisma.auditLog.count({ where: { action: "session.end", userId: a.actor.userId } })).toBe(1);
  });

  it("keeps only a bounded, printable user agent", async () => {
    const a = await makeUser(t.deps, { roles: ["reporter"] });
    await recordSessionDevice(t.deps, a.token, `${"x".repeat(1000)}\u0000\n`);
    const stored = (await row(a.token)).userAgent ?? "";
    expect(stored.length).toBeLessThanOrEqual(300);
    expect([...stored].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    const [view] = await listSessions(t.deps, a.actor, a.token);
    expect(view!.device).toBe("未知设备");
  });
});

describe("WeChat sign-in", () => {
  let wx: FakeWechat;
  let client: WechatClient;
  beforeEach(async () => {
    wx = await startFakeWechat();
    client = createWechatClient({ baseUrl: wx.url, appId: wx.appId, secret: wx.secret });
  });
  afterEach(async () => {
    await wx.close();
  });

  it("exchanges a code for the openid with the app id and secret", async () => {
    await expect(client.code2session(wx.code("o-abc"))).resolves.toEqual({ openid: "o-abc" });
    expect(wx.requests.at(-1)?.get("grant_type")).toBe("authorization_code");
  });

  it("refuses a used or unknown code, and says WeChat is unavailable when it is busy or down", async () => {
    const code = wx.code("o-abc");
    await client.code2session(code);
    expect(await expectAppError(client.code2session(code))).toMatchObject({ code: "unauthorized", reason: "wechat_code_invalid" });
    expect((await expectAppError(client.code2session("bad code!"))).reason).toBe("wechat_code_invalid");
    wx.busy();
    expect((await expectAppError(client.code2session(wx.code("o-abc")))).code).toBe("upstream_unavailable");
    const wrongSecret = createWechatClient({ baseUrl: wx.url, appId: wx.appId, secret: "nope" });
    expect((await expectAppError(wrongSecret.code2session(wx.code("o-abc")))).code).toBe("unauthorized");
    const down = createWechatClient({ baseUrl: "http://127.0.0.1:9", appId: wx.appId, secret: wx.secret, timeoutMs: 500 });
    const e = await expectAppError(down.code2session("abc"));
    expect(e.code).toBe("upstream_unavailable");
    expect(`${e.message} ${e.reason}`).not.toContain(wx.secret);
  });

  it("signs a bound user in by openid, and refuses an unbound one with 404", async () => {
    const a = await makeUser(t.deps, { roles: ["reporter"] });
    expect((await expectAppError(loginWithWechat(t.deps, client, wx.code("o-new")))).reason).toBe("wechat_not_bound");
    const openid = await resolveWechatOpenid(t.deps, client, wx.code("o-wang"));
    await bindWechat(t.deps, a.actor, openid);
    const session = await loginWithWechat(t.deps, client, wx.code("o-wang"), { userAgent: IPHONE_WECHAT });
    expect(session.user.id).toBe(a.actor.userId);
    expect((await authenticate(t.deps, session.token))?.userId).toBe(a.actor.userId);
    expect((await row(session.token)).channel).toBe("wechat");
  });

  it("binds one WeChat account to one person", async () => {
    const a = await makeUser(t.deps, { roles: ["reporter"] });
    const b = await makeUser(t.deps, { roles: ["reporter"] });
    await bindWechat(t.deps, a.actor, "o-shared");
    await bindWechat(t.deps, a.actor, "o-shared");
    expect((await expectAppError(bindWechat(t.deps, b.actor, "o-shared"))).reason).toBe("wechat_taken");
    expect((await expectAppError(resolveWechatOpenid(t.deps, client, wx.code("o-shared")))).reason).toBe("wechat_taken");
    await bindWechat(t.deps, a.actor, "o-newphone");
    expect(await t.db.prisma.identity.count({ where: { provider: "wechat", userId: a.actor.userId } })).toBe(1);
  });
});
