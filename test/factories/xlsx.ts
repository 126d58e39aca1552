import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants, createDeflateRaw } from "node:zlib";

// Hand-built XLSX files for hostile-input tests: exceljs cannot write them (a 1,000 × 16,384-cell
// sheet would take gigabytes in the test process), so the parts are generated as text and deflated
// as they are produced, a few kilobytes at a time.

// CRC-32 (zip's), slice-by-4: Node 20 has no zlib.crc32 and the byte-wise loop is too slow for
// the hundreds of megabytes a bomb inflates to.
const CRC_TABLES = (() => {
  const t = Array.from({ length: 4 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) t[k]![n] = (t[0]![t[k - 1]![n]! & 0xff]! ^ (t[k - 1]![n]! >>> 8)) >>> 0;
  }
  return t;
})();

export function crc32(crc: number, buf: Buffer): number {
  const [t0, t1, t2, t3] = CRC_TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = ~crc >>> 0;
  let i = 0;
  for (const end = buf.length - 4; i <= end; i += 4) {
    c ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    c = t3[c & 0xff]! ^ t2[(c >>> 8) & 0xff]! ^ t1[(c >>> 16) & 0xff]! ^ t0[c >>> 24]!;
  }
  for (; i < buf.length; i++) c = t0[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A zip part: its name and its content, given whole or as chunks produced on demand. */
export interface ZipPart {
  name: string;
  content: string | Buffer | Iterable<string | Buffer>;
}

async function deflatePart(content: ZipPart["content"]): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflate = createDeflateRaw({ level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
  const out: Buffer[] = [];
  deflate.on("data", (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  let crc = 0;
  let size = 0;
  const chunks = typeof content === "string" || Buffer.isBuffer(content) ? [content] : content;
  for (const chunk of chunks) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    crc = crc32(crc, buf);
    size += buf.length;
    if (!deflate.write(buf)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

/** A zip archive (deflate, no data descriptors) of the parts, in the order given. */
export async function buildZip(parts: ZipPart[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { data, crc, size } = await deflatePart(part.content);
    const name = Buffer.from(part.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** Excel's column letters: 1 → A, 16,384 → XFD. */
export function columnName(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A minimal XLSX with one worksheet. `sheetRows` yields the `<row>` elements (the sheet's XML is
 * streamed into the deflater); `sharedStrings` yields the `<si>` elements, and the shared-strings
 * part is written AFTER the worksheet, as Excel itself does.
 */
export async function buildXlsx(opts: { sheetRows: Iterable<string>; sharedStrings?: Iterable<string> }): Promise<Buffer> {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  function* sheet() {
    yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${ns} xmlns:r="${rel}"><sheetData>`;
    yield* opts.sheetRows;
    yield "</sheetData></worksheet>";
  }
  function* strings() {
    yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst ${ns}>`;
    if (opts.sharedStrings) yield* opts.sharedStrings;
    yield "</sst>";
  }
  return buildZip([
    {
      name: "[Content_Types].xml",
      content:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    },
    {
      name: "_rels/.rels",
      content: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: "xl/workbook.xml",
      content: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      content:
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    { name: "xl/worksheets/sheet1.xml", content: sheet() },
    { name: "xl/sharedStrings.xml", content: strings() },
  ]);
}

/** One `<row>` of inline-string cells. */
export function inlineRow(line: number, cells: string[]): string {
  return `<row r="${line}">${cells.map((v, i) => `<c r="${columnName(i + 1)}${line}" t="inlineStr"><is><t>${escapeXml(v)}</t></is></c>`).join("")}</row>`;
}

/**
 * The file of the outside review (issue 7, point 1): 1,000 rows × 16,384 cells, ~497 KB zipped.
 * Every cell is the same `<c r="A1"><v>1</v></c>`, so the ~360 MB of sheet XML deflate at the
 * format's maximum ratio, and a reader that builds the whole workbook first holds 16 million cells.
 * With `header`, row 1 is that row of inline strings instead (a header the template accepts).
 */
export async function reviewBombXlsx(opts: { rows?: number; columns?: number; header?: string[] } = {}): Promise<Buffer> {
  // Deflating ~360 MB takes seconds: the file is built once per machine and kept in the temp folder.
  const cached = join(tmpdir(), `xieshui-review-bomb-v1-${opts.rows ?? 1_000}-${opts.columns ?? 16_384}-${opts.header ? opts.header.length : 0}.xlsx`);
  if (existsSync(cached)) return readFileSync(cached);
  const built = await buildReviewBomb(opts);
  const tmp = `${cached}.${process.pid}.tmp`;
  writeFileSync(tmp, built);
  renameSync(tmp, cached);
  return built;
}

function buildReviewBomb(opts: { rows?: number; columns?: number; header?: string[] }): Promise<Buffer> {
  const rows = opts.rows ?? 1_000;
  const cells = '<c r="A1"><v>1</v></c>'.repeat(opts.columns ?? 16_384);
  function* sheetRows() {
    for (let r = 1; r <= rows; r++) yield r === 1 && opts.header ? inlineRow(1, opts.header) : `<row r="${r}">${cells}</row>`;
  }
  return buildXlsx({ sheetRows: sheetRows() });
}

/** A valid header row, then `rows` rows that each fill `columns` distinct cells (A…XFD). */
export function wideRowsXlsx(header: string[], rows = 2, columns = 16_384): Promise<Buffer> {
  const names = Array.from({ length: columns }, (_, i) => columnName(i + 1));
  function* sheetRows() {
    yield inlineRow(1, header);
    for (let r = 2; r <= rows + 1; r++) yield `<row r="${r}">${names.map((n) => `<c r="${n}${r}"><v>1</v></c>`).join("")}</row>`;
  }
  return buildXlsx({ sheetRows: sheetRows() });
}

/**
 * A shared-strings blow-up: one string of `chars` characters in the shared-strings table, and a
 * valid header followed by `rows` rows whose `columns` cells all point at it. Tiny on disk; a reader
 * that copies every cell's text holds rows × columns × chars characters.
 */
export function sharedStringBombXlsx(header: string[], opts: { chars?: number; rows?: number; columns?: number } = {}): Promise<Buffer> {
  const { chars = 1_000_000, rows = 1_000, columns = header.length } = opts;
  const names = Array.from({ length: columns }, (_, i) => columnName(i + 1));
  function* sheetRows() {
    yield inlineRow(1, header);
    for (let r = 2; r <= rows + 1; r++) yield `<row r="${r}">${names.map((n) => `<c r="${n}${r}" t="s"><v>0</v></c>`).join("")}</row>`;
  }
  function* strings() {
    yield "<si><t>";
    for (let left = chars; left > 0; left -= 65_536) yield "x".repeat(Math.min(left, 65_536));
    yield "</t></si>";
  }
  return buildXlsx({ sheetRows: sheetRows(), sharedStrings: strings() });
}

/** A shared-strings table of `count` one-letter entries (each costs a reader memory before any row). */
export function manyStringsXlsx(header: string[], count: number): Promise<Buffer> {
  function* strings() {
    const block = "<si><t>x</t></si>".repeat(10_000);
    for (let left = count; left > 0; left -= 10_000) yield left >= 10_000 ? block : "<si><t>x</t></si>".repeat(left);
  }
  return buildXlsx({ sheetRows: [inlineRow(1, header)], sharedStrings: strings() });
}
