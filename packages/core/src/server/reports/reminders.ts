import type { Deps } from "../deps.ts";
import { runOncePerPeriod } from "../jobs.ts";
import { scheduleTaskReminders } from "../meetings/meetings.ts";
import { scheduleReminders } from "./feeds.ts";
import { escalateOverdueDuties } from "../escalation/escalate.ts";

/** The JobLease of the reminder pass (feeds, meeting tasks, escalation of overdue duties): one pass per window across every bot process. */
export const FEED_REMINDERS_JOB = "feed-reminders";

/** A periodic runner of `scheduleReminders`, `scheduleTaskReminders` and `escalateOverdueDuties` (one pass), started by a process's composition root (the bot's main). */
export interface ReminderScheduler {
  /** Runs once now, then every `everyMs`. Safe in several processes: one pass per window runs (runOncePerPeriod), and reminders are deduplicated in the database. */
  start(): void;
  stop(): void;
  /** One pass (what the timer calls): feed reminders, then the overdue-duty escalation; resolves to the number of messages queued (0 when another process had this window). */
  runOnce(): Promise<number>;
}

/**
 * Creates the reminder timer without starting it (no side effects at construction). Reminders are
 * queued in the outbox with a dedupe key, so a restart or a second process never sends one twice,
 * and one missed tick is caught up by the next.
 */
export function createReminderScheduler(deps: Deps, opts: { everyMs?: number } = {}): ReminderScheduler {
  const everyMs = opts.everyMs ?? 15 * 60_000;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const runOnce = async () => {
    if (running) return 0;
    running = true;
    try {
      const turn = await runOncePerPeriod(deps, FEED_REMINDERS_JOB, { everyMs }, async () => (await scheduleReminders(deps)) + (await scheduleTaskReminders(deps)) + (await escalateOverdueDuties(deps)).messages);
      const queued = turn.ran ? turn.result : 0;
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
      timer = setInterval(() => void runOnce(), everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    runOnce,
  };
}
