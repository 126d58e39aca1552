import { Readable, Transform, pipeline, type TransformCallback } from "node:stream";
import iconv from "iconv-lite";
import { parse } from "csv-parse";
import type ExcelJS from "exceljs";
import { AppError } from "../errors.ts";
import { xlsxCellDate } from "../xlsx-dates.ts";

// Reading an uploaded feed file (CSV or XLSX) as a stream, with every cap applied WHILE reading:
// a file is refused at the first row, cell or part that crosses a cap, never after it has been
// read whole. This runs in the feed worker thread (feed-worker.ts); nothing here touches the database.

/** Largest upload, in bytes (a monthly department feed is far below it). */
export const MAX_FEED_BYTES = 50 * 1024 * 1024;
/** Data rows per upload (the header not counted); more is a data dump, sent another way. */
export const MAX_FEED_ROWS = 200_000;
/** Columns a row may use (the widest feed template has 9). */
export const MAX_FEED_COLUMNS = 64;
/** Characters in one cell (the longest field takes 200). */
export const MAX_FEED_CELL_CHARS = 1_000;
/** Bytes the parts of an XLSX may inflate to, all parts together (zip bombs stop here). */
export const MAX_FEED_UNPACKED_BYTES = 256 * 1024 * 1024;
/** Entries of an XLSX's shared-strings table (each costs memory before any row is read). */
export const MAX_FEED_SHARED_STRINGS = 2_000_000;

/** One record of the file: its line (CSV) or row number (XLSX), and its cells in column order. */
export interface FeedRecord {
  line: number;
  cells: unknown[];
}

/** An opened feed file: what it is, and its records (header first) as they are read. */
export interface FeedFile {
  format: "csv" | "xlsx";
  /** utf-8 | utf-16le | utf-16be | gb18030 (CSV only) */
  encoding: string | null;
  records: AsyncIterable<FeedRecord>;
}

const SNIFF_BYTES = 64 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const startsWith = (buf: Uint8Array, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

function unreadable(reason: string): AppError {
  return new AppError("invalid_input", { reason: "file_unreadable", messageKey: "feed-file-unreadable", params: { reason }, fields: { file: reason } });
}

/** The AppError for a file over the upload size cap. */
export function feedTooLarge(): AppError {
  return new AppError("payload_too_large", { reason: "file_too_large", messageKey: "feed-file-too-large", params: { mb: MAX_FEED_BYTES / 1024 / 1024 } });
}

/** Passes the bytes through, refusing (413) once they exceed `max`. */
export async function* capBytes(source: AsyncIterable<Buffer> | Iterable<Buffer>, max: number, tooLarge: () => AppError): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > max) throw tooLarge();
    yield chunk;
  }
}

/** Reads the first bytes (up to 64 KB) so the format and encoding can be decided; `rest` continues after them. */
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
 * The CSV's encoding: a UTF-8 or UTF-16 BOM wins; otherwise a first 64 KB that is valid UTF-8 means
 * UTF-8, and anything else is GB18030 (a superset of GBK), which Excel on a Chinese Windows writes.
 */
function csvEncoding(head: Buffer): string {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return "utf-8";
  if (startsWith(head, [0xff, 0xfe])) return "utf-16le";
  if (startsWith(head, [0xfe, 0xff])) return "utf-16be";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return "utf-8";
  } catch {
    return "gb18030";
  }
}

async function* decodeText(bytes: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  if (encoding === "utf-8") {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    try {
      for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true });
      yield decoder.decode();
    } catch (e) {
      if (e instanceof TypeError) throw unreadable("invalid UTF-8");
      throw e;
    }
    return;
  }
  const decoder = iconv.getDecoder(encoding);
  for await (const chunk of bytes) yield decoder.write(chunk);
  const tail = decoder.end();
  if (tail) yield tail;
}

async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<FeedRecord> {
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    bom: true,
    trim: false,
    // A record longer than every cell at its cap is refused before it is buffered any further.
    max_record_size: MAX_FEED_COLUMNS * MAX_FEED_CELL_CHARS,
  });
  pipeline(Readable.from(text), parser, () => {});
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: info.lines, cells: record };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const err = e as { code?: string; lines?: number; message?: string };
    if (err.code === "CSV_MAX_RECORD_SIZE") {
      throw new AppError("invalid_input", { reason: "line_too_long", messageKey: "feed-line-too-long", params: { line: err.lines ?? 0, max: MAX_FEED_COLUMNS * MAX_FEED_CELL_CHARS } });
    }
    throw unreadable(String(err.message ?? e).slice(0, 200));
  }
}

