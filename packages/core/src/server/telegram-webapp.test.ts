import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { createTestDb, createFixedClock, type TestDb } from "../../../../test/factories/db.ts";
import { makeTelegramUser } from "../../../../test/factories/identity.ts";
import { loginWithTelegramWebApp, signWebAppInitData, validateWebAppInitData } from "./telegram-webapp.ts";
import { authenticate } from "./identity/index.ts";
import { isAppError } from "./errors.ts";

const BOT_TOKEN = "123456:TEST-token-for-webapp";
const NOW = new Date("2026-11-26T02:00:00Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);

function initData(overrides: Record<string, string> = {}, token = BOT_TOKEN): string {
  return signWebAppInitData(
    { query_id: "AAE1", user: JSON.stringify({ id: 777001, first_name: "小王", language_code: "zh-hans" }), auth_date: String(nowSeconds - 60), ...overrides },
    token,
  );
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e.reason;
    throw e;
  }
  return undefined;
}

describe("validateWebAppInitData", () => {
  it("accepts init data signed with the bot token and returns the Telegram user", () => {
    const data = validateWebAppInitData(initData(), BOT_TOKEN, NOW);
    expect(data.user.id).toBe(777001);
    expect(data.user.first_name).toBe("小王");
    expect(data.authDate.getTime()).toBe((nowSeconds - 60) * 1000);
  });

  it("matches Telegram's documented algorithm computed independently", () => {
    const fields = { auth_date: String(nowSeconds), user: JSON.stringify({ id: 5 }), query_id: "Q" };
    const checkString = `auth_date=${fields.auth_date}\nquery_id=Q\nuser=${fields.user}`;
    const secret = createHmac("sha256", "WebAppData").update(BOT_TOKEN).digest();
    const hash = createHmac("sha256", secret).update(checkString).digest("hex");
    const raw = new URLSearchParams({ ...fields, hash }).toString();
    expect(validateWebAppInitData(raw, BOT_TOKEN, NOW).user.id).toBe(5);
  });

  it("rejects data signed with another bot's token", () => {
    expect(reasonOf(() => validateWebAppInitData(initData({}, "999:other"), BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
  });

  it("rejects data whose user was changed after signing", () => {
    const tampered = initData().replace("777001", "777002");
    expect(reasonOf(() => validateWebAppInitData(tampered, BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
  });

  it("rejects data without a hash, with a malformed hash, or with duplicated fields", () => {
    const params = new URLSearchParams(initData());
    params.delete("hash");
    expect(reasonOf(() => validateWebAppInitData(params.toString(), BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
    expect(reasonOf(() => validateWebAppInitData(`${params.toString()}&hash=zz`, BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
    expect(reasonOf(() => validateWebAppInitData(`${initData()}&auth_date=1`, BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
    expect(reasonOf(() => validateWebAppInitData("", BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
  });

  it("rejects data older than the allowed age as expired", () => {
    const old = initData({ auth_date: String(nowSeconds - 86_401) });
    expect(reasonOf(() => validateWebAppInitData(old, BOT_TOKEN, NOW))).toBe("telegram_init_data_expired");
    expect(validateWebAppInitData(old, BOT_TOKEN, NOW, 100_000).user.id).toBe(777001);
  });

  it("rejects data dated in the future beyond clock skew", () => {
    expect(reasonOf(() => validateWebAppInitData(initData({ auth_date: String(nowSeconds + 3600) }), BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
  });

  it("rejects signed data without a usable user", () => {
    expect(reasonOf(() => validateWebAppInitData(initData({ user: "not json" }), BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
    expect(reasonOf(() => validateWebAppInitData(initData({ user: JSON.stringify({ id: "x" }) }), BOT_TOKEN, NOW))).toBe("telegram_init_data_invalid");
  });

  it("refuses everything when no bot token is configured", () => {
    expect(reasonOf(() => validateWebAppInitData(initData({}, ""), "", NOW))).toBe("telegram_init_data_invalid");
  });
});

describe("loginWithTelegramWebApp", () => {
  const clock = createFixedClock(NOW);
  let t: TestDb;
  beforeEach(() => {
    clock.set(NOW);
    t = createTestDb({ clock });
  });
  afterEach(async () => {
    await t.close();
  });

  it("issues a working session for a Telegram account bound to a user", async () => {
    const actor = await makeTelegramUser(t.deps, { roles: ["reporter"], telegramId: 777001 });
    const { token, user } = await loginWithTelegramWebApp(t.deps, initData(), BOT_TOKEN);
    expect(user.id).toBe(actor.userId);
    expect((await authenticate(t.deps, token))?.userId).toBe(actor.userId);
    const session = await t.db.prisma.session.findFirstOrThrow({ where: { userId: actor.userId, channel: "telegram_webapp" } });
    expect(session.tokenHash).not.toBe(token);
  });

  it("refuses an account that never redeemed an invite, and creates no user or session", async () => {
    await expect(loginWithTelegramWebApp(t.deps, initData(), BOT_TOKEN)).rejects.toMatchObject({ code: "not_found", reason: "telegram_account_unknown" });
    expect(await t.db.prisma.user.count()).toBe(0);
    expect(await t.db.prisma.session.count()).toBe(0);
  });
});
