import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import { AppError } from "../errors.ts";

/** One CSV record and the line it starts on (header = line 1), or a record the parser could not read. */
export type CsvLine = { line: number; values: string[] } | { line: number; broken: "unclosed" | "invalid" };

/**
 * Decodes a CSV byte stream: UTF-8 (BOM or not), else GB18030 (Excel's 简体中文 CSV), recognised by
 * failing UTF-8 validation on the first chunk. UTF-16 is refused. Line ends are folded to `\n` on
 * the way (csv-parse counts a CRLF inside a quoted field as two lines), keeping a `\r` that ends a
 * chunk until the next one shows whether a `\n` follows.
 */
async function* decode(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<string> {
  let decoder: { write(b: Buffer): string; end(): string } | null = null;
  let pendingCr = false;
  let bytes = 0;
  const fold = (text: string, last: boolean): string => {
    let s = (pendingCr ? "\r" : "") + text;
    pendingCr = !last && s.endsWith("\r");
    if (pendingCr) s = s.slice(0, -1);
    return s.replace(/\r\n?/g, "\n");
  };
  for await (const chunk of source) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    if (bytes > maxBytes) throw new AppError("payload_too_large", { messageKey: "quiz-import-too-large", params: { max: Math.round(maxBytes / 1024 / 1024) }, reason: "quiz_import_too_large" });
    if (!decoder) {
      if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
        throw new AppError("invalid_input", { messageKey: "quiz-import-encoding", reason: "quiz_import_encoding" });
      }
      let utf8 = true;
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(buf, { stream: true });
      } catch {
        utf8 = false;
      }
      if (utf8) {
        const td = new TextDecoder("utf-8", { fatal: true });
        decoder = {
          write: (b) => {
            try {
              return td.decode(b, { stream: true });
            } catch {
              throw new AppError("invalid_input", { messageKey: "quiz-import-encoding", reason: "quiz_import_encoding" });
            }
          },
          end: () => td.decode(),
        };
      } else {
        const gb = iconv.getDecoder("gb18030");
        decoder = { write: (b) => gb.write(b), end: () => gb.end() ?? "" };
      }
    }
    const text = decoder.write(buf);
    if (text) yield fold(text, false);
  }
  const tail = fold(decoder?.end() ?? "", true);
  if (tail) yield tail;
}

/**
 * Streams the records of a CSV file (csv-parse) with the line each starts on. Empty lines are
 * skipped (and counted); a record the parser cannot read is reported with its line and the file goes
 * on; a quote that is never closed swallows the rest of the file and is reported once, where it began.
 */
export async function* readCsvLines(source: AsyncIterable<Buffer | string>, opts: { maxBytes: number }): AsyncGenerator<CsvLine> {
  const skipped: { lines: number; code: string }[] = [];
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      skipped.push({ lines: (err as { lines?: number } | undefined)?.lines ?? 0, code: (err as { code?: string } | undefined)?.code ?? "CSV_ERROR" });
    },
  });
  let failure: unknown = null;
  pipeline(Readable.from(decode(source, opts.maxBytes)), parser, (err) => {
    if (err) failure = err;
  });
  let lastEnd = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      while (skipped.length && skipped[0]!.lines < info.lines) {
        const s = skipped.shift()!;
        yield { line: lastEnd + 1, broken: s.code === "CSV_QUOTE_NOT_CLOSED" ? "unclosed" : "invalid" };
        lastEnd = s.lines;
      }
      const inner = record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
      yield { line: info.lines - inner, values: record };
      lastEnd = info.lines;
    }
  } catch (e) {
    throw failure ?? e;
  }
  if (failure) throw failure;
  for (const s of skipped) yield { line: lastEnd + 1, broken: s.code === "CSV_QUOTE_NOT_CLOSED" ? "unclosed" : "invalid" };
}
