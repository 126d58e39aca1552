// Benchmark: import 1,000,000 synthetic clearance rows from a CSV file (targets: < 20 s, peak RSS < 400 MB).
// Usage: npx tsx bench/clearance-import.ts [rows]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { createDb, createDeps, migrate, importClearances, systemActor } from "@xieshui/core/server";
import { generateInChild } from "./lib/synthetic.ts";
import { report } from "./lib/report.ts";

const rows = Math.min(Math.max(Number(process.argv[2] ?? 1_000_000), 1), 5_000_000);
const dir = mkdtempSync(join(tmpdir(), "xs-bench-import-"));
try {
  const csv = join(dir, "clearances.csv");
  let t0 = performance.now();
  await generateInChild(csv, rows);
  console.error(`generated ${rows} rows (${(statSync(csv).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const db = createDb(`file:${join(dir, "bench.db")}`);
  migrate(db.sqlite);
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
  await db.close();
  if (summary.imported !== rows || summary.rejected.length) throw new Error(`unexpected summary: ${JSON.stringify({ ...summary, rejected: summary.rejected.slice(0, 5) })}`);
  const peakMb = Math.round(Math.max(peakRss, maxRss) / 1e6);
  report({
    name: "clearance-import",
    figures: { rows, seconds: Number(seconds.toFixed(2)), cpuSeconds: Number(cpuSeconds.toFixed(2)), loadAverage1m: Number(loadavg()[0]!.toFixed(1)), rowsPerSecond: Math.round(rows / seconds), peakRssMB: peakMb, rssBeforeMB: Math.round(rssBefore / 1e6) },
    targets: [
      { label: `${rows} rows in ${seconds.toFixed(1)} s (< 20 s)`, ok: seconds < 20 },
      { label: `peak RSS ${peakMb} MB (< 400 MB)`, ok: peakMb < 400 },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
