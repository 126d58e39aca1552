import { t, type Locale, type MessageKey } from "../../domain/i18n.ts";
import type { FieldErrors } from "../../domain/validation.ts";
import { FEED_TYPES, matchFeedHeaders, validateFeedRows } from "../../domain/reports/feeds.ts";
import { openFeedFile } from "./feed-file.ts";

/** At most this many row problems are kept; `rowErrorCount` says how many there were in all. */
export const MAX_REPORTED_ROW_ERRORS = 200;

/**
 * What reading and validating a feed upload found (posted from the feed worker to the main thread,
 * so plain data only). Valid rows travel as JSON text, ready for the bulk insert.
 */
export interface FeedParseResult {
  format: "csv" | "xlsx";
  encoding: string | null;
  /** The header does not fit the template: the file is refused before any row is read. */
  columnErrors: { column: string; messageKey: MessageKey }[];
  rowErrors: { line: number; fields: FieldErrors }[];
  rowErrorCount: number;
  /** Valid rows (kept only while no row has failed): lines, JSON data, flag keys. */
  lines: number[];
  data: string[];
  flags: (MessageKey | null)[];
}

/**
 * Reads an upload (see openFeedFile for the caps) and validates it against the feed `feedCode`
 * row by row as the rows arrive: a header that does not fit stops the read at line 1, and once a
 * row has failed the valid ones are no longer kept (the file will be refused whole anyway).
 */
export async function parseFeedUpload(source: AsyncIterable<Buffer>, feedCode: string, locale: Locale): Promise<FeedParseResult> {
  const feed = FEED_TYPES.find((f) => f.code === feedCode);
  if (!feed) throw new Error(`unknown feed ${feedCode}`);
  const file = await openFeedFile(source);
  const result: FeedParseResult = { format: file.format, encoding: file.encoding, columnErrors: [], rowErrors: [], rowErrorCount: 0, lines: [], data: [], flags: [] };
  let mapping: (string | null)[] | null = null;
  for await (const record of file.records) {
    if (mapping === null) {
      if (record.cells.length === 0) continue; // blank rows above the header
      const headers = Array.from(record.cells, (v) => (v === undefined || v === null ? "" : String(v)));
      const matched = matchFeedHeaders(feed, headers, (c) => t("en", c.labelKey));
      if (matched.columnErrors.length > 0) {
        result.columnErrors = matched.columnErrors;
        return result;
      }
      mapping = matched.mapping;
      continue;
    }
    const { rows, rowErrors } = validateFeedRows(feed, mapping, [record], locale);
    if (rowErrors.length > 0) {
      result.rowErrorCount += rowErrors.length;
      if (result.rowErrors.length < MAX_REPORTED_ROW_ERRORS) result.rowErrors.push(...rowErrors);
      result.lines = [];
      result.data = [];
      result.flags = [];
      continue;
    }
    if (result.rowErrorCount > 0) continue;
    for (const r of rows) {
      result.lines.push(r.line);
      result.data.push(JSON.stringify(r.data));
      result.flags.push(r.flag);
    }
  }
  return result;
}
