// Benchmark: POST /api/v1/clearances/check on the real API server (createServer) with 1,000,000
// clearance rows, bearer auth, audit write and masking, rate limit off; then a bare Fastify route
// doing one prepared lookup + one insert on the same database, and the ratio.
// Targets: >= 10,000 checks/s, p99 <= 15 ms, ratio >= 0.5. Load: autocannon, 50 connections, 10 s,
// in a child process. Usage: npx tsx bench/clearance-check.ts [rows] [seconds]
// On PostgreSQL (`npm run bench -- --db pg clearance-check`) also with TWO API processes on the one
// database (this one and a child serving the same app: `--serve <url>`), the load split between
// them, and the bare-driver baseline is the same bare route on the raw `pg` pool, plus raw `pg`
// lookups/s (50 in flight, no HTTP).
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Fastify from "fastify";
import { createDb, createDeps, createInvite, importClearances, redeemInvite, sqlDate, systemActor } from "@xieshui/core/server";
import { createServer } from "../apps/api/src/server.ts";
import { generateInChild, syntheticPlate, syntheticVin } from "./lib/synthetic.ts";
import { runLoad, type LoadResult } from "./lib/http.ts";
import { report } from "./lib/report.ts";
import { createBenchDatabase } from "./lib/db.ts";

const CONFIG = { checkRateLimitPerHour: 0, logLevel: "silent", authAttemptsPerMinute: 0 } as const;

// The second API process: serves the app on the database at `url` and prints its address.
if (process.argv[2] === "--serve") {
  const served = createDb(process.argv[3]!);
  const app = createServer({ deps: createDeps(served), config: CONFIG });
  process.stdout.write(`${await app.listen({ host: "127.0.0.1", port: 0 })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void app.close().then(() => served.close()).then(() => process.exit(0)));
} else {
  await main();
}

/** Starts the second API process on `url`; resolves with its address and a stop function. */
function serveInChild(url: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, "--serve", url], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`API child exited ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) =>
      resolve({
        url: line.trim(),
        stop: () => new Promise<void>((done) => {
          child.removeAllListeners("exit");
          child.once("exit", () => done());
          child.stdin!.end();
        }),
      }),
    );
  });
}

/** Two loads at once (half the connections each), as one result: summed rate, the worse latency. */
async function splitLoad(urls: string[], headers: Record<string, string>, bodies: string[], connections: number, duration: number): Promise<LoadResult> {
  const parts = await Promise.all(urls.map((url) => runLoad({ url, connections: Math.ceil(connections / urls.length), duration, headers, bodies })));
  return parts.reduce((a, b) => ({ ...a, rps: a.rps + b.rps, p50: Math.max(a.p50, b.p50), p99: Math.max(a.p99, b.p99), non2xx: a.non2xx + b.non2xx, errors: a.errors + b.errors, timeouts: a.timeouts + b.timeouts }));
}

