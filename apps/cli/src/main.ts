// Composition root of the admin CLI: open the database, apply migrations, run one command.
import { createDb, createDeps, createLogger, DatabaseUnavailableError, MigrationError, prepareDatabase, waitForDatabase } from "@xieshui/core/server";
import { loadEnv } from "./env.ts";
import { runCli } from "./run.ts";

const env = loadEnv();
const db = createDb(env.DATABASE_URL);
let code = 1;
try {
  const deps = createDeps(db, { logger: createLogger({ level: "warn", name: "cli", fd: 2 }) });
  // A PostgreSQL that is not up yet: one plain line per retry, then the command or one line and exit 1.
  await waitForDatabase(db, { onRetry: (message) => console.error(`cli: ${message}`) });
  // A restore needs an empty target: migrate it, but never seed the demo district into it.
  const restoring = process.argv.slice(2).find((a) => !a.startsWith("-")) === "restore";
  await prepareDatabase(deps, { demo: env.XIESHUI_DEMO === "1" && !restoring });
  code = await runCli(deps, process.argv.slice(2), { out: process.stdout, err: process.stderr }, env);
} catch (err) {
  if (!(err instanceof DatabaseUnavailableError || err instanceof MigrationError)) throw err;
  console.error(`cli: ${err.message}`);
  code = 1;
} finally {
  await db.close();
}
process.exitCode = code;
