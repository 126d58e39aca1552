// Runs every benchmark in BENCHES (each in its own process, so memory and CPU figures are its
// own) and prints a summary. `npm run bench` runs all; `npm run bench -- clearance-check` one.
// Add a bench: write bench/<name>.ts that ends with report() from lib/report.ts, and list it here.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpus, loadavg } from "node:os";
import type { BenchReport } from "./lib/report.ts";
import { startTempPostgres, type TempPostgres } from "../scripts/pg-temp.ts";

const BENCHES: { name: string; file: string; args?: string[] }[] = [
  { name: "clearance-import", file: "clearance-import.ts" },
  { name: "clearance-check", file: "clearance-check.ts" },
  { name: "report-submit", file: "report-submit.ts", args: ["1000"] },
  { name: "knowledge-search", file: "knowledge-search.ts" },
  { name: "session-lookup", file: "session-lookup.ts" },
  { name: "quiz-push", file: "quiz-push.ts" },
  { name: "oversight-pack", file: "oversight-pack.ts" },
];

function runOne(file: string, args: string[]): Promise<{ code: number; report: BenchReport | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL(file, import.meta.url)), ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let report: BenchReport | null = null;
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith("BENCH ")) report = JSON.parse(line.slice(6)) as BenchReport;
        else process.stdout.write(`${line}\n`);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 10 * 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (buffer.startsWith("BENCH ")) report = JSON.parse(buffer.slice(6)) as BenchReport;
      resolve({ code: code ?? 1, report });
    });
  });
}

// `--db pg`: every bench on a temporary PostgreSQL (Debian's package, durable settings: fsync on),
// started here and removed at the end; each bench makes its own database on it (bench/lib/db.ts).
const argv = process.argv.slice(2);
const dbAt = argv.indexOf("--db");
const dbKind = dbAt >= 0 ? argv.splice(dbAt, 2)[1] : "sqlite";
if (dbKind !== "sqlite" && dbKind !== "pg") {
  console.error("--db must be sqlite or pg");
  process.exit(2);
}
let pgServer: TempPostgres | null = null;
if (dbKind === "pg") {
  pgServer = await startTempPostgres();
  process.env.BENCH_PG_ADMIN_URL = pgServer.adminUrl;
  process.on("exit", () => pgServer?.stop());
}
const only = argv;
const selected = only.length ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
if (selected.length === 0) {
  console.error(`unknown bench; available: ${BENCHES.map((b) => b.name).join(", ")}`);
  process.exit(2);
}
console.log(`database: ${dbKind === "pg" ? `PostgreSQL (temporary server on 127.0.0.1:${pgServer!.port})` : "SQLite"}`);
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
let failed = 0;
const reports: BenchReport[] = [];
for (const bench of selected) {
  console.log(`\n== ${bench.name}`);
  const { code, report } = await runOne(bench.file, bench.args ?? []);
  if (!report || code !== 0) {
    failed++;
    console.log(`   ${bench.name} did not finish (exit ${code})`);
    continue;
  }
  reports.push(report);
}
console.log("\n== summary");
for (const r of reports) {
  console.log(`${r.name}: ${Object.entries(r.figures).map(([k, v]) => `${k}=${v}`).join(" ")}`);
  for (const t of r.targets) {
    if (!t.ok) failed++;
    console.log(`  ${t.ok ? "PASS" : "MISS"} ${t.label}`);
  }
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
process.exitCode = failed ? 1 : 0;
