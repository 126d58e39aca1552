// Writes a synthetic clearance CSV in its own process, so the bench that imports it measures
// only the import's memory. Usage: tsx bench/lib/generate.ts <file> <rows>
import { writeSyntheticClearances } from "./synthetic.ts";

const [file, rows] = process.argv.slice(2);
if (!file || !rows) throw new Error("usage: generate.ts <file> <rows>");
const { vehicles } = await writeSyntheticClearances(file, Math.min(Number(rows), 5_000_000));
process.stdout.write(JSON.stringify({ vehicles }));
