import { autoRetry } from "@grammyjs/auto-retry";
import { createReminderScheduler, tipContextFromEnv, type Deps } from "@xieshui/core/server";
import type { BotEnv } from "./env.ts";
import { createBot, syncCommandMenu, type XieshuiBot } from "./bot.ts";
import { createOutboxWorker, createTelegramPacer } from "./outbox-worker.ts";
import { startReceiving } from "./runtime.ts";
import { describeError } from "./errors.ts";

/** A started bot: receiving updates and draining the outbox. */
export interface BotService {
  bot: XieshuiBot;
  /** Stops receiving and the outbox worker; the caller closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts the bot over ready deps (migrated database): auto-retry on 429/5xx, long polling or
 * webhook per the environment (the webhook server checks TELEGRAM_WEBHOOK_SECRET), the command menu
 * (best effort), the outbox worker and the feed reminders. Used by apps/bot/src/main.ts, which the
 * root `npm start` runs as its own child process next to the API.
 */
export async function startBotService(
  env: Pick<BotEnv, "TELEGRAM_BOT_TOKEN" | "TELEGRAM_API_ROOT" | "TELEGRAM_WEBHOOK_URL" | "TELEGRAM_WEBHOOK_SECRET" | "BOT_HOST" | "BOT_PORT" | "OUTBOX_INTERVAL_MS" | "CHECK_RATE_LIMIT_PER_HOUR"> &
    Partial<Pick<BotEnv, "XIESHUI_DEMO" | "TIP_KEY_FILE" | "TIP_ACKNOWLEDGE_DAYS" | "TIP_CONCLUDE_DAYS" | "TIP_RETENTION_DAYS">>,
  deps: Deps,
): Promise<BotService> {
  const logger = deps.logger;
  const bot = createBot({
    token: env.TELEGRAM_BOT_TOKEN,
    deps,
    tips: tipContextFromEnv(deps, env, (env.XIESHUI_DEMO ?? "1") === "1"),
    config: {
      ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}),
      checkRateLimitPerHour: env.CHECK_RATE_LIMIT_PER_HOUR,
    },
  });
  // The pacer sees every raw 429 (installed first, so inside auto-retry) and holds the outbox's sends
  // for retry_after while auto-retry waits and repeats the refused call.
  const pacer = createTelegramPacer();
  bot.api.config.use(pacer.observe);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
  const receiving = await startReceiving(
    bot,
    env.TELEGRAM_WEBHOOK_URL && env.TELEGRAM_WEBHOOK_SECRET
      ? { mode: "webhook", url: env.TELEGRAM_WEBHOOK_URL, secretToken: env.TELEGRAM_WEBHOOK_SECRET, host: env.BOT_HOST, port: env.BOT_PORT }
      : { mode: "polling" },
    logger,
  );
  void syncCommandMenu(bot, deps);
  const outbox = createOutboxWorker({ bot, deps, intervalMs: env.OUTBOX_INTERVAL_MS, pacer });
  outbox.start();
  // Periodic-feed reminders (3 days before and on the due day) go through the outbox this worker drains.
  const reminders = createReminderScheduler(deps);
  reminders.start();
  return {
    bot,
    async stop() {
      await receiving.stop().catch((error: unknown) => logger.error({ error: describeError(error) }, "bot: stopping updates failed"));
      reminders.stop();
      await outbox.stop();
    },
  };
}
