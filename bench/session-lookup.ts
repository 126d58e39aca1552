// Benchmark: the session lookup every API request makes (authenticate → the identity hot path), in
// process, no HTTP: 1,000 sessions, looked up round-robin. Two phases:
// - cached: a fixed clock, so lookups reuse the 1 s per-connection cache (the common case under load);
// - uncached: the clock moves 2 s per lookup, so every lookup runs the prepared statement, and the
//   clock crosses the hourly renewal point again and again (sliding sessions hand each session to a
//   background renewal at most once per simulated hour).
// Same script before and after a change: it uses only createDb/createDeps/createInvite/redeemInvite/
// authenticate. Usage: npx tsx bench/session-lookup.ts [lookups]
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { authenticate, createDb, createDeps, createFixedClock, createInvite, migrate, redeemInvite, systemActor } from "@xieshui/core/server";
import { report } from "./lib/report.ts";

const lookups = Math.min(Math.max(Number(process.argv[2] ?? 200_000), 10_000), 5_000_000);
const SESSIONS = 1000;
const dir = mkdtempSync(join(tmpdir(), "xs-bench-session-"));
const db = createDb(`file:${join(dir, "bench.db")}`);
try {
  migrate(db.sqlite);
  const clock = createFixedClock("2026-12-01T02:00:00Z");
  const deps = createDeps(db, { clock });
  await db.prisma.unit.create({ data: { code: "bench-village", name: "基准测试村", type: "village" } });
  const tokens: string[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const { code } = await createInvite(deps, systemActor("test"), { unit: "bench-village", roles: ["reporter"] });
    tokens.push((await redeemInvite(deps, { code }, { kind: "api" })).token!);
  }

  const run = async (advanceMs: number) => {
    let found = 0;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < lookups; i++) {
      if (advanceMs) clock.advance(advanceMs);
      if (await authenticate(deps, tokens[i % SESSIONS])) found++;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    // CPU time per lookup: what the lookup itself costs, much less sensitive than wall time to a shared machine.
    return { perSecond: Math.round(lookups / seconds), cpuUs: Number(((cpu.user + cpu.system) / lookups).toFixed(2)), found };
  };
  await run(0); // warm-up
  const cached = await run(0);
  const uncached = await run(2000);
  // Let background renewals (if any) finish before counting them.
  await new Promise((r) => setTimeout(r, 500));
  const renewed = (db.sqlite.prepare(`SELECT count(*) AS n FROM Session WHERE expiresAt > ?`).get(new Date(clock.now().getTime()).toISOString().replace("Z", "+00:00")) as { n: number }).n;
  report({
    name: "session-lookup",
    figures: {
      sessions: SESSIONS,
      lookups,
      cachedPerSecond: cached.perSecond,
      cachedCpuUsPerLookup: cached.cpuUs,
      uncachedPerSecond: uncached.perSecond,
      uncachedCpuUsPerLookup: uncached.cpuUs,
      uncachedFound: uncached.found,
      simulatedHours: Math.round((lookups * 2) / 3600),
      sessionsAliveAtEnd: renewed,
    },
    targets: [
      { label: `every cached lookup found its session (${cached.found}/${lookups})`, ok: cached.found === lookups },
      { label: `every uncached lookup found its session (${uncached.found}/${lookups})`, ok: uncached.found === lookups },
    ],
  });
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
