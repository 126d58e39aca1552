import { GrammyError, InlineKeyboard, type Transformer } from "grammy";
import { LOCALES, DEFAULT_LOCALE, type Locale } from "@xieshui/core";
import {
  claimDueMessages,
  deferMessage,
  markFailed,
  markSent,
  markUndeliverable,
  queuePracticeReminders,
  releaseClaims,
  renderOutboxButtons,
  renderOutboxPayload,
  renewClaim,
  renewClaims,
  type Deps,
  type DueMessage,
} from "@xieshui/core/server";
import type { XieshuiBot } from "./bot.ts";
import { describeError } from "./errors.ts";

/**
 * Telegram's pace for bulk sends: about 30 messages a second overall and one a second per chat (we start 28 a second: arrivals jitter, and Telegram counts arrivals).
 * `take()` hands out send slots spaced 1/perSecond apart (a throttler: callers wait, nobody spins);
 * `pause()` holds every slot after a 429 for its retry_after; `chatBusy()` says a chat was sent to
 * less than perChatMs ago, so the worker puts that message back instead of waiting in line.
 */
export interface TelegramPacer {
  take(): Promise<void>;
  chatBusy(chatId: string): boolean;
  sentTo(chatId: string): void;
  pause(ms: number): void;
  /** A Bot API transformer that pauses the pacer on every 429 it sees (install it before auto-retry). */
  observe: Transformer;
}

