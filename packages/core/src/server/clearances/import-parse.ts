import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import type { CellValue, Row } from "exceljs";
import { ExcelJS } from "../xlsx-stream.ts";
import {
  CLEARANCE_COLUMNS,
  validateClearanceRow,
  type ClearanceColumn,
  type ClearanceRow,
} from "../../domain/clearance.ts";
import { t, type Locale, type MessageKey, type MessageParams } from "../../domain/i18n.ts";
import { AppError } from "../errors.ts";
import { xlsxCellDate } from "../xlsx-dates.ts";
import { CLEARANCE_ROW_FIELDS, CLEARANCE_ROW_STRIDE } from "./fast-store.ts";

/**
 * Reading a clearance export: format and encoding detection, CSV/XLSX records, header check,
 * row validation and duplicates inside a batch. No access to the product's database (only a private
 * temporary one for an XLSX's shared strings): it runs in the import worker thread (import-worker.ts)
 * while the main thread writes, or in-thread (`parallel: false`).
 */

/** A row that was not imported: its line in the file (header = line 1) and why. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** One valid row and its line. */
export interface ParsedRow {
  line: number;
  row: ClearanceRow;
}

/**
 * How many rejected rows an import keeps with line and reason (the first ones, by line); the rest
 * are only counted. A file of a million bad rows must not become a million-element answer.
 */
export const MAX_REJECTED_LISTED = 1000;

/**
 * What reading a file yields, in order: the header was accepted; batches of rows; the end. Every
 * event carries the rejected rows read since the previous one: listed with line and reason
 * (`rejects`, at most MAX_REJECTED_LISTED in the whole file, the first ones) or only counted
 * (`unlisted`, those after).
 */
export type ParseEvent =
  | { t: "header" }
  | { t: "batch"; rows: ParsedRow[]; rejects: RejectedRow[]; unlisted: number; rowsRead: number }
  | {
      t: "end";
      rejects: RejectedRow[];
      unlisted: number;
      rowsRead: number;
      /** The file broke off: the rows read since the last batch are not written. */
      broke?: { detail: string; lastLine: number; rows: ParsedRow[] };
    };

/**
 * How to read: at most `batchSize` rows per batch (a batch is also cut after `batchSize` rows
 * read, valid or not, so a file of bad rows still reports progress), the language of reasons.
 * Duplicates are recognised within a batch only: across batches the writer recognises them (in
 * the database for a real import, in a temporary table for a dry run), so reading keeps no memory
 * of the whole file.
 */
export interface ParseOptions {
  batchSize: number;
  locale: Locale;
}

interface SourceRecord {
  line: number;
  values: string[];
}

/** A failure that ends the file early (truncation, broken quoting, bad bytes, a corrupt XLSX). */
class FileBrokeOff extends Error {}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Bytes read ahead to decide format and encoding (also the file read chunk size). */
export const SNIFF_BYTES = 64 * 1024;

export async function* countBytes(source: AsyncIterable<Buffer | string>, counter: { bytes: number }): AsyncGenerator<Buffer> {
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

type CsvRecord = SourceRecord | { line: number; broken: string };

/**
 * CSV records with their line numbers, parsed by csv-parse. Broken records are skipped by the
 * parser (so records it already buffered are not lost) and reported afterwards: an unclosed quote
 * at the end means the file was cut off; any other broken record is one bad row. `lineOffset` and
 * `recordDelimiter` let it take over in the middle of a file (see csvRecords).
 */
async function* csvParseRecords(text: AsyncIterable<string>, lineOffset = 0, recordDelimiter?: string): AsyncGenerator<CsvRecord> {
  const skipped: { line: number; code: string }[] = [];
  const parser = parse({
    relax_column_count: true,
    info: true,
    skip_empty_lines: true,
    bom: true,
    skip_records_with_error: true,
    ...(recordDelimiter ? { record_delimiter: recordDelimiter } : {}),
    on_skip: (err) => {
      skipped.push({ line: lineOffset + ((err as { lines?: number } | undefined)?.lines ?? 0), code: (err as { code?: string } | undefined)?.code ?? "CSV_ERROR" });
    },
  });
  pipeline(Readable.from(text), parser, () => {});
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = lineOffset + info.lines;
    while (skipped.length && skipped[0]!.line <= line) {
      const s = skipped.shift()!;
      yield { line: s.line, broken: s.code };
    }
    yield { line, values: record };
  }
  for (const s of skipped) {
    if (s.code === "CSV_QUOTE_NOT_CLOSED") throw new FileBrokeOff(`${s.code}: unclosed quote`);
    yield { line: s.line, broken: s.code };
  }
}

