import iconv from "iconv-lite";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { AppError } from "../errors.ts";

/** Uploads must be smaller than this (a monthly department feed is far below it). */
export const MAX_FEED_BYTES = 50 * 1024 * 1024;
/** Rows per upload; more is not a monthly feed but a data dump, sent another way. */
export const MAX_FEED_ROWS = 200_000;

/** A table read from an upload: the header row and the data rows with their line numbers. */
export interface FeedTable {
  format: "csv" | "xlsx";
  /** utf-8 | utf-16le | gb18030 (CSV only) */
  encoding: string | null;
  headers: string[];
  rows: { line: number; cells: unknown[] }[];
}

const startsWith = (buf: Uint8Array, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

/**
 * Decodes CSV bytes: a UTF-8 or UTF-16 BOM wins; otherwise valid UTF-8 is UTF-8 and anything else
 * is taken as GB18030 (a superset of GBK), which is what Excel on a Chinese Windows writes.
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: string } {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { text: bytes.subarray(3).toString("utf8"), encoding: "utf-8" };
  if (startsWith(bytes, [0xff, 0xfe])) return { text: iconv.decode(bytes.subarray(2), "utf-16le"), encoding: "utf-16le" };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: iconv.decode(bytes.subarray(2), "utf-16be"), encoding: "utf-16be" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(bytes, "gb18030"), encoding: "gb18030" };
  }
}

function unreadable(reason: string): AppError {
  return new AppError("invalid_input", { reason: "file_unreadable", messageKey: "feed-file-unreadable", params: { reason }, fields: { file: reason } });
}

/** An XLSX cell as a plain value: rich text and hyperlinks become text, formulas their result. */
function cellPlain(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date || typeof value !== "object") return value;
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("text" in value && typeof value.text === "string") return value.text;
  if ("result" in value) return cellPlain(value.result as ExcelJS.CellValue);
  if ("error" in value) return String(value.error);
  return String(value);
}

/**
 * Reads an uploaded CSV or XLSX (told apart by content, not by name). Refuses with a clear
 * AppError: too large (413), not CSV/XLSX (old .xls, images ...), undecodable, over MAX_FEED_ROWS.
 */
export async function readFeedFile(bytes: Buffer): Promise<FeedTable> {
  if (bytes.length >= MAX_FEED_BYTES) {
    throw new AppError("payload_too_large", { reason: "file_too_large", messageKey: "feed-file-too-large", params: { mb: MAX_FEED_BYTES / 1024 / 1024 } });
  }
  if (bytes.length === 0) throw new AppError("invalid_input", { reason: "file_empty", messageKey: "feed-file-empty", fields: { file: "empty" } });
  const tooMany = () => new AppError("invalid_input", { reason: "too_many_rows", messageKey: "feed-too-many-rows", params: { max: MAX_FEED_ROWS } });

  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (e) {
      throw unreadable((e as Error).message.slice(0, 200));
    }
    const sheet = wb.worksheets[0];
    if (!sheet) throw unreadable("no worksheet");
    let headers: string[] | null = null;
    const rows: FeedTable["rows"] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      // row.values is 1-based: index 0 is always empty
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellPlain);
      if (headers === null) headers = values.map((v) => (v === undefined ? "" : String(v)));
      else rows.push({ line: number, cells: values });
    });
    if (rows.length > MAX_FEED_ROWS) throw tooMany();
    return { format: "xlsx", encoding: null, headers: headers ?? [], rows };
  }
  // Old binary Excel (.xls), images, archives: not a table we can read.
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]) || bytes.subarray(0, 4096).includes(0)) {
    if (!startsWith(bytes, [0xff, 0xfe]) && !startsWith(bytes, [0xfe, 0xff])) {
      throw new AppError("invalid_input", { reason: "file_format", messageKey: "feed-file-format", fields: { file: "format" } });
    }
  }
  const { text, encoding } = decodeCsv(bytes);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true, bom: true, trim: false }) as never;
  } catch (e) {
    throw unreadable((e as Error).message.slice(0, 200));
  }
  if (records.length - 1 > MAX_FEED_ROWS) throw tooMany();
  const [head, ...rest] = records;
  return {
    format: "csv",
    encoding,
    headers: head ? head.record : [],
    rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}
