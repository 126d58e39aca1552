import { z } from "zod";
import { DatabaseUrlEnvSchema, TIP_ENV_FIELDS } from "@xieshui/core/server";

/** Bot configuration, parsed once from the environment by main.ts. */
export const BotEnvSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, "TELEGRAM_BOT_TOKEN looks like 123456:ABC-..."),
    /** Bot API base URL, e.g. a local emulator (http://127.0.0.1:9001). */
    TELEGRAM_API_ROOT: z.url().optional(),
    /** Public HTTPS URL Telegram posts updates to; without it the bot long-polls. */
    TELEGRAM_WEBHOOK_URL: z.url().optional(),
    TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/).optional(),
    BOT_PORT: z.coerce.number().int().min(1).max(65535).default(8443),
    BOT_HOST: z.string().default("127.0.0.1"),
    DATABASE_URL: DatabaseUrlEnvSchema,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** auto: readable lines on a terminal, JSON otherwise. */
    LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
    XIESHUI_DEMO: z.enum(["0", "1"]).default("1"),
    OUTBOX_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
    /** Clearance checks per user per hour; 0 turns the limit off (DESIGN.md). */
    CHECK_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(0).default(120),
    /** Tip key file and deadlines (core's TIP_ENV_FIELDS). */
    ...TIP_ENV_FIELDS,
  })
  .refine((e) => !e.TELEGRAM_WEBHOOK_URL || e.TELEGRAM_WEBHOOK_SECRET, {
    message: "TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL",
    path: ["TELEGRAM_WEBHOOK_SECRET"],
  });
export type BotEnv = z.infer<typeof BotEnvSchema>;

/** Parses the environment; throws a readable error on bad values. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): BotEnv {
  const parsed = BotEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`bad bot configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  return parsed.data;
}
