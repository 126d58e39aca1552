import { InlineKeyboard } from "grammy";
import { LOCALES, DEFAULT_LOCALE, t, type Locale } from "@xieshui/core";
import { dueMessages, markFailed, markSent, renderOutboxPayload, type Deps, type DueMessage } from "@xieshui/core/server";
import type { XieshuiBot } from "./bot.ts";
import { describeError } from "./errors.ts";

export interface OutboxWorkerOptions {
  bot: XieshuiBot;
  deps: Deps;
  /** Pause between drains when the outbox is empty (ms). */
  intervalMs?: number;
  /** Messages per drain. */
  batchSize?: number;
}

export interface OutboxWorker {
  start(): void;
  /** Stops polling and waits for the drain in progress. */
  stop(): Promise<void>;
  /** Delivers every due message once (tests and shutdown). */
  drain(): Promise<{ sent: number; failed: number }>;
}

function localeOf(value: string | null): Locale {
  return LOCALES.find((l) => l === value) ?? DEFAULT_LOCALE;
}

/**
 * Delivers the outbox (written by the API and other use-cases in the same transaction as their
 * change) through the Bot API. Each message is rendered in the recipient's saved language.
 * Failures (no Telegram account yet, bot blocked, API down) are recorded with core's backoff, so
 * a user who links Telegram later still gets recent messages, and nothing is retried forever.
 */
export function createOutboxWorker({ bot, deps, intervalMs = 5_000, batchSize = 50 }: OutboxWorkerOptions): OutboxWorker {
  const log = deps.logger;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  function render(msg: DueMessage): string | null {
    return renderOutboxPayload(msg.payload, localeOf(msg.locale));
  }

  /** Buttons for the actions a message offers (a returned report: 修改后重新提交). */
  function keyboard(msg: DueMessage): InlineKeyboard | null {
    const actions = msg.payload.actions ?? [];
    if (actions.length === 0) return null;
    const kb = new InlineKeyboard();
    for (const a of actions) {
      if (a.kind === "resubmit" && /^[A-Za-z0-9_-]{1,40}$/.test(a.reportId)) kb.text(t(localeOf(msg.locale), "bot-report-fix-button"), `rpt:fix:${a.reportId}`);
    }
    return kb.inline_keyboard.flat().length ? kb : null;
  }

  async function deliver(msg: DueMessage): Promise<boolean> {
    const text = render(msg);
    if (!text) {
      await markFailed(deps, msg.id, "unrenderable payload", msg.attempts);
      log.error({ outboxId: msg.id }, "outbox message has no known key or text");
      return false;
    }
    if (!msg.chatId) {
      await markFailed(deps, msg.id, "recipient has no Telegram chat", msg.attempts);
      return false;
    }
    try {
      const kb = keyboard(msg);
      await bot.api.sendMessage(msg.chatId, text, kb ? { reply_markup: kb } : {});
    } catch (error) {
      const info = describeError(error);
      await markFailed(deps, msg.id, String(info.description ?? info.message ?? info.kind), msg.attempts);
      log.warn({ outboxId: msg.id, attempts: msg.attempts + 1, error: info }, "outbox delivery failed; will retry");
      return false;
    }
    await markSent(deps, msg.id);
    return true;
  }

  async function drain(): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (const msg of await dueMessages(deps, batchSize)) {
      if (await deliver(msg)) sent++;
      else failed++;
    }
    return { sent, failed };
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = drain()
        .then(({ sent, failed }) => schedule(sent + failed >= batchSize ? 0 : intervalMs))
        .catch((error: unknown) => {
          log.error({ error: describeError(error) }, "outbox drain failed");
          schedule(intervalMs);
        });
    }, delay);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    drain,
  };
}
