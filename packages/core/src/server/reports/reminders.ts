import type { Deps } from "../deps.ts";
import { scheduleReminders } from "./feeds.ts";

/** A periodic runner of `scheduleReminders`, started by a process's composition root (the bot's main). */
export interface ReminderScheduler {
  /** Runs once now, then every `everyMs`. Safe to call in several processes: reminders are deduplicated in the database. */
  start(): void;
  stop(): void;
  /** One pass (what the timer calls); resolves to the number of reminders queued. */
  runOnce(): Promise<number>;
}

/**
 * Creates the reminder timer without starting it (no side effects at construction). Reminders are
 * queued in the outbox with a dedupe key, so a restart or a second process never sends one twice,
 * and one missed tick is caught up by the next.
 */
export function createReminderScheduler(deps: Deps, opts: { everyMs?: number } = {}): ReminderScheduler {
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const runOnce = async () => {
    if (running) return 0;
    running = true;
    try {
      const queued = await scheduleReminders(deps);
      if (queued > 0) deps.logger.info({ queued }, "feed reminders queued");
      return queued;
    } catch (err) {
      deps.logger.error({ err }, "feed reminders failed");
      return 0;
    } finally {
      running = false;
    }
  };
  return {
    start() {
      if (timer) return;
      void runOnce();
      timer = setInterval(() => void runOnce(), opts.everyMs ?? 15 * 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    runOnce,
  };
}
