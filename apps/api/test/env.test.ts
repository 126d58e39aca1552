import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_URL } from "@xieshui/core/server";
import { loadEnv, REPO_ROOT } from "../src/env.ts";
import { loadEnv as loadBotEnv } from "../../bot/src/env.ts";
import { loadEnv as loadCliEnv } from "../../cli/src/env.ts";
import { loadStartEnv } from "../../../scripts/env.ts";

describe("DATABASE_URL in every process", () => {
  it("reads an empty value as unset (the default SQLite file) in the API, the bot, the CLI and npm start, and keeps a PostgreSQL URL", () => {
    const pgUrl = "postgresql://xieshui:secret@db.example:5432/xieshui";
    const bot = { TELEGRAM_BOT_TOKEN: "1:x" };
    expect([loadEnv({ DATABASE_URL: "" }), loadBotEnv({ ...bot, DATABASE_URL: "" }), loadCliEnv({ DATABASE_URL: "" }), loadStartEnv({ DATABASE_URL: "" })].map((e) => e.DATABASE_URL)).toEqual(Array(4).fill(DEFAULT_DATABASE_URL));
    expect([loadEnv({ DATABASE_URL: pgUrl }), loadBotEnv({ ...bot, DATABASE_URL: pgUrl }), loadCliEnv({ DATABASE_URL: pgUrl }), loadStartEnv({ DATABASE_URL: pgUrl })].map((e) => e.DATABASE_URL)).toEqual(Array(4).fill(pgUrl));
  });
});

describe("loadEnv", () => {
  it("applies the documented defaults to an empty environment", () => {
    expect(loadEnv({})).toEqual({
      PORT: 3000,
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${resolve(REPO_ROOT, "data/xieshui.db")}`,
      TELEGRAM_BOT_TOKEN: undefined,
      H5_DIR: resolve(REPO_ROOT, "apps/miniapp/dist/h5"),
      LOG_LEVEL: "info",
      LOG_FORMAT: "auto",
      CHECK_RATE_LIMIT_PER_HOUR: 120,
      TRUST_PROXY: false,
      CLEARANCE_IMPORT_MAX_MB: 200,
      XIESHUI_DEMO: "1",
      TIP_KEY_FILE: undefined,
      TIP_ACKNOWLEDGE_DAYS: 7,
      TIP_CONCLUDE_DAYS: 60,
      TIP_RETENTION_DAYS: 90,
      WECHAT_APP_ID: undefined,
      WECHAT_APP_SECRET: undefined,
      WECHAT_API_BASE: "https://api.weixin.qq.com",
    });
  });

  it("takes WeChat sign-in settings only as a valid pair", () => {
    const env = loadEnv({ WECHAT_APP_ID: "wx0123456789abcdef", WECHAT_APP_SECRET: "0123456789abcdef0123456789abcdef", WECHAT_API_BASE: "http://127.0.0.1:9999" });
    expect(env).toMatchObject({ WECHAT_APP_ID: "wx0123456789abcdef", WECHAT_API_BASE: "http://127.0.0.1:9999" });
    expect(() => loadEnv({ WECHAT_APP_ID: "wx0123456789abcdef" })).toThrow(/WECHAT_APP_SECRET/);
    expect(() => loadEnv({ WECHAT_APP_SECRET: "0123456789abcdef0123456789abcdef" })).toThrow(/WECHAT_APP_ID/);
    expect(() => loadEnv({ WECHAT_APP_ID: "not-an-app-id", WECHAT_APP_SECRET: "0123456789abcdef0123456789abcdef" })).toThrow(/WECHAT_APP_ID/);
    expect(() => loadEnv({ WECHAT_API_BASE: "ftp://example" })).toThrow(/WECHAT_API_BASE/);
  });

  it("refuses tip deadlines that are not whole days from 1 to 3650", () => {
    expect(() => loadEnv({ TIP_RETENTION_DAYS: "0" })).toThrow(/TIP_RETENTION_DAYS/);
    expect(() => loadEnv({ TIP_ACKNOWLEDGE_DAYS: "abc" })).toThrow(/TIP_ACKNOWLEDGE_DAYS/);
    expect(loadEnv({ TIP_CONCLUDE_DAYS: "30", TIP_KEY_FILE: "/srv/keys.json" })).toMatchObject({ TIP_CONCLUDE_DAYS: 30, TIP_KEY_FILE: "/srv/keys.json" });
  });

  it("treats empty variables as unset", () => {
    const env = loadEnv({ PORT: "", TELEGRAM_BOT_TOKEN: "", CHECK_RATE_LIMIT_PER_HOUR: "" });
    expect(env.PORT).toBe(3000);
    expect(env.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(env.CHECK_RATE_LIMIT_PER_HOUR).toBe(120);
  });

  it("reads explicit values, including a rate limit of 0 meaning off", () => {
    const env = loadEnv({ PORT: "8080", HOST: "0.0.0.0", CHECK_RATE_LIMIT_PER_HOUR: "0", XIESHUI_DEMO: "0", TELEGRAM_BOT_TOKEN: "1:abc", H5_DIR: "/srv/h5" });
    expect(env).toMatchObject({ PORT: 8080, HOST: "0.0.0.0", CHECK_RATE_LIMIT_PER_HOUR: 0, XIESHUI_DEMO: "0", TELEGRAM_BOT_TOKEN: "1:abc", H5_DIR: "/srv/h5" });
  });

  it("names every bad variable in one error", () => {
    expect(() => loadEnv({ PORT: "http", XIESHUI_DEMO: "yes", LOG_LEVEL: "loud" })).toThrow(/PORT[\s\S]*LOG_LEVEL[\s\S]*XIESHUI_DEMO|PORT[\s\S]*XIESHUI_DEMO/);
  });
});
