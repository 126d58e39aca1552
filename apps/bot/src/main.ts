// Composition root of the bot: configuration, database, bot service; graceful shutdown.
import { createDb, createDeps, createLogger, DatabaseUnavailableError, MigrationError, prepareDatabase, waitForDatabase } from "@xieshui/core/server";
import { loadEnv } from "./env.ts";
import { startBotService } from "./service.ts";
import { describeError } from "./errors.ts";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, name: "bot", format: env.LOG_FORMAT });
const db = createDb(env.DATABASE_URL);
const deps = createDeps(db, { logger });
// A PostgreSQL that is not up yet: one plain line per retry, then a normal start or one line and exit 1.
try {
  await waitForDatabase(db, { onRetry: (message) => console.error(`bot: ${message}`) });
  await prepareDatabase(deps, { demo: env.XIESHUI_DEMO === "1" });
} catch (err) {
  if (!(err instanceof DatabaseUnavailableError || err instanceof MigrationError)) throw err;
  console.error(`bot: ${err.message}`);
  await db.close().catch(() => {});
  process.exit(1);
}
const service = await startBotService(env, deps);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "bot stopping");
  try {
    await service.stop();
  } finally {
    await db.close();
    process.exit(0);
  }
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.on("unhandledRejection", (error) => logger.error({ error: describeError(error) }, "unhandled rejection"));
