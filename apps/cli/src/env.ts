import { z } from "zod";

/** CLI configuration, parsed once from the environment. */
export const CliEnvSchema = z.object({
  DATABASE_URL: z.string().min(1).default("file:./data/xieshui.db"),
  /** 1 (default): an empty database gets the demo district, as with `npm start`. */
  XIESHUI_DEMO: z.enum(["0", "1"]).default("1"),
});
export type CliEnv = z.infer<typeof CliEnvSchema>;

export function loadEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  return CliEnvSchema.parse(env);
}
