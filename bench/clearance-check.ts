// Benchmark: POST /api/v1/clearances/check on the real API server (createServer) with 1,000,000
// clearance rows, bearer auth, audit write and masking, rate limit off; then a bare Fastify route
// doing one prepared lookup + one insert on the same database, and the ratio.
// Targets: >= 10,000 checks/s, p99 <= 15 ms, ratio >= 0.5. Load: autocannon, 50 connections, 10 s,
// in a child process. Usage: npx tsx bench/clearance-check.ts [rows] [seconds]
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import Fastify from "fastify";
import { createDb, createDeps, createInvite, importClearances, migrate, redeemInvite, sqlDate, systemActor } from "@xieshui/core/server";
import { createServer } from "../apps/api/src/server.ts";
import { generateInChild, syntheticPlate, syntheticVin } from "./lib/synthetic.ts";
import { runLoad } from "./lib/http.ts";
import { report } from "./lib/report.ts";

const rows = Math.min(Math.max(Number(process.argv[2] ?? 1_000_000), 1000), 5_000_000);
const seconds = Math.min(Math.max(Number(process.argv[3] ?? 10), 1), 60);
const CONNECTIONS = 50;
const dir = mkdtempSync(join(tmpdir(), "xs-bench-check-"));
const db = createDb(`file:${join(dir, "bench.db")}`);
try {
  migrate(db.sqlite);
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

  const app = createServer({ deps, config: { checkRateLimitPerHour: 0, logLevel: "silent", authAttemptsPerMinute: 0 } });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  await runLoad({ url: `${url}/api/v1/clearances/check`, connections: 10, duration: 2, headers, bodies }); // warm-up
  const check = await runLoad({ url: `${url}/api/v1/clearances/check`, connections: CONNECTIONS, duration: seconds, headers, bodies });
  await app.close();

  // Baseline: a bare Fastify route, one prepared lookup and one insert, nothing else.
  const lookup = db.sqlite.prepare<[string, string], { certificateNo: string; status: string }>(`SELECT certificateNo, status, taxpayerName FROM Clearance WHERE plate = ? AND periodEnd >= ?`);
  const insert = db.sqlite.prepare(`INSERT INTO AuditLog (at, userId, unitId, action, subject, result, detail) VALUES (?, NULL, NULL, 'bench.bare', ?, 'ok', NULL)`);
  const bare = Fastify({ logger: false });
  bare.post("/bare", async (request) => {
    const key = (request.body as { key: string }).key;
    const found = lookup.all(key, "2025-01-01");
    insert.run(sqlDate(new Date()), key);
    return { key, results: found };
  });
  const bareUrl = await bare.listen({ host: "127.0.0.1", port: 0 });
  await runLoad({ url: `${bareUrl}/bare`, connections: 10, duration: 2, headers: {}, bodies });
  const baseline = await runLoad({ url: `${bareUrl}/bare`, connections: CONNECTIONS, duration: seconds, headers: {}, bodies });
  await bare.close();

  const audited = (db.sqlite.prepare(`SELECT count(*) AS n FROM AuditLog WHERE action = 'clearance.check'`).get() as { n: number }).n;
  const ratio = check.rps / baseline.rps;
  report({
    name: "clearance-check",
    figures: {
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
    },
    targets: [
      { label: `${Math.round(check.rps)} checks/s (>= 10,000)`, ok: check.rps >= 10_000 },
      { label: `p99 ${check.p99} ms (<= 15 ms)`, ok: check.p99 <= 15 },
      { label: `ratio ${ratio.toFixed(2)} to the bare route (>= 0.5)`, ok: ratio >= 0.5 },
      { label: `every response 200 (${check.non2xx} non-2xx, ${check.errors} errors)`, ok: check.non2xx === 0 && check.errors === 0 },
    ],
  });
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