async function* prepend(first: string, rest: AsyncIterator<string> | null): AsyncGenerator<string> {
  if (first) yield first;
  if (!rest) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * CSV records with their line numbers (the header is line 1). Tax bureau exports are plain lines
 * (no quotes), which a line splitter reads several times faster than csv-parse and with far less
 * garbage: for such lines both give the same records and line numbers (csv-parse options below:
 * `,` delimiter, `\n` or `\r\n` records as found on line 1, empty lines skipped, any number of
 * fields). At the first line holding a quote or a stray `\r`, the rest of the file, from the start
 * of that line, goes to csv-parse (csvParseRecords) with the line numbers carried on, so quoted
 * fields, multi-line records and broken quoting are handled exactly as before.
 * `fast: false` uses csv-parse for the whole file (tests compare the two).
 */
export async function* csvRecords(text: AsyncIterable<string>, opts: { fast?: boolean } = {}): AsyncGenerator<CsvRecord> {
  if (opts.fast === false) {
    yield* csvParseRecords(text);
    return;
  }
  const it = text[Symbol.asyncIterator]();
  let carry = "";
  let line = 0;
  let crlf: boolean | null = null; // the record delimiter, decided by the first line break
  let first = true;
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    let s = carry + next.value;
    if (first && s.length) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    let start = 0;
    for (;;) {
      const nl = s.indexOf("\n", start);
      if (nl < 0) break;
      if (crlf === null) crlf = nl > start && s.charCodeAt(nl - 1) === 13;
      const end = crlf ? nl - 1 : nl;
      const text = s.slice(start, end);
      // A quote, a stray \r, or (CRLF files) a bare \n: csv-parse from here on.
      if ((crlf && s.charCodeAt(end) !== 13) || text.includes('"') || text.includes("\r")) {
        yield* csvParseRecords(prepend(s.slice(start), it), line, line === 0 ? undefined : crlf ? "\r\n" : "\n");
        return;
      }
      line++;
      start = nl + 1;
      if (text.length) yield { line, values: text.split(",") };
    }
    carry = start ? s.slice(start) : s;
  }
  // The last line, without a line break.
  if (carry.length) {
    if (carry.includes('"') || carry.includes("\r")) {
      yield* csvParseRecords(prepend(carry, null), line, line === 0 ? undefined : crlf ? "\r\n" : "\n");
      return;
    }
    yield { line: line + 1, values: carry.split(",") };
  }
}

/**
 * An XLSX's shared strings (the table every text cell of an Excel file points into) in a private
 * temporary SQLite database with a 4 MB page cache, the rest on disk, behind a small cache of
 * recent lookups. Held in the heap (exceljs's `sharedStrings: "cache"`) they grew with the file:
 * a 1,000,000-row export holds some 2.4 million distinct strings, more than the import worker's
 * heap. `close()` deletes it.
 */
export interface SharedStrings {
  add(index: number, text: string): void;
  get(index: number): string;
  close(): void;
}

const SHARED_STRINGS_CACHE = 20_000;

