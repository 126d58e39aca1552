import { resolve } from "node:path";
import { z } from "zod";
import { DatabaseUrlEnvSchema, TIP_ENV_FIELDS } from "@xieshui/core/server";

/** The repository root, found from this file so `npm start` works from any working directory. */
export const REPO_ROOT = resolve(import.meta.dirname, "../../..");

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);

/** API configuration, parsed once from the environment by main.ts. */
export const ApiEnvSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default("127.0.0.1")),
  DATABASE_URL: DatabaseUrlEnvSchema,
  TELEGRAM_BOT_TOKEN: z.preprocess(emptyToUndefined, z.string().trim().min(1).optional()),
  /** The Taro H5 build; relative paths are taken from the working directory, the default from the repo root. */
  H5_DIR: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((dir) => (dir ? resolve(dir) : resolve(REPO_ROOT, "apps/miniapp/dist/h5"))),
  ),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  /** auto: readable lines on a terminal, JSON otherwise; json / pretty force one. */
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(["auto", "json", "pretty"]).default("auto")),
  /** Clearance checks per user per hour; 0 turns the limit off (DESIGN.md contract). */
  CHECK_RATE_LIMIT_PER_HOUR: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(120)),
  /**
   * Which proxies' X-Forwarded-For to believe, so per-IP limits see clients: unset/false (default:
   * none; the socket's address is the client), true (every hop: only behind a proxy that sets the
   * header itself), a hop count (1 = the nearest proxy), or addresses/CIDRs of the proxies,
   * comma-separated ("127.0.0.1,10.0.0.0/8").
   */
  TRUST_PROXY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .optional()
      .transform((v): boolean | number | string[] => {
        if (v === undefined || v === "false" || v === "0") return false;
        if (v === "true") return true;
        if (/^\d+$/.test(v)) return Number(v);
        return v.split(",").map((s) => s.trim()).filter(Boolean);
      }),
  ),
  /** Largest clearance import upload, in MB (default 200). */
  CLEARANCE_IMPORT_MAX_MB: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10_240).default(200)),
  /** 1 (default): an empty database gets the demo district. */
  XIESHUI_DEMO: z.preprocess(emptyToUndefined, z.enum(["0", "1"]).default("1")),
  /** Tip key file and deadlines (core's TIP_ENV_FIELDS). */
  ...TIP_ENV_FIELDS,
  /** WeChat mini-program sign-in (wx.login → code2session): the app id and secret, both or neither. */
  WECHAT_APP_ID: z.preprocess(emptyToUndefined, z.string().trim().regex(/^wx[0-9a-f]{16}$/, "a mini-program app id: wx + 16 hex digits").optional()),
  WECHAT_APP_SECRET: z.preprocess(emptyToUndefined, z.string().trim().regex(/^[0-9A-Za-z]{16,64}$/, "the mini-program's AppSecret: 16-64 letters and digits").optional()),
  /** WeChat's API base URL (a local fake in tests and offline demos). */
  WECHAT_API_BASE: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).default("https://api.weixin.qq.com")),
}).superRefine((env, ctx) => {
  if (Boolean(env.WECHAT_APP_ID) !== Boolean(env.WECHAT_APP_SECRET)) {
    ctx.addIssue({ code: "custom", path: [env.WECHAT_APP_ID ? "WECHAT_APP_SECRET" : "WECHAT_APP_ID"], message: "WeChat sign-in needs both WECHAT_APP_ID and WECHAT_APP_SECRET" });
  }
});
export type ApiEnv = z.infer<typeof ApiEnvSchema>;

/** Parses the environment; throws one readable error listing every bad variable. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const result = ApiEnvSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`Invalid environment:\n${lines.join("\n")}`);
}
