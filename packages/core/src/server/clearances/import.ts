import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import {
  CLEARANCE_COLUMNS,
  validateClearanceRow,
  type ClearanceColumn,
  type ClearanceRow,
} from "../../domain/clearance.ts";
import { DEFAULT_LOCALE, t, type Locale, type MessageKey, type MessageParams } from "../../domain/i18n.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import { requireRole } from "../identity.ts";
import { sqlDate, type Actor } from "../hot-path.ts";
import type { Deps } from "../deps.ts";
import { clearanceStore } from "./fast-store.ts";

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
  /** Rows per transaction (default 10,000). */
  batchSize?: number;
  /** Language of the rejection reasons (default zh-CN). */
  locale?: Locale;
}

/** A row that was not imported: its line in the file (header = line 1) and why. */
export interface RejectedRow {
  line: number;
  reason: string;
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

interface SourceRecord {
  line: number;
  values: string[];
}

/** A failure that ends the file early (truncation, broken quoting, bad bytes, a corrupt XLSX). */
class FileBrokeOff extends Error {}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SNIFF_BYTES = 64 * 1024;

async function* countBytes(source: AsyncIterable<Buffer | string>, counter: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    counter.bytes += buf.length;
    yield buf;
  }
}

/** Reads the first bytes (up to 64 KB) so the format and encoding can be decided, then replays them. */
async function sniff(source: AsyncIterable<Buffer>): Promise<{ head: Buffer; rest: AsyncIterator<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) break;
    parts.push(next.value);
    size += next.value.length;
  }
  return { head: Buffer.concat(parts), rest: it };
}

async function* replay(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length) yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Decodes CSV bytes to text. UTF-8 (with or without BOM) is the format; Excel's GBK/GB18030
 * exports are recognised by failing UTF-8 validation on the first 64 KB and decoded with
 * iconv-lite. UTF-16 is refused. Bytes that stop being valid UTF-8 later end the file early.
 */
async function* decodeCsv(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<string> {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new AppError("invalid_input", { messageKey: "clearance-import-encoding", reason: "import_encoding" });
  }
  let utf8 = true;
  if (!head.subarray(0, 3).equals(UTF8_BOM)) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    } catch {
      utf8 = false;
    }
  }
  if (utf8) {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
    try {
      for await (const chunk of replay(head, rest)) yield decoder.decode(chunk, { stream: true });
      yield decoder.decode();
    } catch (e) {
      if (e instanceof TypeError) throw new FileBrokeOff("invalid UTF-8");
      throw e;
    }
    return;
  }
  const decoder = iconv.getDecoder("gb18030");
  for await (const chunk of replay(head, rest)) yield decoder.write(chunk);
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * CSV records with their line numbers. Broken records are skipped by the parser (so records it
 * already buffered are not lost) and reported afterwards: an unclosed quote at the end means the
 * file was cut off; any other broken record is one bad row.
 */
async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<SourceRecord | { line: number; broken: string }> {
  const skipped: { line: number; code: string }[] = [];
  const parser = parse({
    relax_column_count: true,
    info: true,
    skip_empty_lines: true,
    bom: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      skipped.push({ line: (err as { lines?: number } | undefined)?.lines ?? 0, code: (err as { code?: string } | undefined)?.code ?? "CSV_ERROR" });
    },
  });
  pipeline(Readable.from(text), parser, () => {});
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length && skipped[0]!.line <= info.lines) {
      const s = skipped.shift()!;
      yield { line: s.line, broken: s.code };
    }
    yield { line: info.lines, values: record };
  }
  for (const s of skipped) {
    if (s.code === "CSV_QUOTE_NOT_CLOSED") throw new FileBrokeOff(`${s.code}: unclosed quote`);
    yield { line: s.line, broken: s.code };
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("text" in value) return String(value.text);
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("error" in value) return "";
  }
  return String(value);
}

/** Rows of the first worksheet, streamed (exceljs WorkbookReader); empty trailing cells are padded later. */
async function* xlsxRecords(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), {
    entries: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    worksheets: "emit",
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const cells = row.values as ExcelJS.CellValue[];
        const values: string[] = [];
        for (let i = 1; i < cells.length; i++) values.push(cellText(cells[i]));
        yield { line: row.number, values };
      }
      return; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof AppError || e instanceof FileBrokeOff) throw e;
    throw new FileBrokeOff(`XLSX: ${(e as Error).message}`.slice(0, 200));
  }
}

function isBlank(values: string[]): boolean {
  for (const v of values) if (v !== "" && v.trim() !== "") return false;
  return true;
}

function message(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return t(locale, key, params);
}

