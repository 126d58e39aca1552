import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { Worker } from "node:worker_threads";
import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import { auditWho, isSystemActor, requireRole, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { openClearanceBulkStore, CLEARANCE_ROW_STRIDE, type ClearanceBulkStore } from "./fast-store.ts";
import { acquireJobLease, CLEARANCE_IMPORT_LEASE } from "./import-lease.ts";
import { recoverInterruptedImports } from "./recovery.ts";
import { cellMessage, countBytes, flattenRows, message, parseClearanceFile, MAX_REJECTED_LISTED, SNIFF_BYTES, type FlatRows, type ParseEvent, type ParseOptions, type RejectedRow } from "./import-parse.ts";

export type { RejectedRow } from "./import-parse.ts";
export { MAX_REJECTED_LISTED } from "./import-parse.ts";

/** Files up to this size (a path, so the size is known) are read in-thread by default: about 8,000 rows. */
export const IN_THREAD_MAX_BYTES = 1024 * 1024;

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
   * Read and validate in a worker thread while this thread writes (true): the two halves cost
   * about the same CPU, so a 2-core machine imports nearly twice as fast. false reads in-thread.
   * Default: the worker, except for a file path of at most IN_THREAD_MAX_BYTES, where starting
   * the worker (1–4 s on a loaded machine) would cost more than it saves.
   */
  parallel?: boolean;
  /** The worker's old-generation heap in MB (default READER_HEAP_MB); tests lower it to show the reader's memory stays bounded. */
  readerHeapMb?: number;
}

/**
 * The reading worker's heap limit. Its live data is one batch and a few bounded structures, so
 * this holds for any file size; a reader that kept something per row would hit it (it did: a
 * 487,000-row dry run, ERR_WORKER_OUT_OF_MEMORY).
 */
export const READER_HEAP_MB = 96;

/**
 * The result (DESIGN.md: `{ imported, updated, rejected: [{ line, reason }] }`). `rejected` lists
 * at most MAX_REJECTED_LISTED rows, the first by line; `rejectedCount` counts them all and
 * `rejectedTruncated` says whether some were left out of the list. `complete` is false
 * when the file broke off (truncated, bad quoting, undecodable bytes): then `failedBatch` names
 * the lines whose batch was rolled back; everything counted in `imported`/`updated` is committed.
 */
export interface ClearanceImportSummary {
  imported: number;
  updated: number;
  rejected: RejectedRow[];
  rejectedCount: number;
  rejectedTruncated: boolean;
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
/** How long a worker that has read the whole file may take to clean up and exit by itself. */
const WORKER_EXIT_GRACE_MS = 5_000;

function workerExit(worker: Worker, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function* parseInWorker(source: AsyncIterable<Buffer>, fileName: string, opts: ParseOptions, heapMb: number): AsyncGenerator<FlatEvent, void, void> {
  // A small heap for the reader: its live data is one batch and a few bounded maps, and a tight
  // young generation keeps the parser's garbage from inflating the process (RSS target 400 MB).
  const worker = new Worker(new URL("./import-worker.mjs", import.meta.url), {
    workerData: { fileName, opts },
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 8 },
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
  let ended = false;
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
      if (event.t === "end") {
        ended = true;
        return;
      }
    }
  } finally {
    // After a complete read the worker finishes its own clean-up (the reader's temporary file)
    // and exits; it is cut off only if that takes too long, or at once when the read stopped early.
    if (ended && !exited) await workerExit(worker, WORKER_EXIT_GRACE_MS);
    await worker.terminate();
  }
}

/**
 * The rejected rows of one import: the first MAX_REJECTED_LISTED by line in full, the rest
 * counted. Rows arrive roughly in line order (from the reader, and from the writer's
 * duplicates), so a bounded buffer that is sorted and cut now and then keeps exactly the first.
 */
class RejectedRows {
  private rows: RejectedRow[] = [];
  count = 0;

  add(line: number, reason: string): void {
    this.count++;
    this.rows.push({ line, reason });
    if (this.rows.length >= 2 * MAX_REJECTED_LISTED) this.cut();
  }

  /** Rows the reader counted without listing (they come after MAX_REJECTED_LISTED listed ones). */
  addUnlisted(n: number): void {
    this.count += n;
  }

  listed(): RejectedRow[] {
    this.cut();
    return this.rows;
  }

