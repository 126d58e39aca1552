import Module, { createRequire } from "node:module";
import { dirname, sep } from "node:path";
import type ExcelJSModule from "exceljs";

const require = createRequire(import.meta.url);
const EXCELJS_ROOT = dirname(require.resolve("exceljs/package.json"));
const { SaxesParser } = require(require.resolve("saxes", { paths: [EXCELJS_ROOT] })) as { SaxesParser: new () => SaxesParserLike };

/** The fixed parse-sax that ExcelJS below runs on (exported for its test). */
export const parseSax = createParseSax(SaxesParser);

/**
 * exceljs with its streaming reader fixed for Chinese text. exceljs 4.4.0 (the latest) decodes
 * every chunk of the XML it streams on its own (lib/utils/parse-sax.js), so a character whose
 * UTF-8 bytes straddle two chunks turns into U+FFFD: in a real export a few names and plates per
 * ten thousand rows came out as "��三" or were refused (upstream issues exceljs#2063, #2084;
 * fixes proposed in #1665, #1821, #2894, none released). This module gives exceljs a parse-sax
 * that keeps one streaming decoder per parse, so split characters stay whole; everything else is
 * exceljs as is. Loaded before exceljs, it fixes exceljs for the whole thread; loaded after, it
 * loads a private fixed copy and leaves the other in place. Use `ExcelJS.stream.xlsx.WorkbookReader`
 * from here for every streamed XLSX read.
 */
export const ExcelJS: typeof ExcelJSModule = loadFixedExcelJS();

type SaxEvent = { eventType: "opentag" | "text" | "closetag"; value: unknown };
interface SaxesParserLike {
  on(event: "error", handler: (error: Error) => void): void;
  on(event: "opentag" | "text" | "closetag", handler: (value: unknown) => void): void;
  write(chunk: string): void;
}

/** exceljs's parse-sax, with a streaming TextDecoder per call instead of one decode per chunk. */
function createParseSax(SaxesParser: new () => SaxesParserLike) {
  return async function* parseSax(iterable: AsyncIterable<Uint8Array | string>): AsyncGenerator<SaxEvent[]> {
    const parser = new SaxesParser();
    let error: Error | undefined;
    parser.on("error", (e) => (error = e));
    let events: SaxEvent[] = [];
    parser.on("opentag", (value) => events.push({ eventType: "opentag", value }));
    parser.on("text", (value) => events.push({ eventType: "text", value }));
    parser.on("closetag", (value) => events.push({ eventType: "closetag", value }));
    const decoder = new TextDecoder("utf-8");
    for await (const chunk of iterable) {
      parser.write(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      if (error) throw error;
      yield events;
      events = [];
    }
    const tail = decoder.decode();
    if (tail) {
      parser.write(tail);
      if (error) throw error;
      yield events;
    }
  };
}

function loadFixedExcelJS(): typeof ExcelJSModule {
  const root = EXCELJS_ROOT;
  const parseSaxPath = require.resolve("exceljs/lib/utils/parse-sax.js");
  // The package's own entry, not "exceljs": an `import "exceljs"` elsewhere may have registered
  // the main module in the cache, unevaluated, before this runs.
  const entry = require.resolve("exceljs/lib/exceljs.nodejs.js");
  const install = () => {
    const patched = new Module(parseSaxPath);
    patched.filename = parseSaxPath;
    patched.loaded = true;
    patched.exports = parseSax;
    require.cache[parseSaxPath] = patched;
  };
  if (!require.cache[parseSaxPath]) {
    // exceljs is not loaded yet in this thread: every user of it gets the fixed reader.
    install();
    return require(entry) as typeof ExcelJSModule;
  }
  // exceljs is already loaded with the broken reader: load a private copy beside it.
  const inExcelJS = (key: string) => key.startsWith(root + sep);
  const saved = Object.entries(require.cache).filter(([key]) => inExcelJS(key));
  for (const [key] of saved) delete require.cache[key];
  try {
    install();
    return require(entry) as typeof ExcelJSModule;
  } finally {
    for (const key of Object.keys(require.cache)) if (inExcelJS(key)) delete require.cache[key];
    for (const [key, value] of saved) require.cache[key] = value;
  }
}
