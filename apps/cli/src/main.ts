// Composition root of the admin CLI: open the database, apply migrations, run one command.
import { createDb, createDeps, createLogger, prepareDatabase } from "@xieshui/core/server";
import { loadEnv } from "./env.ts";
import { runCli } from "./run.ts";

const env = loadEnv();
const db = createDb(env.DATABASE_URL);
let code = 1;
try {
  const deps = createDeps(db, { logger: createLogger({ level: "warn", name: "cli", fd: 2 }) });
  await prepareDatabase(deps, { demo: env.XIESHUI_DEMO === "1" });
  code = await runCli(deps, process.argv.slice(2), { out: process.stdout, err: process.stderr }, env);
} finally {
  await db.close();
}
process.exitCode = code;