/** Maps the header to column positions; refuses missing or extra columns with one clear message. */
function readHeader(values: string[]): Record<ClearanceColumn, number> {
  const header = values.map((v) => v.replace(/^\uFEFF/, "").trim().toLowerCase());
  while (header.length && header[header.length - 1] === "") header.pop();
  const expected = CLEARANCE_COLUMNS.join(",");
  const missing = CLEARANCE_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new AppError("invalid_input", { messageKey: "clearance-import-missing-columns", params: { columns: missing.join(", "), expected }, reason: "import_missing_columns" });
  }
  const known = new Set<string>(CLEARANCE_COLUMNS);
  const extra = header.filter((h, i) => !known.has(h) || header.indexOf(h) !== i);
  if (extra.length) {
    throw new AppError("invalid_input", { messageKey: "clearance-import-extra-columns", params: { columns: extra.map((e) => e || "(空)").join(", "), expected }, reason: "import_extra_columns" });
  }
  return Object.fromEntries(CLEARANCE_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<ClearanceColumn, number>;
}

/**
 * Imports the tax bureau's clearance export (CSV in UTF-8 or GBK, or XLSX) from a path or stream.
 * What must stay true:
 * - streaming: the file is never held in memory, rows are written in batches of `batchSize` per
 *   transaction through prepared statements (fast-store.ts);
 * - idempotent by certificate number: a known number updates its row (`updated`), never a duplicate;
 * - a bad row is rejected with its line (header = line 1) and reason, the others go in; a second
 *   row with a certificate number already seen in this file is rejected;
 * - a missing or extra column refuses the whole file before anything is written (AppError);
 * - a file that breaks off (truncated, broken quoting, undecodable bytes) ends the import: the
 *   batch being read is rolled back and reported, earlier batches stay, `complete` is false.
 * Coordinators, tax officers and admins may import; `actor = null` is the local operator (CLI).
 */
export async function importClearances(
  deps: Deps,
  actor: Actor | null,
  source: ClearanceImportSource,
  opts: ImportClearancesOptions = {},
): Promise<ClearanceImportSummary> {
  if (actor) requireRole(actor, "coordinator", "tax_officer", "admin");
  return clearanceStore(deps.db.sqlite).withBulkCache(() => runImport(deps, actor, source, opts));
}