  private cut(): void {
    this.rows.sort((a, b) => a.line - b.line);
    if (this.rows.length > MAX_REJECTED_LISTED) this.rows.length = MAX_REJECTED_LISTED;
  }
}

/**
 * Imports the tax bureau's clearance export (CSV in UTF-8 or GBK, or XLSX) from a path or stream.
 * What must stay true:
 * - streaming: the file is never held in memory, rows are written in batches of `batchSize` per
 *   transaction through prepared statements (fast-store.ts); reading and validating run in a
 *   worker thread (import-parse.ts) while this thread writes; memory stays bounded whatever the
 *   size, also on a dry run (duplicates are tracked on disk) and for a file of bad rows (the
 *   rejected list keeps the first MAX_REJECTED_LISTED, the rest are counted);
 * - the import writes through its OWN connection (openBulkConnection), so its pragmas never
 *   change the connection that serves checks;
 * - one import at a time per database, across processes (a JobLease row): an overlapping one is
 *   refused with 409 `clearance-import-busy`;
 * - idempotent by certificate number: a known number updates its row (`updated`), never a duplicate;
 * - a bad row is rejected with its line (header = line 1) and reason, the others go in; a second
 *   row with a certificate number already seen in this file is rejected (a dry run reports
 *   exactly what the import would);
 * - a missing or extra column refuses the whole file before anything is written (AppError);
 * - a file that breaks off (truncated, broken quoting, undecodable bytes) ends the import: the
 *   batch being read is rolled back and reported, earlier batches stay, `complete` is false.
 * Roles: only tax officers import for real (or the local operator: the CLI); coordinators and
 * admins may dry-run (403 `clearance-import-real-role` for a real import); nobody else (403).
 */
export async function importClearances(
  deps: Deps,
  actor: Principal,
  source: ClearanceImportSource,
  opts: ImportClearancesOptions = {},
): Promise<ClearanceImportSummary> {
  requireImportRole(actor, opts.dryRun ?? false);
  const lease = await acquireJobLease(deps, CLEARANCE_IMPORT_LEASE, auditWho(actor).userId);
  try {
    // Holding the lease, any batch still `running` belongs to an import that died.
    await recoverInterruptedImports(deps);
    const store = await openClearanceBulkStore(deps.db);
    try {
      return await runImport(deps, store, actor, source, opts, () => lease.renew());
    } finally {
      await store.close();
    }
  } finally {
    await lease.release();
  }
}

function requireImportRole(actor: Principal | null | undefined, dryRun: boolean): asserts actor is Principal {
  requireRole(actor, "tax_officer", "coordinator", "admin");
  if (isSystemActor(actor) || dryRun || actor.roles.includes("tax_officer")) return;
  throw new AppError("forbidden", { messageKey: "clearance-import-real-role", reason: "import_tax_officer_only" });
}

async function runImport(
  deps: Deps,
  store: ClearanceBulkStore,
  actor: Principal,
  source: ClearanceImportSource,
  opts: ImportClearancesOptions,
  renewLease: () => Promise<boolean>,
): Promise<ClearanceImportSummary> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const dryRun = opts.dryRun ?? false;
  const parseOptions: ParseOptions = { batchSize: Math.max(1, opts.batchSize ?? 5_000), locale };
  const fileName = typeof source === "string" ? basename(source) : source.fileName;
  const counter = { bytes: 0 };
  const raw: AsyncIterable<Buffer> = typeof source === "string" ? createReadStream(source, { highWaterMark: SNIFF_BYTES }) : (source.stream as AsyncIterable<Buffer>);
  const bytes = countBytes(raw, counter);
  const parallel = opts.parallel ?? !(typeof source === "string" && statSync(source).size <= IN_THREAD_MAX_BYTES);
  const events = parallel ? parseInWorker(bytes, fileName, parseOptions, opts.readerHeapMb ?? READER_HEAP_MB) : parseInThread(bytes, fileName, parseOptions);

  const summary: ClearanceImportSummary = { imported: 0, updated: 0, rejected: [], rejectedCount: 0, rejectedTruncated: false, dryRun, complete: true, batchId: null };
  const rejected = new RejectedRows();
  const duplicateEarlier = (line: number, certificateNo: string) =>
    rejected.add(line, cellMessage(locale, "certificate_no", message(locale, "clearance-import-duplicate-earlier", { certificateNo })));
  const settle = () => {
    summary.rejected = rejected.listed();
    summary.rejectedCount = rejected.count;
    summary.rejectedTruncated = rejected.count > summary.rejected.length;
  };
  let batchId: string | null = null;
  const startedAt = deps.clock.now();

  /** Writes one batch (flat rows) in one transaction (or only counts, on a dry run). */
  const write = async (rows: FlatRows) => {
    const result = dryRun ? await store.countBatch(rows) : await store.writeBatch(rows, batchId!, deps.clock.now());
    for (const o of result.duplicates) duplicateEarlier(rows[o] as number, rows[o + 1] as string);
    summary.imported += result.inserted;
    summary.updated += result.updated;
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
      for (const r of event.rejects) rejected.add(r.line, r.reason);
      rejected.addUnlisted(event.unlisted);
      if (event.t === "batch") {
        try {
          await write(flat);
        } catch (e) {
          // The database refused the batch (disk full, locked too long): it is rolled back; stop here.
          if (!store.refused(e)) throw e;
          broke = { detail: (e as Error).message, lastLine: flat.length ? (flat[flat.length - CLEARANCE_ROW_STRIDE] as number) : 0, rows: flat };
          break;
        }
        if (!(await renewLease())) {
          broke = { detail: message(locale, "clearance-import-lease-lost"), lastLine: flat.length ? (flat[flat.length - CLEARANCE_ROW_STRIDE] as number) : 0, rows: [] };
          break;
        }
        opts.onProgress?.({ rows: event.rowsRead, bytes: counter.bytes });
        continue;
      }
      if (event.broke) broke = { ...event.broke, rows: flat };
    }
  } catch (e) {
    settle();
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
    rejected.add(broke.lastLine, reason);
  }
  settle();
  if (batchId) await finishBatch(deps, batchId, summary, summary.complete ? "done" : "partial", summary.failedBatch?.reason ?? null);
  if (!dryRun) {
    await writeAudit(deps.db.prisma, deps.clock, {
      actor,
      action: "clearance.import",
      subject: batchId ? `clearance-import:${batchId}` : null,
      result: summary.complete ? "ok" : "partial",
      detail: { fileName: fileName.slice(0, 200), imported: summary.imported, updated: summary.updated, rejected: summary.rejectedCount },
    });
  }
  return summary;
}

async function finishBatch(deps: Deps, id: string, summary: ClearanceImportSummary, status: string, error: string | null): Promise<void> {
  await deps.db.prisma.clearanceImportBatch.update({
    where: { id },
    data: { status, finishedAt: deps.clock.now(), imported: summary.imported, updated: summary.updated, rejected: summary.rejectedCount, error: error?.slice(0, 1000) ?? null },
  });
}
