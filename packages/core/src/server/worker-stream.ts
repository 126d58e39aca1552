import type { MessagePort } from "node:worker_threads";
import { Worker } from "node:worker_threads";
import { AppError, isAppError } from "./errors.ts";

/**
 * Runs CPU-heavy reading of an untrusted upload in a worker thread, fed with the upload's bytes on
 * demand (the worker pulls; at most `AHEAD` chunks wait), so a hostile file costs the worker, never
 * the thread that serves requests. The worker has its own heap cap and a deadline: a file that
 * inflates past the caps its reader checks is still stopped, and the caller gets a
 * WorkerLimitError instead of a dead process. The clearance import (clearances/import-worker.ts)
 * uses the same pull protocol with batches flowing back; this helper serves one-result readers.
 *
 * Messages: worker → main `pull` | `result` | `error`; main → worker `chunk` | `eof`.
 */

/** The worker's resource caps. */
export interface WorkerLimits {
  /** V8 old-generation heap of the worker, in MB. */
  heapMb: number;
  /** Wall-clock deadline for the whole read, in ms. */
  timeoutMs: number;
}

/** The worker ran out of its heap or its time: the input is too big or too complex, not a bug. */
export class WorkerLimitError extends Error {
  constructor(
    readonly limit: "memory" | "time",
    readonly limits: WorkerLimits,
  ) {
    super(limit === "memory" ? `worker exceeded its ${limits.heapMb} MB heap` : `worker exceeded ${limits.timeoutMs} ms`);
    this.name = "WorkerLimitError";
  }
}

type FromWorker = { t: "pull" } | { t: "result"; value: unknown } | { t: "error"; app?: SerializedAppError; message?: string };
type ToWorker = { t: "chunk"; buf: Uint8Array } | { t: "eof" };
interface SerializedAppError {
  code: AppError["code"];
  messageKey?: AppError["messageKey"];
  params?: AppError["params"];
  reason?: string;
  fields?: AppError["fields"];
}

function reviveAppError(app: SerializedAppError): AppError {
  return new AppError(app.code, {
    ...(app.messageKey ? { messageKey: app.messageKey } : {}),
    ...(app.params ? { params: app.params } : {}),
    ...(app.reason ? { reason: app.reason } : {}),
    ...(app.fields ? { fields: app.fields } : {}),
  });
}

/**
 * Starts the worker at `entry` with `workerData`, serves it `source` chunk by chunk and resolves
 * with the value it posts. Rejects with the worker's AppError, a WorkerLimitError, or the source's
 * own error (e.g. an upload over its size cap). The worker is always terminated at the end; the
 * source is not drained past what the worker asked for.
 */
export function runStreamWorker<T>(entry: URL, workerData: unknown, source: AsyncIterable<Buffer>, limits: WorkerLimits): Promise<T> {
  const worker = new Worker(entry, {
    workerData,
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.floor(limits.heapMb / 16))) },
  });
  const input = source[Symbol.asyncIterator]();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(new WorkerLimitError("time", limits))), limits.timeoutMs);
    // Pulls are served one after the other: the source is read in order, never concurrently.
    let reading: Promise<void> = Promise.resolve();
    worker.on("message", (msg: FromWorker) => {
      if (msg.t === "pull") {
        reading = reading.then(async () => {
          if (settled) return;
          try {
            const next = await input.next();
            if (!settled) worker.postMessage((next.done ? { t: "eof" } : { t: "chunk", buf: next.value }) satisfies ToWorker);
          } catch (error) {
            finish(() => reject(error));
          }
        });
        return;
      }
      if (msg.t === "result") return finish(() => resolve(msg.value as T));
      finish(() => reject(msg.app ? reviveAppError(msg.app) : new Error(msg.message ?? "worker failed")));
    });
    worker.on("error", (error: Error & { code?: string }) => {
      finish(() => reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new WorkerLimitError("memory", limits) : error));
    });
    worker.on("exit", () => finish(() => reject(new Error("worker stopped without a result"))));
  });
}

/** Worker side: the upload's bytes, pulled from the main thread `ahead` chunks in advance. */
export async function* workerSource(port: MessagePort, ahead = 8): AsyncGenerator<Buffer> {
  const chunks: ToWorker[] = [];
  let outstanding = 0;
  let ended = false;
  let waiter: (() => void) | null = null;
  port.on("message", (msg: ToWorker) => {
    outstanding--;
    chunks.push(msg);
    waiter?.();
    waiter = null;
  });
  for (;;) {
    while (!ended && outstanding + chunks.length < ahead) {
      outstanding++;
      port.postMessage({ t: "pull" } satisfies FromWorker);
    }
    while (chunks.length === 0) await new Promise<void>((resolve) => (waiter = resolve));
    const msg = chunks.shift()!;
    if (msg.t === "eof") {
      ended = true;
      return;
    }
    yield Buffer.from(msg.buf.buffer, msg.buf.byteOffset, msg.buf.byteLength);
  }
}

/** Worker side: posts the one result, or the failure (AppErrors keep their code, key and fields). */
export async function answerFromWorker(port: MessagePort, work: () => Promise<unknown>): Promise<void> {
  try {
    port.postMessage({ t: "result", value: await work() } satisfies FromWorker);
  } catch (e) {
    port.postMessage(
      (isAppError(e)
        ? { t: "error", app: { code: e.code, messageKey: e.messageKey, params: e.params, reason: e.reason, fields: e.fields } }
        : { t: "error", message: (e as Error)?.message ?? String(e) }) as FromWorker,
    );
  }
  // The main thread terminates the worker once it has the answer.
}
