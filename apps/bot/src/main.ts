// Composition root of the bot: configuration, database, bot, update source, outbox; graceful shutdown.
import { autoRetry } from "@grammyjs/auto-retry";
import { createDb, createDeps, createLogger, prepareDatabase } from "@xieshui/core/server";
import { loadEnv } from "./env.ts";
import { createBot, syncCommandMenu } from "./bot.ts";
import { createOutboxWorker } from "./outbox-worker.ts";
import { startReceiving } from "./runtime.ts";
import { describeError } from "./errors.ts";

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL, name: "bot" });
const db = createDb(env.DATABASE_URL);
const deps = createDeps(db, { logger });
await prepareDatabase(deps, { demo: env.XIESHUI_DEMO === "1" });

const bot = createBot({
  token: env.TELEGRAM_BOT_TOKEN,
  deps,
  config: {
    ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}),
    ...(env.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: env.TELEGRAM_WEBHOOK_SECRET } : {}),
  },
});
bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));

const receiving = await startReceiving(
  bot,
  env.TELEGRAM_WEBHOOK_URL && env.TELEGRAM_WEBHOOK_SECRET
    ? { mode: "webhook", url: env.TELEGRAM_WEBHOOK_URL, secretToken: env.TELEGRAM_WEBHOOK_SECRET, host: env.BOT_HOST, port: env.BOT_PORT }
    : { mode: "polling" },
  logger,
);
void syncCommandMenu(bot, deps);
const outbox = createOutboxWorker({ bot, deps, intervalMs: env.OUTBOX_INTERVAL_MS });
outbox.start();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "bot stopping");
  try {
    await receiving.stop();
    await outbox.stop();
  } catch (error) {
    logger.error({ error: describeError(error) }, "error while stopping");
  } finally {
    await db.close();
    process.exit(0);
  }
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.on("unhandledRejection", (error) => logger.error({ error: describeError(error) }, "unhandled rejection"));
