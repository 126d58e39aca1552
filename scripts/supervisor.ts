// Keeps the child processes of `npm start` (API, bot) running: a child that dies is started again
// after a pause that doubles from 1 s up to 30 s while it keeps dying, and is forgiven after a
// minute of health. Every stop and restart is said on the terminal in Chinese and English.
import type { ChildProcess } from "node:child_process";

/** The restart pauses: 1 s, 2 s, 4 s … capped at 30 s; back to 1 s after a minute of health. */
export const RESTART_POLICY = { baseMs: 1_000, maxMs: 30_000, healthyAfterMs: 60_000 } as const;

/** The pause before restart number `failures` (0-based count of deaths since the child was last healthy). */
export function restartDelayMs(failures: number, policy: { baseMs: number; maxMs: number } = RESTART_POLICY): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures, 30));
}

export interface SupervisedChild {
  /** "API" or "bot": how the terminal names it */
  name: string;
  /** Starts the process. */
  spawn(): ChildProcess;
  /** Resolves once the new process serves (the API's /healthz); rejects if it does not. */
  ready?(child: ChildProcess): Promise<void>;
  /** After a restart, once it is ready (the URL to open again). */
  onBack?(): void;
}

export interface Supervisor {
  /** Starts every child; resolves when each is ready (a child that dies before that rejects). */
  start(): Promise<void>;
  /** Stops every child with `signal` (SIGKILL after `graceMs`) and cancels pending restarts. */
  stop(signal: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** The live process of each child (tests and diagnostics). */
  pids(): Record<string, number | undefined>;
}

/** Builds a supervisor over the children; `say`/`warn` print for a person (the terminal). */
export function createSupervisor(
  children: SupervisedChild[],
  io: { say(text: string): void; warn(text: string): void } = { say: (s) => console.log(s), warn: (s) => console.error(s) },
  policy = RESTART_POLICY,
): Supervisor {
  let stopping = false;
  const state = children.map((spec) => ({ spec, proc: null as ChildProcess | null, failures: 0, healthyTimer: null as NodeJS.Timeout | null, restartTimer: null as NodeJS.Timeout | null }));

  function clearTimers(s: (typeof state)[number]): void {
    if (s.healthyTimer) clearTimeout(s.healthyTimer);
    if (s.restartTimer) clearTimeout(s.restartTimer);
    s.healthyTimer = s.restartTimer = null;
  }

  function launch(s: (typeof state)[number], restart: boolean): Promise<void> {
    const proc = s.spec.spawn();
    s.proc = proc;
    proc.on("exit", (code, signal) => {
      if (s.proc === proc) s.proc = null;
      clearTimers(s);
      if (stopping) return;
      const delay = restartDelayMs(s.failures, policy);
      s.failures++;
      const how = signal ? `信号 ${signal}` : `退出码 ${code ?? "-"}`;
      const howEn = signal ? `signal ${signal}` : `exit code ${code ?? "-"}`;
      const seconds = delay / 1000;
      io.warn(`⚠ ${s.spec.name} 意外停止（${how}），${seconds} 秒后重启 / the ${s.spec.name} stopped (${howEn}); restarting in ${seconds} s`);
      s.restartTimer = setTimeout(() => {
        s.restartTimer = null;
        if (!stopping) void launch(s, true).catch(() => undefined);
      }, delay);
    });
    const ready = s.spec.ready ? s.spec.ready(proc) : Promise.resolve();
    return ready.then(
      () => {
        if (s.proc !== proc || stopping) return;
        // A minute of health forgives earlier deaths: the next one waits 1 s again.
        s.healthyTimer = setTimeout(() => {
          s.failures = 0;
        }, policy.healthyAfterMs);
        s.healthyTimer.unref();
        if (restart) {
          io.say(`✓ ${s.spec.name} 已重新启动 / the ${s.spec.name} is running again`);
          s.spec.onBack?.();
        }
      },
      (error: unknown) => {
        // A restart that does not come up: kill it, and the exit handler schedules the next try.
        if (restart && s.proc === proc) proc.kill("SIGKILL");
        throw error;
      },
    );
  }

  return {
    async start() {
      for (const s of state) await launch(s, false);
    },
    async stop(signal, graceMs = 5_000) {
      stopping = true;
      const running = state.filter((s) => {
        clearTimers(s);
        return s.proc !== null && s.proc.exitCode === null && s.proc.signalCode === null;
      });
      await Promise.all(
        running.map(
          (s) =>
            new Promise<void>((resolve) => {
              const proc = s.proc!;
              const force = setTimeout(() => proc.kill("SIGKILL"), graceMs);
              proc.once("exit", () => {
                clearTimeout(force);
                resolve();
              });
              proc.kill(signal);
            }),
        ),
      );
    },
    pids() {
      return Object.fromEntries(state.map((s) => [s.spec.name, s.proc?.pid]));
    },
  };
}
