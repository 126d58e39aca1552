import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { syntheticRow, writeSyntheticXlsx } from "../../../../../test/factories/clearance-files.ts";
import { parseSax } from "../xlsx-stream.ts";
import { systemActor } from "../identity/actor.ts";
import { importClearances } from "./index.ts";

// exceljs's streaming reader decoded each chunk of XML on its own, so a Chinese character whose
// UTF-8 bytes straddled two chunks came out as U+FFFD: plates were refused and names stored as
// "��三" (a couple per 10,000 rows of a real-sized export). See core/server/xlsx-stream.ts.

let t: TestDb;
beforeAll(() => {
  t = createTestDb();
});
afterAll(async () => {
  await t.close();
});

describe("XLSX exports with Chinese text", { timeout: 120_000 }, () => {
  it("reads every plate and name of a 20,000-row export intact, in the worker and in-thread", async () => {
    const path = join(t.dir, "names.xlsx");
    await writeSyntheticXlsx(path, 20_000);
    const dry = await importClearances(t.deps, systemActor("test"), path, { dryRun: true, parallel: false });
    expect(dry).toMatchObject({ imported: 20_000, rejectedCount: 0 });
    const real = await importClearances(t.deps, systemActor("test"), path, { parallel: true });
    expect(real).toMatchObject({ imported: 20_000, rejectedCount: 0 });
    const rows = await t.db.prisma.clearance.findMany({ select: { certificateNo: true, taxpayerName: true, plate: true } });
    const wrong = rows.filter((r) => {
      const expected = syntheticRow(Number(r.certificateNo) - 300000000000000);
      return r.taxpayerName !== expected[7] || (r.plate ?? "") !== expected[3];
    });
    expect(wrong).toEqual([]);
    expect(rows.some((r) => r.taxpayerName?.includes("\uFFFD"))).toBe(false);
  });

  it("leaves no temporary copy of the worksheet behind", async () => {
    // exceljs copies a worksheet to a temporary file (tmp-<pid>-…) until the shared strings are
    // read, and deletes it only when its reader moves past it: stopping after the first sheet
    // left ~150 MB per 300,000-row import in the temp folder until the process exited.
    const mine = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`));
    const path = join(t.dir, "small.xlsx");
    await writeSyntheticXlsx(path, 50);
    const before = mine();
    const left = () => mine().filter((f) => !before.includes(f));
    // In the worker: gone when the import returns (the worker is no longer cut off before its
    // clean-up has run, which left the copy behind on a busy machine).
    for (let i = 0; i < 5; i++) {
      await importClearances(t.deps, systemActor("test"), path, { dryRun: true, parallel: true });
      expect(left()).toEqual([]);
    }
    // In this thread: deleted asynchronously just after the last row.
    await importClearances(t.deps, systemActor("test"), path, { dryRun: true, parallel: false });
    await expect.poll(left, { timeout: 5_000 }).toEqual([]);
  });

  it("keeps a character whole when its bytes arrive in two chunks", async () => {
    const bytes = Buffer.from("<si><t>大家好，才是真的好</t></si>");
    const texts: unknown[] = [];
    for await (const events of parseSax((async function* () {
      yield bytes.subarray(0, 20);
      yield bytes.subarray(20);
    })())) {
      for (const e of events) if (e.eventType === "text") texts.push(e.value);
    }
    expect(texts.join("")).toBe("大家好，才是真的好");
  });
});
