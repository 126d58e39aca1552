import { createServer, type Server } from "node:http";
import { webhookCallback } from "grammy";
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Logger } from "@xieshui/core/server";
import type { XieshuiBot } from "./bot.ts";
import { describeError } from "./errors.ts";

/**
 * An HTTP server that feeds Telegram's webhook POSTs at `path` to the bot (checking the secret
 * token header; main.ts always sets one, only the emulator test goes without) and answers GET /healthz. Webhook mode scales out: no instance polls.
 */
export function createWebhookServer(opts: { bot: XieshuiBot; path: string; secretToken?: string; logger: Logger }): Server {
  const handle = webhookCallback(opts.bot, "http", { ...(opts.secretToken ? { secretToken: opts.secretToken } : {}), onTimeout: "return" });
  return createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (req.method !== "POST" || url !== opts.path) {
      res.writeHead(404).end();
      return;
    }
    handle(req, res).catch((error: unknown) => {
      opts.logger.error({ error: describeError(error) }, "webhook update failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}

/** How the bot receives updates. */
export type UpdateSource =
  | { mode: "polling" }
  | { mode: "webhook"; url: string; secretToken: string; host: string; port: number };

export interface RunningBot {
  stop(): Promise<void>;
}

/** Starts receiving updates: long polling through @grammyjs/runner, or a webhook server plus setWebhook. */
export async function startReceiving(bot: XieshuiBot, source: UpdateSource, logger: Logger): Promise<RunningBot> {
  await bot.init();
  if (source.mode === "polling") {
    await bot.api.deleteWebhook().catch((error: unknown) => logger.warn({ error: describeError(error) }, "deleteWebhook failed"));
    const runner: RunnerHandle = run(bot);
    logger.info({ bot: bot.botInfo.username }, "bot polling for updates");
    return {
      async stop() {
        if (runner.isRunning()) await runner.stop();
      },
    };
  }
  const path = new URL(source.url).pathname || "/";
  const server = createWebhookServer({ bot, path, secretToken: source.secretToken, logger });
  await new Promise<void>((resolve) => server.listen(source.port, source.host, resolve));
  await bot.api.setWebhook(source.url, { secret_token: source.secretToken });
  logger.info({ bot: bot.botInfo.username, port: source.port }, "bot receiving updates by webhook");
  return {
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
