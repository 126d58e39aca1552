import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { syntheticCertificate, syntheticCsv, writeSyntheticXlsx } from "../../../../../test/factories/clearance-files.ts";
import { systemActor } from "../identity/actor.ts";
import { importClearances, MAX_REJECTED_LISTED } from "./index.ts";

// THE HEAVIEST TESTS OF THE SUITE (issue 7 point 5): a million rows in both modes, 200,000 bad
// rows, a 100,000-row XLSX in a small reader heap. Each used to fail with a 500: a spread into push overflowed the stack on
// 200,000 rejected rows; a dry run kept every certificate number in the reading worker until its
// heap ran out (487,000 rows; 300,000 for an XLSX, whose shared strings sat in the same heap).
// Files are generated as streams, never held whole. 1–3 minutes on the shared 2-core machine.

const operator = systemActor("test");
const MILLION = 1_000_000;
let t: TestDb;
beforeAll(() => {
  t = createTestDb();
});
afterAll(async () => {
  await t.close();
});

// Every 10,000th row repeats the number of the row 5,000 before it (another batch); every
// 25,000th row (offset 7) has a bad amount.
const plan = (i: number) => (i % 10_000 === 9_999 ? { certificate: syntheticCertificate(i - 5_000) } : i % 25_000 === 7 ? { bad: true } : undefined);
const DUPLICATES = MILLION / 10_000;
const BAD = MILLION / 25_000;
let dryRejected: unknown[] = [];

describe("a million-row clearance export", { timeout: 600_000 }, () => {
  it("dry-runs a 100,000-row XLSX export in a reader heap of 40 MB", async () => {
    // ~250,000 distinct shared strings and 100,000 certificate numbers: kept in the reader's heap,
    // as they were, they would not fit beside exceljs's own work (measured: exceljs alone needs
    // 24–32 MB, the same for 20,000 and 80,000 rows, now that nothing grows with the file).
    const path = join(t.dir, "big.xlsx");
    await writeSyntheticXlsx(path, 100_000, (i) => (i === 99_999 ? { certificate: syntheticCertificate(10) } : undefined));
    const summary = await importClearances(t.deps, operator, path, { dryRun: true, parallel: true, readerHeapMb: 40 });
    expect(summary).toMatchObject({ imported: 99_999, updated: 0, rejectedCount: 1, complete: true });
    expect(summary.rejected).toEqual([{ line: 100_001, reason: expect.stringContaining(syntheticCertificate(10)) }]);
  });

  it("dry-runs a million rows in bounded memory, finding the duplicates across batches", async () => {
    const summary = await importClearances(t.deps, operator, { stream: syntheticCsv(MILLION, plan), fileName: "million.csv" }, { dryRun: true });
    expect(summary).toMatchObject({ imported: MILLION - DUPLICATES - BAD, updated: 0, rejectedCount: DUPLICATES + BAD, rejectedTruncated: false, complete: true });
    expect(summary.rejected.filter((r) => r.reason.startsWith("凭证号：")).map((r) => r.line)).toEqual(Array.from({ length: DUPLICATES }, (_, k) => k * 10_000 + 9_999 + 2));
    expect(await t.db.prisma.clearance.count()).toBe(0);
    dryRejected = summary.rejected;
  });

  it("imports a million rows, reporting the same rejected rows as the dry run", async () => {
    const real = await importClearances(t.deps, operator, { stream: syntheticCsv(MILLION, plan), fileName: "million.csv" });
    expect(real).toMatchObject({ imported: MILLION - DUPLICATES - BAD, updated: 0, rejectedCount: DUPLICATES + BAD, complete: true });
    expect(real.rejected).toEqual(dryRejected);
    expect(await t.db.prisma.clearance.count()).toBe(MILLION - DUPLICATES - BAD);
  });

  it("rejects 200,000 bad rows without failing, listing the first 1,000 and counting the rest", async () => {
    const summary = await importClearances(t.deps, operator, { stream: syntheticCsv(200_000, () => ({ bad: true })), fileName: "bad.csv" });
    expect(summary).toMatchObject({ imported: 0, updated: 0, rejectedCount: 200_000, rejectedTruncated: true, complete: true });
    expect(summary.rejected).toHaveLength(MAX_REJECTED_LISTED);
    expect(summary.rejected.at(-1)!.line).toBe(MAX_REJECTED_LISTED + 1);
    expect(await t.db.prisma.clearanceImportBatch.findUniqueOrThrow({ where: { id: summary.batchId! } })).toMatchObject({ rejected: 200_000, status: "done" });
  });

});
