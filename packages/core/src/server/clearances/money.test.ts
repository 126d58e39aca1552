import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { syntheticRow } from "../../../../../test/factories/clearance-files.ts";
import { CLEARANCE_COLUMNS } from "../../domain/clearance.ts";
import { systemActor } from "../identity/actor.ts";
import { importClearances } from "./index.ts";

// Issue 12 point 2: money is integer fen in a 64-bit column. A 32-bit column would stop at
// 2,147,483,647 fen (21,474,836.47 yuan); a property transfer's tax can be far larger.

let t: TestDb;
beforeAll(() => {
  t = createTestDb();
});
afterAll(async () => {
  await t.close();
});

/** A one-row export: synthetic row `i` (a vehicle row) with the given amount in yuan. */
const file = (i: number, amount: string) => {
  const row = syntheticRow(i);
  row[11] = `"${amount}"`; // quoted: the thousands separators are commas
  return { stream: Readable.from([Buffer.from(`${CLEARANCE_COLUMNS.join(",")}\n${row.join(",")}\n`)]), fileName: "money.csv" };
};

/** The stored amount as the raw driver of this database reads it (a JS number on both). */
async function rawAmount(certificateNo: string): Promise<unknown> {
  if (t.db.dialect === "postgresql") {
    return (await t.db.pg.query(`SELECT "amountFen" FROM "Clearance" WHERE "certificateNo" = $1`, [certificateNo])).rows[0]?.amountFen;
  }
  return (t.db.sqlite.prepare(`SELECT amountFen FROM Clearance WHERE certificateNo = ?`).get(certificateNo) as { amountFen: unknown } | undefined)?.amountFen;
}

describe("amounts in fen", () => {
  it("imports 99,999,999,999.99 yuan and reads it back exactly, through the raw driver and through Prisma", async () => {
    const certificateNo = syntheticRow(0)[0]!;
    expect(await importClearances(t.deps, systemActor("test"), file(0, "99,999,999,999.99"), { parallel: false })).toMatchObject({ imported: 1, rejectedCount: 0 });
    expect(await rawAmount(certificateNo)).toBe(9_999_999_999_999);
    expect((await t.db.prisma.clearance.findUniqueOrThrow({ where: { certificateNo } })).amountFen).toBe(9_999_999_999_999n);
    // Aggregates stay exact too.
    expect((await t.db.prisma.clearance.aggregate({ _sum: { amountFen: true } }))._sum.amountFen).toBe(9_999_999_999_999n);
  });

  it("updates an amount just above the 32-bit limit (21,474,836.48 yuan) on re-import", async () => {
    const certificateNo = syntheticRow(0)[0]!;
    expect(await importClearances(t.deps, systemActor("test"), file(0, "21474836.48"), { parallel: false })).toMatchObject({ imported: 0, updated: 1 });
    expect(await rawAmount(certificateNo)).toBe(2_147_483_648);
    expect((await t.db.prisma.clearance.findUniqueOrThrow({ where: { certificateNo } })).amountFen).toBe(2_147_483_648n);
  });

  it("refuses an amount of more than 12 digits of yuan with the row's line", async () => {
    const summary = await importClearances(t.deps, systemActor("test"), file(2, "1000000000000.00"), { parallel: false });
    expect(summary).toMatchObject({ imported: 0, updated: 0, rejectedCount: 1 });
    expect(summary.rejected[0]).toMatchObject({ line: 2 });
  });
});
