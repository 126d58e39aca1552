import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../test/factories/db.ts";
import { createDb, type Db } from "./db.ts";
import { createDeps, type Deps } from "./deps.ts";
import { periodEnd, runOncePerPeriod } from "./jobs.ts";

const clock = createFixedClock("2026-12-01T02:00:00Z"); // 10:00 CST
let t: TestDb;
let dbA: Db;
let dbB: Db;
let a: Deps;
let b: Deps;

beforeAll(() => {
  t = createTestDb({ clock });
  // Two "processes": each with its own connections to the same database.
  dbA = createDb(t.url);
  dbB = createDb(t.url);
  a = createDeps(dbA, { clock });
  b = createDeps(dbB, { clock });
}, 60_000);
afterAll(async () => {
  await dbA.close();
  await dbB.close();
  await t.close();
});

/** Eight callers at once, alternating between the two processes; how many times the job body ran. */
async function race(job: string, period: Parameters<typeof runOncePerPeriod>[2]): Promise<{ runs: number; ran: boolean[] }> {
  let runs = 0;
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      runOncePerPeriod(i % 2 ? a : b, job, period, async () => {
        runs += 1;
        return runs;
      }),
    ),
  );
  return { runs, ran: results.map((r) => r.ran) };
}

describe("runOncePerPeriod", { timeout: 60_000 }, () => {
  it("runs a daily job once per CST day however many processes race for it, and again the next day", async () => {
    const first = await race("test-daily", "cst-day");
    expect(first.runs).toBe(1);
    expect(first.ran.filter(Boolean)).toHaveLength(1);
    clock.set("2026-12-01T15:59:00Z"); // 23:59 CST, same day
    expect((await race("test-daily", "cst-day")).runs).toBe(0);
    clock.set("2026-12-01T16:00:00Z"); // 00:00 CST the next day
    expect((await race("test-daily", "cst-day")).runs).toBe(1);
    expect(await t.db.prisma.jobLease.findUniqueOrThrow({ where: { name: "test-daily" } })).toMatchObject({ expiresAt: new Date("2026-12-02T16:00:00Z") });
  });

  it("runs a 15-minute job once per window aligned to the quarter hour", async () => {
    clock.set("2026-12-02T03:07:00Z");
    expect(periodEnd(clock.now(), { everyMs: 15 * 60_000 })).toEqual(new Date("2026-12-02T03:15:00Z"));
    expect((await race("test-quarter", { everyMs: 15 * 60_000 })).runs).toBe(1);
    clock.set("2026-12-02T03:14:59Z");
    expect((await race("test-quarter", { everyMs: 15 * 60_000 })).runs).toBe(0);
    clock.set("2026-12-02T03:15:00Z");
    expect((await race("test-quarter", { everyMs: 15 * 60_000 })).runs).toBe(1);
  });

  it("gives the period back when the job fails, so the next tick (in any process) retries it", async () => {
    clock.set("2026-12-03T02:00:00Z");
    await expect(runOncePerPeriod(a, "test-failing", "cst-day", async () => Promise.reject(new Error("disk full")))).rejects.toThrow("disk full");
    expect(await t.db.prisma.jobLease.findUnique({ where: { name: "test-failing" } })).toBeNull();
    expect(await runOncePerPeriod(b, "test-failing", "cst-day", async () => "done")).toEqual({ ran: true, result: "done" });
    expect(await runOncePerPeriod(a, "test-failing", "cst-day", async () => "again")).toEqual({ ran: false });
  });

  it("keeps jobs apart by name and refuses a period shorter than a second", async () => {
    clock.set("2026-12-04T02:00:00Z");
    expect((await race("test-one", "cst-day")).runs).toBe(1);
    expect((await race("test-two", "cst-day")).runs).toBe(1);
    await expect(runOncePerPeriod(a, "test-bad", { everyMs: 10 }, async () => 1)).rejects.toThrow(/at least 1000/);
  });
});