/** Opens SharedStrings (better-sqlite3 is loaded on first use: a CSV import's worker never needs it). */
export async function createSharedStrings(): Promise<SharedStrings> {
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database("");
  sqlite.pragma("cache_size = -4096");
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.exec(`CREATE TABLE s (i INTEGER PRIMARY KEY, text TEXT NOT NULL)`);
  const insert = sqlite.prepare<[number, string]>(`INSERT OR REPLACE INTO s (i, text) VALUES (?, ?)`);
  const select = sqlite.prepare<[number], string>(`SELECT text FROM s WHERE i = ?`).pluck();
  const begin = sqlite.prepare(`BEGIN`);
  const commit = sqlite.prepare(`COMMIT`);
  let pending = 0;
  const flush = () => {
    if (pending) commit.run();
    pending = 0;
  };
  const recent = new Map<number, string>();
  return {
    add(index, text) {
      if (pending === 0) begin.run();
      insert.run(index, text);
      if (++pending >= 10_000) flush();
    },
    get(index) {
      const hit = recent.get(index);
      if (hit !== undefined) return hit;
      flush();
      const text = select.get(index) ?? "";
      if (recent.size >= SHARED_STRINGS_CACHE) recent.clear();
      recent.set(index, text);
      return text;
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

type RichText = { richText: { text?: string }[] };
const richTextOf = (value: RichText): string => value.richText.map((r) => r.text ?? "").join("");

function cellText(value: CellValue | { sharedString: number }, strings: SharedStrings): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return xlsxCellDate(value);
  if (typeof value === "object") {
    if ("sharedString" in value) return strings.get(value.sharedString);
    if ("richText" in value) return richTextOf(value);
    if ("text" in value) return String(value.text);
    if ("result" in value) return cellText(value.result as CellValue, strings);
    if ("error" in value) return "";
  }
  return String(value);
}

type XlsxEvent = { eventType: "worksheet"; value: AsyncIterable<Row> } | { eventType: string; value: unknown } | { eventType?: undefined; index: number; text: string | RichText | null };

/**
 * Rows of the first worksheet, streamed (exceljs WorkbookReader; its `parse()` also yields the
 * shared strings, which go to SharedStrings); empty trailing cells are padded later.
 */
async function* xlsxRecords(bytes: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), {
    entries: "emit",
    sharedStrings: "emit",
    hyperlinks: "ignore",
    styles: "cache",
    worksheets: "emit",
  });
  const strings = await createSharedStrings();
  let read = false;
  try {
    const events = { [Symbol.asyncIterator]: () => reader.parse() } as AsyncIterable<XlsxEvent>;
    for await (const event of events) {
      if (event.eventType === undefined) {
        const { index, text } = event as { index: number; text: string | RichText | null };
        strings.add(index, text === null ? "" : typeof text === "string" ? text : richTextOf(text));
        continue;
      }
      if (event.eventType !== "worksheet") continue;
      if (read) {
        // The first worksheet only. Later ones are skipped without reading, but the reader is
        // left to run on: exceljs deletes each worksheet's temporary copy once it moves past it.
        (event.value as { iterator?: { destroy?: () => void } }).iterator?.destroy?.();
        continue;
      }
      read = true;
      for await (const row of event.value as AsyncIterable<Row>) {
        const cells = row.values as (CellValue | { sharedString: number })[];
        const values: string[] = [];
        for (let i = 1; i < cells.length; i++) values.push(cellText(cells[i], strings));
        yield { line: row.number, values };
      }
    }
  } catch (e) {
    if (e instanceof AppError || e instanceof FileBrokeOff) throw e;
    throw new FileBrokeOff(`XLSX: ${(e as Error).message}`.slice(0, 200));
  } finally {
    strings.close();
  }
}

function isBlank(values: string[]): boolean {
  for (const v of values) if (v !== "" && v.trim() !== "") return false;
  return true;
}

