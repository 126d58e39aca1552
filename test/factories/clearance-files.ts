import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { CLEARANCE_COLUMNS, vinCheckDigit, withIdCheckChar } from "@xieshui/core";

// Synthetic clearance exports of any size for import tests, generated row by row as streams (a
// million rows never sit in memory or on disk as a whole): valid plates, VINs and ID numbers.

const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"; // plate letters: no I, O
const PLATE_CHARS = `0123456789${LETTERS}`;
const VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

function encode(n: number, alphabet: string, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) {
    s = alphabet[n % alphabet.length]! + s;
    n = Math.floor(n / alphabet.length);
  }
  return s;
}

const plate = (v: number) => `豫${LETTERS[v % LETTERS.length]}${encode(Math.floor(v / LETTERS.length), PLATE_CHARS, 5)}`;
function vin(v: number): string {
  const draft = `LSV${encode(v, VIN_CHARS, 5)}0${encode(v * 7 + 3, VIN_CHARS, 8)}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}
const IDS = Array.from({ length: 1000 }, (_, n) => withIdCheckChar(`4101061980${String(101 + (n % 12) * 100 + (n % 28)).padStart(4, "0")}${String(n).padStart(3, "0")}`));

/** The certificate number of synthetic row `i` (0-based; the row is on line i + 2). */
export const syntheticCertificate = (i: number) => String(300000000000000 + i);

/**
 * The 13 values of synthetic row `i`: a vehicle row (two tax years per vehicle) or, every fifth
 * row, a property row. `certificate` overrides its number (to plant duplicates), `bad` makes its
 * amount invalid.
 */
export function syntheticRow(i: number, opts: { certificate?: string; bad?: boolean } = {}): string[] {
  const cert = opts.certificate ?? syntheticCertificate(i);
  const amount = opts.bad ? "not-an-amount" : "480.00";
  const id = IDS[i % IDS.length]!;
  if (i % 5 === 4) return [cert, "property_transfer", "契税", "", "", `HT2026${String(i).padStart(8, "0")}`, id, "欧阳小明", "2026-05-13", "2026-05-13", "paid", amount, "2026-05-13"];
  const v = i >> 1;
  const year = 2025 + (i & 1);
  return [cert, "vehicle_vessel", "车船税", plate(v), vin(v), "", id, "张三", `${year}-01-01`, `${year}-12-31`, "paid", amount, `${year}-03-15`];
}

/** Which rows to alter: a duplicate of another row's number, or an invalid amount. */
export type RowPlan = (i: number) => { certificate?: string; bad?: boolean } | undefined;

/** A CSV export of `rows` data rows as a stream of ~64 KB chunks, generated on demand. */
export function syntheticCsv(rows: number, plan: RowPlan = () => undefined): Readable {
  return Readable.from(
    (function* () {
      let chunk = `${CLEARANCE_COLUMNS.join(",")}\n`;
      for (let i = 0; i < rows; i++) {
        chunk += `${syntheticRow(i, plan(i)).join(",")}\n`;
        if (chunk.length >= 32_768) {
          yield Buffer.from(chunk);
          chunk = "";
        }
      }
      if (chunk) yield Buffer.from(chunk);
    })(),
    { objectMode: false },
  );
}

/** Writes an XLSX export of `rows` data rows with shared strings (as Excel writes them) to `path`, streamed. */
export async function writeSyntheticXlsx(path: string, rows: number, plan: RowPlan = () => undefined): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet("凭证");
  ws.addRow([...CLEARANCE_COLUMNS]).commit();
  for (let i = 0; i < rows; i++) ws.addRow(syntheticRow(i, plan(i))).commit();
  ws.commit();
  await wb.commit();
}
