// The sender of bench/quiz-push.ts, as its own process (so it can be killed with SIGKILL): the
// production wiring of apps/bot/src/service.ts (pacer observing 429s inside auto-retry, the outbox
// worker with its claims and lease) against the fake Bot API. `tsx bench/quiz-push-sender.ts <db url> <api root>`
import { autoRetry } from "@grammyjs/auto-retry";
import { createDb, createDeps } from "@xieshui/core/server";
import { createBot } from "../apps/bot/src/bot.ts";
import { createOutboxWorker, createTelegramPacer } from "../apps/bot/src/outbox-worker.ts";
import { TEST_BOT_INFO } from "../test/factories/telegram.ts";

const [url, apiRoot] = process.argv.slice(2);
const db = createDb(url!);
const deps = createDeps(db);
const bot = createBot({ token: "42:BENCH", deps, config: { apiRoot: apiRoot!, botInfo: TEST_BOT_INFO } });
const pacer = createTelegramPacer();
bot.api.config.use(pacer.observe);
bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 }));
const worker = createOutboxWorker({ bot, deps, intervalMs: 200, pacer });
worker.start();
console.log("sender ready");
process.on("SIGTERM", () => {
  const cpu = process.cpuUsage();
  console.log(`sender cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms`);
  void worker.stop().then(() => db.close()).then(() => process.exit(0));
});
