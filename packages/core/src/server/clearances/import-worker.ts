import { parentPort, workerData } from "node:worker_threads";
import { isAppError } from "../errors.ts";
import { flattenRows, parseClearanceFile, type ParseOptions } from "./import-parse.ts";

/**
 * The import's reading half in a worker thread: pulls file bytes from the main thread, parses and
 * validates, and posts ParseEvents back. At most two batches wait unacknowledged, so neither side
 * buffers the file. Messages: in `chunk`/`eof`/`ack`; out `pull`/`event`/`error`.
 */
const port = parentPort!;
const { fileName, opts } = workerData as { fileName: string; opts: ParseOptions };

type Incoming = { t: "chunk"; buf: Uint8Array } | { t: "eof" } | { t: "ack" };
// Up to 16 chunks (1 MB) are requested ahead, so reading goes on while the main thread is busy
// writing a batch (it answers pulls only between batches).
const AHEAD = 16;
const chunks: Incoming[] = [];
let outstanding = 0;
let ended = false;
let chunkWaiter: (() => void) | null = null;
let ackWaiter: (() => void) | null = null;
let unacked = 0;
port.on("message", (msg: Incoming) => {
  if (msg.t === "ack") {
    unacked--;
    ackWaiter?.();
    ackWaiter = null;
    return;
  }
  outstanding--;
  chunks.push(msg);
  chunkWaiter?.();
  chunkWaiter = null;
});

function requestAhead(): void {
  while (!ended && outstanding + chunks.length < AHEAD) {
    outstanding++;
    port.postMessage({ t: "pull" });
  }
}

async function* bytes(): AsyncGenerator<Buffer> {
  for (;;) {
    requestAhead();
    while (chunks.length === 0) await new Promise<void>((resolve) => (chunkWaiter = resolve));
    const msg = chunks.shift()!;
    if (msg.t !== "chunk") {
      ended = true;
      return;
    }
    yield Buffer.from(msg.buf.buffer, msg.buf.byteOffset, msg.buf.byteLength);
  }
}

try {
  for await (const event of parseClearanceFile(bytes(), fileName, opts)) {
    while (unacked >= 2) await new Promise<void>((resolve) => (ackWaiter = resolve));
    if (event.t === "batch") {
      unacked++;
      port.postMessage({ t: "event", event: { ...event, rows: [] }, flat: flattenRows(event.rows) });
    } else if (event.t === "end" && event.broke) {
      port.postMessage({ t: "event", event: { ...event, broke: { ...event.broke, rows: [] } }, flat: flattenRows(event.broke.rows) });
    } else {
      port.postMessage({ t: "event", event });
    }
  }
} catch (e) {
  port.postMessage(
    isAppError(e)
      ? { t: "error", app: { code: e.code, messageKey: e.messageKey, params: e.params, reason: e.reason, fields: e.fields } }
      : { t: "error", message: (e as Error).message ?? String(e) },
  );
}
// Let the thread end by itself once its last callbacks have run (exceljs deletes the worksheet's
// temporary copy asynchronously, after the last row): the main thread waits for that exit rather
// than cutting the thread off, which left the copy behind.
port.unref();
