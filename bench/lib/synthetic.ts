// Synthetic clearance exports for benchmarks: valid plates, VINs (check digit) and ID numbers,
// generated row by row and written with back-pressure, so the generator itself stays small.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { CLEARANCE_COLUMNS, vinCheckDigit, withIdCheckChar } from "@xieshui/core";

const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"; // plate letters: no I, O
const PLATE_CHARS = `0123456789${LETTERS}`; // 34
const VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"; // 33: no I, O, Q

function encode(n: number, alphabet: string, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) {
    s = alphabet[n % alphabet.length]! + s;
    n = Math.floor(n / alphabet.length);
  }
  return s;
}

/** The plate of synthetic vehicle `v` (unique per v). */
export function syntheticPlate(v: number): string {
  return `豫${LETTERS[v % LETTERS.length]}${encode(Math.floor(v / LETTERS.length), PLATE_CHARS, 5)}`;
}

/** The VIN of synthetic vehicle `v`, with a correct check digit. */
export function syntheticVin(v: number): string {
  const draft = `LSV${encode(v, VIN_CHARS, 5)}0${encode(v * 7 + 3, VIN_CHARS, 8)}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

/** A distinct, valid ID number per owner (GB 11643 check character), so validation is not flattered by repeats. */
function ownerId(n: number): string {
  return withIdCheckChar(`41${String(1000 + (n % 9000)).padStart(4, "0")}${1950 + (n % 50)}0${1 + (n % 9)}1${n % 10}${String(Math.floor(n / 9000) % 1000).padStart(3, "0")}`);
}
const NAMES = ["张三", "李小明", "王芳", "欧阳秀英", "陈建", "刘伟", "杜英", "夏兰红"];
const TAXES = ["契税", "增值税", "个人所得税", "印花税"];

/**
 * Writes `rows` data rows: 80% vehicle rows (two tax years per vehicle, 2025 and 2026), 20%
 * property rows (four taxes per contract). Returns how many vehicles were written.
 */
export async function writeSyntheticClearances(path: string, rows: number): Promise<{ vehicles: number }> {
  const out = createWriteStream(path);
  out.write(`${CLEARANCE_COLUMNS.join(",")}\n`);
  const vehicleRows = Math.floor(rows * 0.8) & ~1;
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const id = ownerId(i < vehicleRows ? i >> 1 : i);
    const name = NAMES[i % NAMES.length]!;
    const cert = String(300000000000000 + i);
    if (i < vehicleRows) {
      const v = i >> 1;
      const year = 2025 + (i & 1);
      const status = v % 50 === 0 ? "exempt" : "paid";
      chunk.push(`${cert},vehicle_vessel,车船税,${syntheticPlate(v)},${syntheticVin(v)},,${id},${name},${year}-01-01,${year}-12-31,${status},${status === "paid" ? "480.00" : "0.00"},${year}-03-15`);
    } else {
      const p = i - vehicleRows;
      chunk.push(`${cert},property_transfer,${TAXES[p % 4]},,,HT2026${String(Math.floor(p / 4)).padStart(8, "0")},${id},${name},2026-05-13,2026-05-13,paid,1234.56,2026-05-13`);
    }
    if (chunk.length === 5000) {
      if (!out.write(`${chunk.join("\n")}\n`)) await once(out, "drain");
      chunk = [];
    }
  }
  if (chunk.length) out.write(`${chunk.join("\n")}\n`);
  out.end();
  await once(out, "finish");
  return { vehicles: vehicleRows / 2 };
}

/** Runs generate.ts in a child process and returns how many vehicles the file holds. */
export async function generateInChild(path: string, rows: number): Promise<{ vehicles: number }> {
  const { execFile } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const script = fileURLToPath(new URL("./generate.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", script, path, String(rows)], { timeout: 300_000 }, (error, stdout) => {
      if (error) return reject(error);
      resolve(JSON.parse(stdout) as { vehicles: number });
    });
  });
}