// --- XLSX ------------------------------------------------------------------------------------------

/** An XLSX cell as a plain value: rich text and hyperlinks become text, formulas their result, dates the date typed. */
function cellPlain(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return xlsxCellDate(value);
  if (typeof value !== "object") return value;
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("text" in value && typeof value.text === "string") return value.text;
  if ("result" in value) return cellPlain(value.result as ExcelJS.CellValue);
  if ("error" in value) return String(value.error);
  return String(value);
}

/** The parts of exceljs's streaming WorkbookReader (exceljs 4.4.0, pinned) that this reader drives. */
interface WorkbookReaderParts {
  sharedStrings?: unknown[];
  model?: { sheets?: { id: number; name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

/** Counts inflated bytes against the file's budget (and runs `check` per chunk), failing the stream past it. */
class Budget extends Transform {
  constructor(
    private readonly left: { bytes: number },
    private readonly check?: () => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.left.bytes -= chunk.length;
    if (this.left.bytes < 0) {
      return done(new AppError("invalid_input", { reason: "unpacked_too_large", messageKey: "feed-xlsx-unpacked-too-large", params: { mb: MAX_FEED_UNPACKED_BYTES / 1024 / 1024 } }));
    }
    try {
      this.check?.();
    } catch (e) {
      return done(e as Error);
    }
    done(null, chunk);
  }
}

/**
 * Rows of the first worksheet. The zip (at most MAX_FEED_BYTES) is opened by its central directory,
 * so the parts are read in the order the reader needs them (relationships, workbook, styles, shared
 * strings, then the sheet) whatever their order in the file: Excel writes the shared strings AFTER
 * the sheets, which would make a front-to-back reader spool the inflated sheet to disk first. Every
 * part is inflated as a stream through one byte budget; the sheet is parsed by exceljs's streaming
 * WorksheetReader, one row at a time.
 */
async function* xlsxRecords(bytes: Buffer): AsyncGenerator<FeedRecord> {
  // Loaded on first use: most feeds are CSV, and exceljs alone takes half a second to load.
  // exceljs through xlsx-stream.ts: its fixed parse-sax keeps a Chinese character whole when its bytes straddle two chunks.
  const [{ ExcelJS }, { default: unzipper }] = await Promise.all([import("../xlsx-stream.ts"), import("unzipper")]);
  let dir: Awaited<ReturnType<typeof unzipper.Open.buffer>>;
  try {
    dir = await unzipper.Open.buffer(bytes);
  } catch (e) {
    throw unreadable(`XLSX: ${(e as Error).message}`.slice(0, 200));
  }
  const files = new Map(dir.files.map((f) => [f.path.replace(/^\/+/, ""), f]));
  const budget = { bytes: MAX_FEED_UNPACKED_BYTES };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  }) as unknown as WorkbookReaderParts;
  const open = (path: string, check?: () => void): Readable | null => {
    const file = files.get(path);
    if (!file) return null;
    const limited = new Budget(budget, check);
    pipeline(file.stream(), limited, () => {});
    return limited;
  };
  try {
    const rels = open("xl/_rels/workbook.xml.rels");
    if (rels) await reader._parseRels(rels);
    const workbook = open("xl/workbook.xml");
    if (!workbook) throw unreadable("XLSX: no workbook");
    await reader._parseWorkbook(workbook);
    const styles = open("xl/styles.xml");
    if (styles) await reader._parseStyles(styles);
    const tooManyStrings = () => {
      if ((reader.sharedStrings?.length ?? 0) > MAX_FEED_SHARED_STRINGS) {
        throw new AppError("invalid_input", { reason: "too_many_strings", messageKey: "feed-xlsx-too-many-strings", params: { max: MAX_FEED_SHARED_STRINGS } });
      }
    };
    const strings = open("xl/sharedStrings.xml", tooManyStrings);
    if (strings) for await (const _ of reader._parseSharedStrings(strings));
    tooManyStrings();
    reader.sharedStrings ??= [];

    // The first sheet in the workbook's order, found through its relationship.
    const first = reader.model?.sheets?.[0];
    const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
    const path = target ? (target.startsWith("/") ? target.slice(1) : `xl/${target}`) : "xl/worksheets/sheet1.xml";
    const sheetNo = /sheet(\d+)\.xml$/.exec(path)?.[1] ?? "1";
    const sheet = open(path);
    if (!sheet) throw unreadable("XLSX: no worksheet");
    const worksheet = reader._parseWorksheet(sheet, sheetNo).next().value?.value;
    if (!worksheet) throw unreadable("XLSX: no worksheet");
    for await (const row of worksheet) {
      const values = row.values as ExcelJS.CellValue[];
      // row.values is 1-based and may be sparse; index 0 is always empty
      const cells: unknown[] = new Array(Math.max(0, values.length - 1));
      for (let i = 1; i < values.length; i++) cells[i - 1] = cellPlain(values[i]);
      yield { line: row.number, cells };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw unreadable(`XLSX: ${(e as Error).message}`.slice(0, 200));
  }
}

async function collect(head: Buffer, rest: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of replay(head, rest)) parts.push(chunk);
  return Buffer.concat(parts);
}

// --- caps ------------------------------------------------------------------------------------------

/** The width of a row: the position of its last non-empty cell. */
function width(cells: unknown[]): number {
  for (let i = cells.length - 1; i >= 0; i--) {
    const v = cells[i];
    if (v !== undefined && v !== null && v !== "") return i + 1;
  }
  return 0;
}

/** Applies the row, column and cell caps to records as they are read. */
async function* capped(records: AsyncIterable<FeedRecord>): AsyncGenerator<FeedRecord> {
  let seen = 0;
  for await (const record of records) {
    // The header and the data rows; blank rows count too, so a sheet of empty rows cannot run long.
    if (++seen > MAX_FEED_ROWS + 1) {
      throw new AppError("invalid_input", { reason: "too_many_rows", messageKey: "feed-too-many-rows", params: { max: MAX_FEED_ROWS } });
    }
    const found = width(record.cells);
    if (found > MAX_FEED_COLUMNS) {
      throw new AppError("invalid_input", { reason: "too_many_columns", messageKey: "feed-too-many-columns", params: { max: MAX_FEED_COLUMNS, line: record.line, found } });
    }
    if (record.cells.length > found) record.cells.length = found;
    for (const v of record.cells) {
      if (typeof v === "string" && v.length > MAX_FEED_CELL_CHARS) {
        throw new AppError("invalid_input", { reason: "cell_too_long", messageKey: "feed-cell-too-long", params: { line: record.line, max: MAX_FEED_CELL_CHARS } });
      }
    }
    yield record;
  }
}

/**
 * Opens an uploaded CSV or XLSX (told apart by content, never by name) from its bytes as they
 * arrive. Refuses with an AppError: empty, not CSV/XLSX (old .xls, images ...), undecodable, and
 * every cap above, each the moment it is crossed. CSV is parsed as it streams (csv-parse); an XLSX
 * is held compressed (at most MAX_FEED_BYTES) and inflated part by part (see xlsxRecords). The
 * caller enforces MAX_FEED_BYTES on `source` (capBytes).
 */
export async function openFeedFile(source: AsyncIterable<Buffer>): Promise<FeedFile> {
  const { head, rest } = await sniff(source);
  if (head.length === 0) throw new AppError("invalid_input", { reason: "file_empty", messageKey: "feed-file-empty", fields: { file: "empty" } });
  if (startsWith(head, ZIP_MAGIC)) {
    const bytes = await collect(head, rest);
    return { format: "xlsx", encoding: null, records: capped(xlsxRecords(bytes)) };
  }
  // Old binary Excel (.xls), images, archives: not a table we can read. UTF-16 text has NULs but a BOM.
  const utf16 = startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]);
  if (!utf16 && (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0]) || head.subarray(0, 4096).includes(0))) {
    throw new AppError("invalid_input", { reason: "file_format", messageKey: "feed-file-format", fields: { file: "format" } });
  }
  const encoding = csvEncoding(head);
  return { format: "csv", encoding, records: capped(csvRecords(decodeText(replay(head, rest), encoding))) };
}
