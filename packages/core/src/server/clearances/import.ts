import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import { requireRole } from "../identity/index.ts";
import { sqlDate } from "../hot-path.ts";
import { auditWho, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { clearanceStore, CLEARANCE_ROW_STRIDE } from "./fast-store.ts";
import { cellMessage, countBytes, flattenRows, message, parseClearanceFile, SNIFF_BYTES, type FlatRows, type ParseEvent, type ParseOptions, type RejectedRow } from "./import-parse.ts";

export type { RejectedRow } from "./import-parse.ts";

/** A file to import: a path, or a stream with the name it was uploaded under. */
export type ClearanceImportSource = string | { stream: Readable | AsyncIterable<Buffer>; fileName: string };

/** Progress of an import: data rows read so far and bytes consumed. */
export interface ClearanceImportProgress {
  rows: number;
  bytes: number;
}

export interface ImportClearancesOptions {
  /** Validate and count only; nothing is written. */
  dryRun?: boolean;
  /** Called after every batch. */
  onProgress?: (progress: ClearanceImportProgress) => void;
  /** Rows per transaction (default 5,000). */
  batchSize?: number;
  /** Language of the rejection reasons (default zh-CN). */
  locale?: Locale;
  /**
   * Read and validate in a worker thread while this thread writes (default true): the two halves
   * cost about the same CPU, so a 2-core machine imports nearly twice as fast. false reads in-thread.
   */
  parallel?: boolean;
}

/**
 * The result (DESIGN.md: `{ imported, updated, rejected: [{ line, reason }] }`). `complete` is false
 * when the file broke off (truncated, bad quoting, undecodable bytes): then `failedBatch` names
 * the lines whose batch was rolled back; everything counted in `imported`/`updated` is committed.
 */
export interface ClearanceImportSummary {
  imported: number;
  updated: number;
  rejected: RejectedRow[];
  dryRun: boolean;
  complete: boolean;
  batchId: string | null;
  failedBatch?: { fromLine: number; toLine: number; rows: number; reason: string };
}

type WorkerOut = { t: "pull" } | { t: "event"; event: ParseEvent; flat?: FlatRows } | { t: "error"; app?: { code: AppError["code"]; messageKey?: AppError["messageKey"]; params?: AppError["params"]; reason?: string; fields?: AppError["fields"] }; message?: string };

/** A parse event with its rows (the batch's, or those of the batch that broke off) as flat values. */
type FlatEvent = { event: ParseEvent; flat: FlatRows };

/** Runs parseClearanceFile in this thread (`parallel: false`). */
async function* parseInThread(source: AsyncIterable<Buffer>, fileName: string, opts: ParseOptions): AsyncGenerator<FlatEvent, void, void> {
  for await (const event of parseClearanceFile(source, fileName, opts)) {
    yield { event, flat: event.t === "batch" ? flattenRows(event.rows) : event.t === "end" && event.broke ? flattenRows(event.broke.rows) : [] };
  }
}

/** Runs parseClearanceFile in a worker thread, feeding it the file's bytes on demand; rows arrive flat and stay flat. */
async function* parseInWorker(source: AsyncIterable<Buffer>, fileName: string, opts: ParseOptions): AsyncGenerator<FlatEvent, void, void> {
  // A small heap for the reader: its live data is one batch and a few bounded maps, and a tight
  // young generation keeps the parser's garbage from inflating the process (RSS target 400 MB).
  const worker = new Worker(new URL("./import-worker.mjs", import.meta.url), {
    workerData: { fileName, opts },
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 },
  });
  const input = source[Symbol.asyncIterator]();
  const queue: WorkerOut[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let exited = false;
  const push = (msg: WorkerOut) => {
    queue.push(msg);
    wake?.();
    wake = null;
  };
  worker.on("message", (msg: WorkerOut) => {
    if (msg.t !== "pull") return push(msg);
    input.next().then(
      (next) => worker.postMessage(next.done ? { t: "eof" } : { t: "chunk", buf: next.value }),
      (error: unknown) => {
        failure = error instanceof Error ? error : new Error(String(error));
        wake?.();
      },
    );
  });
  worker.on("error", (error) => {
    failure = error;
    wake?.();
  });
  worker.on("exit", () => {
    exited = true;
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const msg = queue.shift();
      if (!msg) throw failure ?? new Error("import worker stopped unexpectedly");
      if (msg.t === "error") {
        if (msg.app) throw new AppError(msg.app.code, { ...(msg.app.messageKey ? { messageKey: msg.app.messageKey } : {}), ...(msg.app.params ? { params: msg.app.params } : {}), ...(msg.app.reason ? { reason: msg.app.reason } : {}), ...(msg.app.fields ? { fields: msg.app.fields } : {}) });
        throw new Error(msg.message ?? "import worker failed");
      }
      if (msg.t !== "event") continue;
      const event = msg.event;
      yield { event, flat: msg.flat ?? [] };
      if (event.t === "batch") worker.postMessage({ t: "ack" });
      if (event.t === "end") return;
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * Imports the tax bureau's clearance export (CSV in UTF-8 or GBK, or XLSX) from a path or stream.
 * What must stay true:
 * - streaming: the file is never held in memory, rows are written in batches of `batchSize` per
 *   transaction through prepared statements (fast-store.ts); reading and validating run in a
 *   worker thread (import-parse.ts) while this thread writes;
 * - idempotent by certificate number: a known number updates its row (`updated`), never a duplicate;
 * - a bad row is rejected with its line (header = line 1) and reason, the others go in; a second
 *   row with a certificate number already seen in this file is rejected;
 * - a missing or extra column refuses the whole file before anything is written (AppError);
 * - a file that breaks off (truncated, broken quoting, undecodable bytes) ends the import: the
 *   batch being read is rolled back and reported, earlier batches stay, `complete` is false.
 * Coordinators, tax officers and admins may import; or the local operator (CLI).
 */
export async function importClearances(
  deps: Deps,
  actor: Principal,
  source: ClearanceImportSource,
  opts: ImportClearancesOptions = {},
): Promise<ClearanceImportSummary> {
  requireRole(actor, "coordinator", "tax_officer", "admin");
  return clearanceStore(deps.db.sqlite).withBulkCache(() => runImport(deps, actor, source, opts));
}

async function runImport(
  deps: Deps,
  actor: Principal,
  source: ClearanceImportSource,
  opts: ImportClearancesOptions,
): Promise<ClearanceImportSummary> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const dryRun = opts.dryRun ?? false;
  const parseOptions: ParseOptions = { batchSize: Math.max(1, opts.batchSize ?? 5_000), dryRun, locale };
  const store = clearanceStore(deps.db.sqlite);
  const fileName = typeof source === "string" ? basename(source) : source.fileName;
  const counter = { bytes: 0 };
  const raw: AsyncIterable<Buffer> = typeof source === "string" ? createReadStream(source, { highWaterMark: SNIFF_BYTES }) : (source.stream as AsyncIterable<Buffer>);
  const bytes = countBytes(raw, counter);
  const events = opts.parallel === false ? parseInThread(bytes, fileName, parseOptions) : parseInWorker(bytes, fileName, parseOptions);

  const summary: ClearanceImportSummary = { imported: 0, updated: 0, rejected: [], dryRun, complete: true, batchId: null };
  const reject = (line: number, reason: string) => summary.rejected.push({ line, reason });
  let batchId: string | null = null;
  const startedAt = deps.clock.now();

  /** Writes one batch (flat rows) in one transaction (or only counts, on a dry run). */
  const write = (rows: FlatRows) => {
    const now = sqlDate(deps.clock.now());
    let imported = 0;
    let updated = 0;
    const duplicates: RejectedRow[] = [];
    if (dryRun) {
      for (let o = 0; o < rows.length; o += CLEARANCE_ROW_STRIDE) {
        if (store.existing(rows[o + 1] as string)) updated++;
        else imported++;
      }
    } else {
      store.transaction(() => {
        ({ inserted: imported, updated } = store.upsertRows(rows, batchId!, now, (o) => {
          duplicates.push({ line: rows[o] as number, reason: cellMessage(locale, "certificate_no", message(locale, "clearance-import-duplicate-earlier", { certificateNo: rows[o + 1] as string })) });
        }));
      });
    }
    summary.imported += imported;
    summary.updated += updated;
    summary.rejected.push(...duplicates);
  };

  let broke: { detail: string; lastLine: number; rows: FlatRows } | null = null;
  try {
    for await (const { event, flat } of events) {
      if (event.t === "header") {
        if (!dryRun) {
          const created = await deps.db.prisma.clearanceImportBatch.create({
            data: { fileName: fileName.slice(0, 200), userId: auditWho(actor).userId, startedAt, status: "running" },
          });
          batchId = created.id;
          summary.batchId = batchId;
        }
        continue;
      }
      summary.rejected.push(...event.rejects);
      if (event.t === "batch") {
        try {
          write(flat);
        } catch (e) {
          // The database refused the batch (disk full, locked too long): it is rolled back; stop here.
          if (!/SQLITE_/.test((e as { code?: string }).code ?? "")) throw e;
          broke = { detail: (e as Error).message, lastLine: flat.length ? (flat[flat.length - CLEARANCE_ROW_STRIDE] as number) : 0, rows: flat };
          break;
        }
        opts.onProgress?.({ rows: event.rowsRead, bytes: counter.bytes });
        continue;
      }
      if (event.broke) broke = { ...event.broke, rows: flat };
    }
  } catch (e) {
    if (batchId) await finishBatch(deps, batchId, summary, "refused", (e as Error).message);
    throw e;
  }

  if (broke) {
    const count = broke.rows.length / CLEARANCE_ROW_STRIDE;
    const fromLine = count ? (broke.rows[0] as number) : broke.lastLine;
    const toLine = Math.max(broke.lastLine, count ? (broke.rows[broke.rows.length - CLEARANCE_ROW_STRIDE] as number) : broke.lastLine);
    const reason = message(locale, "clearance-import-truncated", { line: broke.lastLine, detail: broke.detail, from: fromLine, to: toLine });
    summary.complete = false;
    summary.failedBatch = { fromLine, toLine, rows: count, reason };
    reject(broke.lastLine, reason);
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  if (batchId) await finishBatch(deps, batchId, summary, summary.complete ? "done" : "partial", summary.failedBatch?.reason ?? null);
  if (!dryRun) {
    await writeAudit(deps.db.prisma, deps.clock, {
      actor,
      action: "clearance.import",
      subject: batchId ? `clearance-import:${batchId}` : null,
      result: summary.complete ? "ok" : "partial",
      detail: { fileName: fileName.slice(0, 200), imported: summary.imported, updated: summary.updated, rejected: summary.rejected.length },
    });
  }
  return summary;
}

async function finishBatch(deps: Deps, id: string, summary: ClearanceImportSummary, status: string, error: string | null): Promise<void> {
  await deps.db.prisma.clearanceImportBatch.update({
    where: { id },
    data: { status, finishedAt: deps.clock.now(), imported: summary.imported, updated: summary.updated, rejected: summary.rejected.length, error: error?.slice(0, 1000) ?? null },
  });
}
