// Composition root of the API: parse the environment, open and prepare the database, listen.
import { createDb, createDeps, createLogger, createWechatClient, DatabaseUnavailableError, MigrationError, prepareDatabase, purgeTips, sessionRenewals, tipContextFromEnv, waitForDatabase } from "@xieshui/core/server";
import { loadEnv } from "./env.ts";
import { createServer } from "./server.ts";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, name: "api", format: env.LOG_FORMAT });
const db = createDb(env.DATABASE_URL);
const deps = createDeps(db, { logger });
// A PostgreSQL that is not up yet: one plain line per retry (never a stack trace or a password), then
// either a normal start or one line and exit code 1 (DB_WAIT_SECONDS).
try {
  await waitForDatabase(db, { onRetry: (message) => console.error(`API: ${message}`) });
  await prepareDatabase(deps, { demo: env.XIESHUI_DEMO === "1" });
} catch (err) {
  if (!(err instanceof DatabaseUnavailableError || err instanceof MigrationError)) throw err;
  console.error(`API: ${err.message}`);
  await db.close().catch(() => {});
  process.exit(1);
}
let tips;
try {
  tips = tipContextFromEnv(deps, env, env.XIESHUI_DEMO === "1");
} catch (err) {
  logger.error({ err }, "tip key file missing or unusable");
  await db.close();
  process.exit(1);
}

const server = createServer({
  deps,
  config: {
    h5Dir: env.H5_DIR,
    telegramBotToken: env.TELEGRAM_BOT_TOKEN,
    checkRateLimitPerHour: env.CHECK_RATE_LIMIT_PER_HOUR,
    trustProxy: env.TRUST_PROXY,
    clearanceImportMaxBytes: env.CLEARANCE_IMPORT_MAX_MB * 1024 * 1024,
    logger,
    wechat:
      env.WECHAT_APP_ID && env.WECHAT_APP_SECRET
        ? createWechatClient({ baseUrl: env.WECHAT_API_BASE, appId: env.WECHAT_APP_ID, secret: env.WECHAT_APP_SECRET })
        : undefined,
    tips,
  },
});

// Retention: the first process each CST day purges expired tips (a JobLease row decides which).
const purge = () =>
  purgeTips(deps, tips, { daily: true }).then(
    (r) => r.ran && r.purged > 0 && logger.info({ purged: r.purged }, "expired tips purged"),
    (err: unknown) => logger.error({ err }, "tip purge failed"),
  );
const purgeTimer = setInterval(purge, 60 * 60_000);
purgeTimer.unref();
void purge();

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  clearInterval(purgeTimer);
  logger.info({ signal }, "shutting down");
  try {
    await server.close();
    await sessionRenewals(deps);
  } finally {
    await db.close();
  }
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));

try {
  await server.listen({ port: env.PORT, host: env.HOST });
} catch (err) {
  logger.error({ err }, "could not start the API");
  await db.close();
  process.exit(1);
}
const address = server.server.address();
const port = typeof address === "object" && address ? address.port : env.PORT;
const shownHost = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
console.log(`协税通 API listening on http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}  (docs: /docs)`);
