// Benchmark: import 1,000,000 synthetic clearance rows from a CSV file (targets: < 20 s, peak RSS < 400 MB).
// Usage: npx tsx bench/clearance-import.ts [rows]
// On PostgreSQL: `npm run bench -- --db pg clearance-import` (bench/lib/db.ts).
import { statSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import { createDeps, importClearances, systemActor } from "@xieshui/core/server";
import { generateInChild } from "./lib/synthetic.ts";
import { report } from "./lib/report.ts";
import { createBenchDatabase } from "./lib/db.ts";

const rows = Math.min(Math.max(Number(process.argv[2] ?? 1_000_000), 1), 5_000_000);
const bench = await createBenchDatabase("clearance-import");
const { db, dir } = bench;
try {
  const csv = join(dir, "clearances.csv");
  let t0 = performance.now();
  await generateInChild(csv, rows);
  console.error(`generated ${rows} rows (${(statSync(csv).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const deps = createDeps(db);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await importClearances(deps, systemActor("test"), csv, { onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  if (summary.imported !== rows || summary.rejected.length) throw new Error(`unexpected summary: ${JSON.stringify({ ...summary, rejected: summary.rejected.slice(0, 5) })}`);
  const peakMb = Math.round(Math.max(peakRss, maxRss) / 1e6);
  report({
    name: "clearance-import",
    figures: { database: db.dialect, rows, seconds: Number(seconds.toFixed(2)), cpuSeconds: Number(cpuSeconds.toFixed(2)), loadAverage1m: Number(loadavg()[0]!.toFixed(1)), rowsPerSecond: Math.round(rows / seconds), peakRssMB: peakMb, rssBeforeMB: Math.round(rssBefore / 1e6) },
    targets: [
      { label: `${rows} rows in ${seconds.toFixed(1)} s (< 20 s)`, ok: seconds < 20 },
      { label: `peak RSS ${peakMb} MB (< 400 MB)`, ok: peakMb < 400 },
    ],
  });
} finally {
  await bench.drop();
}