export function createTelegramPacer(opts: { perSecond?: number; perChatMs?: number } = {}): TelegramPacer {
  const interval = 1000 / (opts.perSecond ?? 28);
  const perChatMs = opts.perChatMs ?? 1000;
  let nextSlot = 0;
  let pausedUntil = 0;
  const lastByChat = new Map<string, number>();
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const pacer: TelegramPacer = {
    async take() {
      for (;;) {
        const now = Date.now();
        const at = Math.max(now, nextSlot, pausedUntil);
        nextSlot = at + interval;
        if (at > now) await sleep(at - now);
        if (pausedUntil <= Date.now()) return;
      }
    },
    chatBusy(chatId) {
      const last = lastByChat.get(chatId);
      return last !== undefined && Date.now() - last < perChatMs;
    },
    sentTo(chatId) {
      const now = Date.now();
      lastByChat.set(chatId, now);
      if (lastByChat.size > 50_000) for (const [k, v] of lastByChat) if (now - v > perChatMs) lastByChat.delete(k);
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
    observe: async (prev, method, payload, signal) => {
      const res = await prev(method, payload, signal);
      if (!res.ok && res.error_code === 429) pacer.pause((res.parameters?.retry_after ?? 1) * 1000);
      return res;
    },
  };
  return pacer;
}

export interface OutboxWorkerOptions {
  bot: XieshuiBot;
  deps: Deps;
  /** Pause between drains when the outbox is empty (ms). */
  intervalMs?: number;
  /** Messages claimed per drain. */
  batchSize?: number;
  /** How long a claim holds a row (ms), renewed by a heartbeat while sending; a crashed sender's rows come back after it. */
  leaseMs?: number;
  /** Sends in flight at once (they still start at the pacer's rate). */
  concurrency?: number;
  /** Shared with the bot's API transformer in production (service.ts); the worker's own otherwise. */
  pacer?: TelegramPacer;
}

export interface OutboxWorker {
  start(): void;
  /** Stops polling, waits for the drain in progress and gives back the claims it still holds. */
  stop(): Promise<void>;
  /** Claims and delivers one batch of due messages (tests, benchmarks and the polling loop). */
  drain(): Promise<{ sent: number; failed: number }>;
}

function localeOf(value: string | null): Locale {
  return LOCALES.find((l) => l === value) ?? DEFAULT_LOCALE;
}

/** Telegram's "this chat will never take a message": the bot was blocked, the user or chat is gone. */
function isUndeliverable(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  if (error.error_code === 403) return true;
  return error.error_code === 400 && /chat not found|user not found|PEER_ID_INVALID|user is deactivated/i.test(error.description);
}

/**
 * Delivers the outbox (written by the API and other use-cases in the same transaction as their
 * change) through the Bot API, in the recipient's saved language, with the payload's buttons.
 * Each batch is CLAIMED with a lease first (core's claimDueMessages: a conditional UPDATE), so two bot
 * processes never send the same row and a crashed sender's rows are sent after the lease. Sends start
 * at Telegram's pace (TelegramPacer); a 429 pauses everyone for its retry_after and puts the message
 * back without counting an attempt; a blocked or deleted chat (403) is recorded and never retried;
 * other failures back off (core's markFailed).
 */
export function createOutboxWorker({ bot, deps, intervalMs = 5_000, batchSize = 200, leaseMs = 10_000, concurrency = 8, pacer = createTelegramPacer() }: OutboxWorkerOptions): OutboxWorker {
  const log = deps.logger;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  let stopping = false;
  let lastReminders = 0;
  const held = new Set<string>();

  async function deliver(msg: DueMessage, lease: { renewedAt: number }): Promise<"sent" | "failed" | "deferred"> {
    const locale = localeOf(msg.locale);
    const text = renderOutboxPayload(msg.payload, locale);
    if (!text) {
      await markFailed(deps, msg.id, "unrenderable payload", msg.attempts);
      log.error({ outboxId: msg.id }, "outbox message has no known key or text");
      return "failed";
    }
    if (!msg.chatId) {
      await markFailed(deps, msg.id, "recipient has no Telegram chat", msg.attempts);
      return "failed";
    }
    if (pacer.chatBusy(msg.chatId)) {
      await deferMessage(deps, msg.id, 1_000);
      return "deferred";
    }
    // When the heartbeat has not renewed the lease for half of it (a stalled loop), make sure the row is still ours.
    if (Date.now() - lease.renewedAt > leaseMs / 2 && !(await renewClaim(deps, msg, leaseMs))) return "deferred";
    const rows = renderOutboxButtons(msg.payload, locale);
    const keyboard = rows.length ? InlineKeyboard.from(rows.map((row) => row.map((b) => InlineKeyboard.text(b.text, b.data)))) : undefined;
    pacer.sentTo(msg.chatId);
    try {
      await bot.api.sendMessage(msg.chatId, text, keyboard ? { reply_markup: keyboard } : {});
    } catch (error) {
      const info = describeError(error);
      if (error instanceof GrammyError && error.error_code === 429) {
        const wait = (error.parameters.retry_after ?? 1) * 1000;
        pacer.pause(wait);
        await deferMessage(deps, msg.id, wait);
        return "deferred";
      }
      if (isUndeliverable(error)) {
        await markUndeliverable(deps, msg.id, String(info.description ?? info.kind), msg.payload);
        log.info({ outboxId: msg.id, error: info }, "outbox: chat blocked or gone; recorded, not retried");
        return "failed";
      }
      await markFailed(deps, msg.id, String(info.description ?? info.message ?? info.kind), msg.attempts);
      log.warn({ outboxId: msg.id, attempts: msg.attempts + 1, error: info }, "outbox delivery failed; will retry");
      return "failed";
    }
    await markSent(deps, msg.id, msg.payload);
    return "sent";
  }

  async function drain(): Promise<{ sent: number; failed: number; deferred: number }> {
    const counts = { sent: 0, failed: 0, deferred: 0 };
    const batch = await claimDueMessages(deps, { limit: batchSize, leaseMs });
    if (batch.length === 0) return counts;
    const lease = { renewedAt: Date.now() };
    const tokens = [...new Set(batch.flatMap((m) => (m.claimToken ? [m.claimToken] : [])))];
    for (const tk of tokens) held.add(tk);
    const inflight = new Set<Promise<void>>();
    // Heartbeat: while this batch is being sent (a 429 can hold it for retry_after), the lease stays ahead.
    const heartbeat = setInterval(() => {
      const at = Date.now();
      void renewClaims(deps, tokens, leaseMs).then(
        () => (lease.renewedAt = at),
        () => 0,
      );
    }, Math.max(250, Math.floor(leaseMs / 3)));
    try {
      for (const msg of batch) {
        if (stopping) break;
        if (msg.chatId && !pacer.chatBusy(msg.chatId)) await pacer.take();
        const p: Promise<void> = deliver(msg, lease)
          .then((r) => {
            counts[r]++;
          })
          .catch((error: unknown) => {
            counts.failed++;
            log.error({ outboxId: msg.id, error: describeError(error) }, "outbox delivery crashed");
          })
          .finally(() => inflight.delete(p));
        inflight.add(p);
        if (inflight.size >= concurrency) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    } finally {
      clearInterval(heartbeat);
      // Rows of this batch not sent (a stop in the middle) go back now rather than after the lease.
      await releaseClaims(deps, tokens).catch(() => 0);
      for (const tk of tokens) held.delete(tk);
    }
    return counts;
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = (async () => {
        if (Date.now() - lastReminders > 5 * 60_000) {
          lastReminders = Date.now();
          await queuePracticeReminders(deps).catch((error: unknown) => log.error({ error: describeError(error) }, "practice reminders failed"));
        }
        return drain();
      })()
        .then(({ sent, failed, deferred }) => schedule(sent + failed + deferred >= batchSize ? 0 : deferred ? Math.min(250, intervalMs) : intervalMs))
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
      stopping = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
      await releaseClaims(deps, [...held]).catch(() => 0);
    },
    async drain() {
      const { sent, failed, deferred } = await drain();
      return { sent, failed: failed + deferred };
    },
  };
}
