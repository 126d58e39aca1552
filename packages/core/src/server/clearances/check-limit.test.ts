import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, createDeps, type Db, type Deps } from "../index.ts";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../../../test/factories/paths.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import { isAppError } from "../errors.ts";
import { checkClearance, importClearances } from "./index.ts";

// The per-user hourly limit must hold however the checks arrive: all at once (a pipelined burst
// whose audit rows are still waiting for the group commit), or through two connections to one
// file (two server processes). Issue 7 point 3: 300 of 300 pipelined checks passed a limit of 5.

let t: TestDb;
const clock = createFixedClock("2026-11-26T04:00:00Z");

beforeAll(async () => {
  t = createTestDb({ clock });
  await importClearances(t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
});
afterAll(async () => {
  await t.close();
});

const body = { kind: "vehicle_vessel", key: "豫HMC8R6" };

/** Settles every attempt and counts answers vs 429s (anything else fails the test). */
async function outcomes(attempts: Promise<unknown>[]): Promise<{ answered: number; limited: number }> {
  let answered = 0;
  let limited = 0;
  for (const r of await Promise.allSettled(attempts)) {
    if (r.status === "fulfilled") answered++;
    else if (isAppError(r.reason) && r.reason.code === "rate_limited") limited++;
    else throw r.reason;
  }
  return { answered, limited };
}

async function auditResults(actor: Actor): Promise<Record<string, number>> {
  const rows = await t.db.prisma.auditLog.groupBy({ by: ["result"], where: { action: "clearance.check", userId: actor.userId }, _count: true });
  return Object.fromEntries(rows.map((r) => [r.result, r._count]));
}

describe("the per-user check limit under concurrency", () => {
  it("answers exactly `limit` of 300 checks started at once, refusing the rest with 429, all audited", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" });
    const burst = Array.from({ length: 300 }, () => checkClearance(t.deps, actor, body, { rateLimitPerHour: 5 }));
    expect(await outcomes(burst)).toEqual({ answered: 5, limited: 295 });
    expect(await auditResults(actor)).toEqual({ cleared: 5, rate_limited: 295 });
    // The next hour starts afresh.
    clock.advance(3_600_001);
    await checkClearance(t.deps, actor, body, { rateLimitPerHour: 5 });
    clock.set("2026-11-26T04:00:00Z");
  });

  it("counts invalid attempts of a burst against the limit as committed ones are", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" });
    const burst = Array.from({ length: 20 }, (_, i) => checkClearance(t.deps, actor, i % 2 ? body : { kind: "vehicle_vessel", key: "豫I00000" }, { rateLimitPerHour: 4 }));
    const settled = await Promise.allSettled(burst);
    const codes = settled.map((r) => (r.status === "fulfilled" ? "ok" : isAppError(r.reason) ? r.reason.code : "other"));
    if (t.db.dialect === "sqlite") {
      // In order: each check counts and queues synchronously.
      expect(codes.slice(0, 4)).toEqual(["invalid_input", "ok", "invalid_input", "ok"]);
      expect(codes.slice(4).every((c) => c === "rate_limited")).toBe(true);
    } else {
      // Each check awaits its lookups, so which 4 are admitted depends on the round trips; exactly
      // 4 (invalid or answered: an invalid attempt counts like an answered one), the rest refused.
      expect(codes.filter((c) => c !== "rate_limited")).toHaveLength(4);
      expect(codes.every((c) => c === "ok" || c === "invalid_input" || c === "rate_limited")).toBe(true);
    }
  });

  it("holds across two connections to one database file, as two server processes would share it", async () => {
    const second: Db = createDb(t.url);
    const other: Deps = createDeps(second, { clock });
    try {
      const { actor } = await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" });
      const attempts: Promise<unknown>[] = [];
      // Interleaved on both connections within one event-loop turn: each connection's burst waits
      // for its own group commit, so neither has seen the other's rows when it decides.
      for (let i = 0; i < 10; i++) {
        attempts.push(checkClearance(t.deps, actor, body, { rateLimitPerHour: 5 }));
        attempts.push(checkClearance(other, actor, body, { rateLimitPerHour: 5 }));
      }
      expect(await outcomes(attempts)).toEqual({ answered: 5, limited: 15 });
      expect(await auditResults(actor)).toEqual({ cleared: 5, rate_limited: 15 });
    } finally {
      await second.close();
    }
  });

  it("holds exactly for 200 concurrent checks by one user split across two databases handles, over several turns", async () => {
    const second: Db = createDb(t.url);
    const other: Deps = createDeps(second, { clock });
    try {
      const { actor } = await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" });
      const attempts: Promise<unknown>[] = [];
      // 200 checks in 10 waves a few milliseconds apart, so several group commits of each
      // "process" race the other's (not only the first one).
      for (let wave = 0; wave < 10; wave++) {
        for (let i = 0; i < 10; i++) {
          for (const deps of [t.deps, other]) {
            const attempt = checkClearance(deps, actor, body, { rateLimitPerHour: 37 });
            attempt.catch(() => {}); // settled by outcomes() below; refused ones must not count as unhandled meanwhile
            attempts.push(attempt);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      expect(await outcomes(attempts)).toEqual({ answered: 37, limited: 163 });
      expect(await auditResults(actor)).toEqual({ cleared: 37, rate_limited: 163 });
    } finally {
      await second.close();
    }
  });

  it("leaves unlimited checks (limit 0) alone however many arrive at once", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" });
    const burst = Array.from({ length: 50 }, () => checkClearance(t.deps, actor, body, { rateLimitPerHour: 0 }));
    expect(await outcomes(burst)).toEqual({ answered: 50, limited: 0 });
  });
});

describe("the limit's count", () => {
  // prisma/migrations/20261201194000_check_quota_index: the count must read only counted rows, so
  // a flood of refused attempts (or everyone else's checks) cannot make each check slower.
  it("reads the partial quota index, never the rate-limited rows or other users' checks", async () => {
    if (t.db.dialect === "postgresql") {
      // The count of fast-store-pg.ts, with scans ruled out (the table is small here).
      const c = await t.db.pg.connect();
      try {
        await c.query("BEGIN");
        await c.query("SET LOCAL enable_seqscan = off");
        const { rows } = await c.query(`EXPLAIN SELECT count(*)::int AS n FROM "AuditLog" WHERE "userId" = 'u' AND at >= '2026-01-01' AND action = 'clearance.check' AND result <> 'rate_limited'`);
        const plan = rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("; ");
        expect(plan).toMatch(/Index (Only )?Scan using "AuditLog_check_quota_partial"/);
        expect(plan).not.toMatch(/Filter/);
      } finally {
        await c.query("ROLLBACK");
        c.release();
      }
      return;
    }
    const plan = (t.db.sqlite.prepare(
      `EXPLAIN QUERY PLAN SELECT count(*) AS n FROM AuditLog WHERE userId = ? AND at >= ? AND action = 'clearance.check' AND result <> 'rate_limited'`,
    ).all("u", "2026-01-01") as { detail: string }[]).map((r) => r.detail).join("; ");
    expect(plan).toMatch(/USING (COVERING )?INDEX AuditLog_check_quota_partial \(userId=\? AND at>\?\)/);
  });

  it("stays exact after a flood of refused attempts", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" });
    for (let round = 0; round < 3; round++) {
      const burst = Array.from({ length: 200 }, () => checkClearance(t.deps, actor, body, { rateLimitPerHour: 3 }));
      expect(await outcomes(burst)).toEqual({ answered: round === 0 ? 3 : 0, limited: round === 0 ? 197 : 200 });
    }
    expect(await auditResults(actor)).toEqual({ cleared: 3, rate_limited: 597 });
  });
});