async function main(): Promise<void> {
const rows = Math.min(Math.max(Number(process.argv[2] ?? 1_000_000), 1000), 5_000_000);
const seconds = Math.min(Math.max(Number(process.argv[3] ?? 10), 1), 60);
const CONNECTIONS = 50;
const bench = await createBenchDatabase("clearance-check");
const { db, dir } = bench;
try {
  const deps = createDeps(db);
  const csv = join(dir, "clearances.csv");
  const { vehicles } = await generateInChild(csv, rows);
  const t0 = performance.now();
  await importClearances(deps, systemActor("test"), csv);
  rmSync(csv);
  console.error(`seeded ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  await db.prisma.unit.create({ data: { code: "bench-traffic", name: "基准测试交警队", type: "traffic_police" } });
  const { code } = await createInvite(deps, systemActor("test"), { unit: "bench-traffic", roles: ["checker"] });
  const { token } = await redeemInvite(deps, { code }, { kind: "api" });

  // 2,000 keys: plates (some typed in lower case / full width), VINs, and 5% misses.
  const bodies = Array.from({ length: 2000 }, (_, i) => {
    const v = Math.floor(Math.random() * vehicles);
    const key = i % 20 === 0 ? syntheticPlate(vehicles + i) : i % 5 === 0 ? syntheticVin(v) : i % 7 === 0 ? syntheticPlate(v).toLowerCase() : syntheticPlate(v);
    return JSON.stringify({ kind: "vehicle_vessel", key });
  });
  const headers = { authorization: `Bearer ${token}` };

  const app = createServer({ deps, config: CONFIG });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  await runLoad({ url: `${url}/api/v1/clearances/check`, connections: 10, duration: 2, headers, bodies }); // warm-up
  const check = await runLoad({ url: `${url}/api/v1/clearances/check`, connections: CONNECTIONS, duration: seconds, headers, bodies });
  // PostgreSQL: the same load split over two API processes on the one database.
  let two: LoadResult | null = null;
  if (db.dialect === "postgresql") {
    const second = await serveInChild(bench.url);
    try {
      const urls = [url, second.url].map((u) => `${u}/api/v1/clearances/check`);
      await splitLoad(urls, headers, bodies, 10, 2); // warm-up of the second process
      two = await splitLoad(urls, headers, bodies, CONNECTIONS, seconds);
    } finally {
      await second.stop();
    }
  }
  await app.close();

  // Baseline: a bare Fastify route, one prepared lookup and one insert, nothing else.
  const pg = db.dialect === "postgresql" ? db.pg : null;
  const lookup = pg
    ? (key: string) => pg.query({ name: "bench_bare_lookup", text: `SELECT "certificateNo", status, "taxpayerName" FROM "Clearance" WHERE plate = $1 AND "periodEnd" >= $2`, values: [key, "2025-01-01"] }).then((r) => r.rows)
    : ((statement) => (key: string) => statement.all(key, "2025-01-01"))(db.sqlite.prepare<[string, string], { certificateNo: string; status: string }>(`SELECT certificateNo, status, taxpayerName FROM Clearance WHERE plate = ? AND periodEnd >= ?`));
  const insert = pg
    ? (key: string) => pg.query({ name: "bench_bare_insert", text: `INSERT INTO "AuditLog" (at, "userId", "unitId", action, subject, result, detail) VALUES ($1, NULL, NULL, 'bench.bare', $2, 'ok', NULL)`, values: [new Date().toISOString(), key] })
    : ((statement) => (key: string) => statement.run(sqlDate(new Date()), key))(db.sqlite.prepare(`INSERT INTO AuditLog (at, userId, unitId, action, subject, result, detail) VALUES (?, NULL, NULL, 'bench.bare', ?, 'ok', NULL)`));
  const bare = Fastify({ logger: false });
  bare.post("/bare", async (request) => {
    const key = (request.body as { key: string }).key;
    const found = await lookup(key);
    await insert(key);
    return { key, results: found };
  });
  const bareUrl = await bare.listen({ host: "127.0.0.1", port: 0 });
  await runLoad({ url: `${bareUrl}/bare`, connections: 10, duration: 2, headers: {}, bodies });
  const baseline = await runLoad({ url: `${bareUrl}/bare`, connections: CONNECTIONS, duration: seconds, headers: {}, bodies });
  await bare.close();

  // Raw driver lookups/s, no HTTP: 50 in flight for `seconds`.
  const keys = bodies.map((b) => (JSON.parse(b) as { key: string }).key);
  let lookups = 0;
  const until = performance.now() + seconds * 1000;
  const t1 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async (_, w) => {
    for (let i = w; performance.now() < until; i += CONNECTIONS) {
      await lookup(keys[i % keys.length]!);
      lookups++;
    }
  }));
  const rawLookupsPerSecond = Math.round(lookups / ((performance.now() - t1) / 1000));

  const audited = pg
    ? ((await pg.query(`SELECT count(*)::int AS n FROM "AuditLog" WHERE action = 'clearance.check'`)).rows[0] as { n: number }).n
    : (db.sqlite.prepare(`SELECT count(*) AS n FROM AuditLog WHERE action = 'clearance.check'`).get() as { n: number }).n;
  const ratio = check.rps / baseline.rps;
  report({
    name: "clearance-check",
    figures: {
      database: db.dialect,
      rows,
      connections: CONNECTIONS,
      seconds,
      checksPerSecond: Math.round(check.rps),
      checkP50ms: check.p50,
      checkP99ms: check.p99,
      checkNon2xx: check.non2xx,
      checkErrors: check.errors + check.timeouts,
      bareRequestsPerSecond: Math.round(baseline.rps),
      bareP99ms: baseline.p99,
      ratio: Number(ratio.toFixed(2)),
      auditRowsWritten: audited,
      rawLookupsPerSecond,
      ...(two ? { twoProcessesChecksPerSecond: Math.round(two.rps), twoProcessesP99ms: two.p99, twoProcessesNon2xx: two.non2xx, twoProcessesErrors: two.errors + two.timeouts } : {}),
    },
    targets: [
      { label: `${Math.round(check.rps)} checks/s (>= 10,000)`, ok: check.rps >= 10_000 },
      { label: `p99 ${check.p99} ms (<= 15 ms)`, ok: check.p99 <= 15 },
      { label: `ratio ${ratio.toFixed(2)} to the bare route (>= 0.5)`, ok: ratio >= 0.5 },
      { label: `every response 200 (${check.non2xx} non-2xx, ${check.errors} errors)`, ok: check.non2xx === 0 && check.errors === 0 },
    ],
  });
} finally {
  await bench.drop();
}
}
