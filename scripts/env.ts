import { z } from "zod";
import { DatabaseUrlEnvSchema } from "@xieshui/core/server";

/** Configuration of `npm start` (the whole product on one machine), parsed once. */
export const StartEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: DatabaseUrlEnvSchema,
  // Empty means unset (a blank line in an env file, or `TELEGRAM_BOT_TOKEN= npm start`).
  TELEGRAM_BOT_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
  XIESHUI_DEMO: z.enum(["0", "1"]).default("1"),
  /** 1 skips the H5 build check (CI, or when serving a build made elsewhere). */
  SKIP_H5_BUILD: z.enum(["0", "1"]).default("0"),
});
export type StartEnv = z.infer<typeof StartEnvSchema>;

export function loadStartEnv(env: NodeJS.ProcessEnv = process.env): StartEnv {
  return StartEnvSchema.parse(env);
}