export function message(locale: Locale, key: MessageKey, params?: MessageParams): string {
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
 * Reads a clearance export from bytes and yields ParseEvents. Refusals of the whole file
 * (empty, not CSV/XLSX, unknown encoding, missing or extra columns) throw AppError before any
 * row is yielded. Inside a batch, a certificate number seen twice is rejected at its second line;
 * across batches the writer recognises it (its row already carries this import's batch id).
 */
export async function* parseClearanceFile(bytes: AsyncIterable<Buffer>, fileName: string, opts: ParseOptions): AsyncGenerator<ParseEvent> {
  const { locale, batchSize } = opts;
  const { head, rest } = await sniff(bytes);
  if (head.length === 0) throw new AppError("invalid_input", { messageKey: "clearance-import-empty", reason: "import_empty" });
  const isXlsx = head.subarray(0, 4).equals(ZIP_MAGIC);
  if (!isXlsx && /\.(xlsx?|xlsm|ods|zip)$/i.test(fileName)) {
    throw new AppError("invalid_input", { messageKey: "clearance-import-format", reason: "import_format" });
  }
  const records: AsyncIterable<CsvRecord> = isXlsx ? xlsxRecords(replay(head, rest)) : csvRecords(decodeCsv(head, rest));

  let rejects: RejectedRow[] = [];
  let listed = 0;
  let unlisted = 0;
  const reject = (line: number, reason: string) => {
    if (listed < MAX_REJECTED_LISTED) {
      listed++;
      rejects.push({ line, reason });
    } else {
      unlisted++;
    }
  };
  let seen = new Map<string, number>();
  let columns: Record<ClearanceColumn, number> | null = null;
  let batch: ParsedRow[] = [];
  let rowsRead = 0;
  let rowsAtEmit = 0;
  let lastLine = 1;
  let pendingShort: { line: number; found: number } | null = null;
  const emit = (): ParseEvent => {
    const event: ParseEvent = { t: "batch", rows: batch, rejects, unlisted, rowsRead };
    batch = [];
    rejects = [];
    unlisted = 0;
    rowsAtEmit = rowsRead;
    seen = new Map();
    return event;
  };

  try {
    for await (const record of records) {
      lastLine = record.line;
      if ("broken" in record) {
        reject(record.line, `CSV: ${record.broken}`);
        continue;
      }
      if (!columns) {
        columns = readHeader(record.values);
        yield { t: "header" };
        continue;
      }
      if (pendingShort) {
        reject(pendingShort.line, message(locale, "clearance-import-column-count", { found: pendingShort.found, expected: CLEARANCE_COLUMNS.length }));
        pendingShort = null;
      }
      const values = record.values;
      if (isBlank(values)) continue;
      if (rowsRead - rowsAtEmit >= batchSize) yield emit();
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
      if (batch.length >= batchSize) yield emit();
    }
    if (!columns) throw new AppError("invalid_input", { messageKey: "clearance-import-empty", reason: "import_empty" });
    if (pendingShort) {
      lastLine = pendingShort.line;
      throw new FileBrokeOff(message(locale, "clearance-import-column-count", { found: pendingShort.found, expected: CLEARANCE_COLUMNS.length }));
    }
  } catch (e) {
    if (!(e instanceof FileBrokeOff)) throw e;
    yield { t: "end", rejects, unlisted, rowsRead, broke: { detail: e.message, lastLine, rows: batch } };
    return;
  }
  if (batch.length) yield emit();
  yield { t: "end", rejects, unlisted, rowsRead };
}

/** A batch as one flat array of primitives (CLEARANCE_ROW_STRIDE per row: line, then the fields): far cheaper to post between threads than objects, and bound to SQL as is. */
export type FlatRows = (string | number | null)[];

export function flattenRows(rows: readonly ParsedRow[]): FlatRows {
  const flat: FlatRows = new Array(rows.length * CLEARANCE_ROW_STRIDE);
  let i = 0;
  for (const { line, row } of rows) {
    flat[i++] = line;
    for (const f of CLEARANCE_ROW_FIELDS) flat[i++] = row[f];
  }
  return flat;
}