async function runImport(
  deps: Deps,
  actor: Actor | null,
  source: ClearanceImportSource,
  opts: ImportClearancesOptions,
): Promise<ClearanceImportSummary> {
  if (actor) requireRole(actor, "coordinator", "tax_officer", "admin");
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const dryRun = opts.dryRun ?? false;
  const batchSize = Math.max(1, opts.batchSize ?? 10_000);
  const store = clearanceStore(deps.db.sqlite);
  const fileName = typeof source === "string" ? basename(source) : source.fileName;
  const counter = { bytes: 0 };
  const raw: AsyncIterable<Buffer> = typeof source === "string" ? createReadStream(source, { highWaterMark: SNIFF_BYTES }) : (source.stream as AsyncIterable<Buffer>);
  const { head, rest } = await sniff(countBytes(raw, counter));
  if (head.length === 0) throw new AppError("invalid_input", { messageKey: "clearance-import-empty", reason: "import_empty" });
  const isXlsx = head.subarray(0, 4).equals(ZIP_MAGIC);
  if (!isXlsx && /\.(xlsx?|xlsm|ods|zip)$/i.test(fileName)) {
    throw new AppError("invalid_input", { messageKey: "clearance-import-format", reason: "import_format" });
  }
  const records: AsyncIterable<SourceRecord | { line: number; broken: string }> = isXlsx ? xlsxRecords(replay(head, rest)) : csvRecords(decodeCsv(head, rest));

  const summary: ClearanceImportSummary = { imported: 0, updated: 0, rejected: [], dryRun, complete: true, batchId: null };
  const reject = (line: number, reason: string) => summary.rejected.push({ line, reason });
  // Duplicates inside the file: the rows of the batch being read are in `seen`; rows of batches
  // already written are recognised by their batchId in the database, so a million-row file needs
  // no million-entry map. A dry run writes nothing, so it remembers every certificate number.
  let seen = new Map<string, number>();
  let columns: Record<ClearanceColumn, number> | null = null;
  let batch: { line: number; row: ClearanceRow }[] = [];
  let rowsRead = 0;
  let lastLine = 1;
  let pendingShort: { line: number; found: number } | null = null;
  let batchId: string | null = null;
  const startedAt = deps.clock.now();

  const flush = () => {
    if (batch.length === 0) return;
    const now = sqlDate(deps.clock.now());
    let imported = 0;
    let updated = 0;
    const write = () => {
      if (dryRun) {
        for (const { row } of batch) {
          if (store.existing(row.certificateNo)) updated++;
          else imported++;
        }
        return;
      }
      const before = store.maxId();
      for (const { line, row } of batch) {
        const id = store.upsert(row, batchId!, now);
        if (id === null) reject(line, `certificate_no: ${message(locale, "clearance-import-duplicate-earlier", { certificateNo: row.certificateNo })}`);
        else if (id > before) imported++;
        else updated++;
      }
    };
    if (dryRun) write();
    else store.transaction(write);
    summary.imported += imported;
    summary.updated += updated;
    batch = [];
    if (!dryRun) seen = new Map();
    opts.onProgress?.({ rows: rowsRead, bytes: counter.bytes });
  };

  let brokeOff: string | null = null;
  try {
    for await (const record of records) {
      lastLine = record.line;
      if ("broken" in record) {
        reject(record.line, `CSV: ${record.broken}`);
        continue;
      }
      if (!columns) {
        columns = readHeader(record.values);
        if (!dryRun) {
          const created = await deps.db.prisma.clearanceImportBatch.create({
            data: { fileName: fileName.slice(0, 200), userId: actor?.userId ?? null, startedAt, status: "running" },
          });
          batchId = created.id;
          summary.batchId = batchId;
        }
        continue;
      }
      if (pendingShort) {
        reject(pendingShort.line, message(locale, "clearance-import-column-count", { found: pendingShort.found, expected: CLEARANCE_COLUMNS.length }));
        pendingShort = null;
      }
      const values = record.values;
      if (isBlank(values)) continue;
      rowsRead++;
      let width = values.length;
      while (width > 0 && values[width - 1]!.trim() === "") width--;
      if (width > CLEARANCE_COLUMNS.length || (!isXlsx && values.length < CLEARANCE_COLUMNS.length)) {
        // A short last row is a truncated file; a short row in the middle is just a bad row.
        if (values.length < CLEARANCE_COLUMNS.length) pendingShort = { line: record.line, found: values.length };
        else reject(record.line, message(locale, "clearance-import-column-count", { found: width, expected: CLEARANCE_COLUMNS.length }));
        continue;
      }
      const c = columns;
      const result = validateClearanceRow({
        certificate_no: values[c.certificate_no] ?? "",
        kind: values[c.kind] ?? "",
        tax: values[c.tax] ?? "",
        plate: values[c.plate] ?? "",
        vin: values[c.vin] ?? "",
        contract_no: values[c.contract_no] ?? "",
        taxpayer_id: values[c.taxpayer_id] ?? "",
        taxpayer_name: values[c.taxpayer_name] ?? "",
        period_start: values[c.period_start] ?? "",
        period_end: values[c.period_end] ?? "",
        status: values[c.status] ?? "",
        amount: values[c.amount] ?? "",
        paid_on: values[c.paid_on] ?? "",
      });
      if (!result.ok) {
        reject(record.line, `${result.problem.column}: ${message(locale, result.problem.messageKey, result.problem.params)}`);
        continue;
      }
      const first = seen.get(result.row.certificateNo);
      if (first !== undefined) {
        reject(record.line, `certificate_no: ${message(locale, "clearance-import-duplicate", { certificateNo: result.row.certificateNo, first })}`);
        continue;
      }
      seen.set(result.row.certificateNo, record.line);
      batch.push({ line: record.line, row: result.row });
      if (batch.length >= batchSize) flush();
    }
    if (!columns) throw new AppError("invalid_input", { messageKey: "clearance-import-empty", reason: "import_empty" });
    if (pendingShort) {
      lastLine = pendingShort.line;
      throw new FileBrokeOff(message(locale, "clearance-import-column-count", { found: pendingShort.found, expected: CLEARANCE_COLUMNS.length }));
    }
    flush();
  } catch (e) {
    if (!(e instanceof FileBrokeOff) && !(e instanceof Error && /SQLITE_/.test((e as { code?: string }).code ?? ""))) {
      if (batchId) await finishBatch(deps, batchId, summary, "refused", (e as Error).message);
      throw e;
    }
    brokeOff = e.message;
  }

  if (brokeOff !== null) {
    const fromLine = batch[0]?.line ?? lastLine;
    const toLine = Math.max(lastLine, batch[batch.length - 1]?.line ?? lastLine);
    const reason = message(locale, "clearance-import-truncated", { line: lastLine, detail: brokeOff, from: fromLine, to: toLine });
    summary.complete = false;
    summary.failedBatch = { fromLine, toLine, rows: batch.length, reason };
    reject(lastLine, reason);
    batch = [];
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  if (batchId) await finishBatch(deps, batchId, summary, summary.complete ? "done" : "partial", summary.failedBatch?.reason ?? null);
  if (!dryRun) {
    await writeAudit(deps.db.prisma, deps.clock, {
      userId: actor?.userId ?? null,
      unitId: actor?.unitId ?? null,
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
