import { z } from "zod";
import { DatabaseUrlEnvSchema, TIP_ENV_FIELDS } from "@xieshui/core/server";

/** CLI configuration, parsed once from the environment. */
export const CliEnvSchema = z.object({
  DATABASE_URL: DatabaseUrlEnvSchema,
  /** 1 (default): an empty database gets the demo district, as with `npm start`. */
  XIESHUI_DEMO: z.enum(["0", "1"]).default("1"),
  /** Tip key file and deadlines (core's TIP_ENV_FIELDS). */
  ...TIP_ENV_FIELDS,
});
export type CliEnv = z.infer<typeof CliEnvSchema>;

export function loadEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  return CliEnvSchema.parse(env);
}
