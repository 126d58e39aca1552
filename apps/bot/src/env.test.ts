import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnv } from "./env.ts";

describe("bot env", () => {
  it("needs only the token and defaults the rest (long polling, data/ database)", () => {
    const env = loadEnv({ TELEGRAM_BOT_TOKEN: "123456:ABC-def_1" });
    expect(env.DATABASE_URL).toBe(`file:${resolve(import.meta.dirname, "../../../data/xieshui.db")}`);
    expect(env.TELEGRAM_WEBHOOK_URL).toBeUndefined();
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("rejects a missing or malformed token and a webhook without a secret", () => {
    expect(() => loadEnv({})).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => loadEnv({ TELEGRAM_BOT_TOKEN: "not a token" })).toThrow(/TELEGRAM_BOT_TOKEN/);
    expect(() => loadEnv({ TELEGRAM_BOT_TOKEN: "1:a", TELEGRAM_WEBHOOK_URL: "https://bot.example.org/tg" })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadEnv({ TELEGRAM_BOT_TOKEN: "1:a", TELEGRAM_API_ROOT: "localhost" })).toThrow(/TELEGRAM_API_ROOT/);
    expect(() => loadEnv({ TELEGRAM_BOT_TOKEN: "1:a", BOT_PORT: "99999" })).toThrow(/BOT_PORT/);
  });

  it("accepts webhook mode with a secret and a port", () => {
    const env = loadEnv({ TELEGRAM_BOT_TOKEN: "1:a", TELEGRAM_WEBHOOK_URL: "https://bot.example.org/tg", TELEGRAM_WEBHOOK_SECRET: "s3cret_X", BOT_PORT: "8443" });
    expect(env.BOT_PORT).toBe(8443);
  });
});
