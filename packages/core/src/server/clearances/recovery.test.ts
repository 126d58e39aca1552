import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { syntheticCertificate, syntheticCsv } from "../../../../../test/factories/clearance-files.ts";
import { createDeps } from "../deps.ts";
import { systemActor } from "../identity/actor.ts";
import { prepareDatabase } from "../seed.ts";
import { importClearances, recoverInterruptedImports } from "./index.ts";
import { IMPORT_LEASE_TTL_MS } from "./import-lease.ts";

// Issue 12: an import killed mid-way left its batch `running` with `imported 0` forever although
// its committed batches were in. The next start marks it `interrupted` with the true counts.

const CHILD = join(import.meta.dirname, "import-kill.child.ts");
const ROWS = 200_000;
const KNOWN = 2_000;
let t: TestDb;

beforeAll(() => {
  t = createTestDb();
});
afterAll(async () => {
  await t.close();
});

/** Starts the importing child and kills it (SIGKILL) once it reports `killAt` rows written. */
function importAndKill(file: string, killAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, t.url, file], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let written = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/progress (\d+)\n/g)) written = Math.max(written, Number(m[1]));
      if (/done\n/.test(out)) reject(new Error("the import finished before it could be killed"));
      if (written >= killAt && child.exitCode === null && !child.killed) child.kill("SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code, signal) => (signal === "SIGKILL" ? resolve(written) : reject(new Error(`child exited ${code}: ${err.slice(-2000)}`))));
  });
}

describe("an import killed mid-way", { timeout: 300_000 }, () => {
  it("is marked interrupted at the next start with the rows it really wrote, in Chinese and English", async () => {
    // Rows the killed import will update: the first KNOWN numbers of its file, imported before.
    await importClearances(t.deps, systemActor("test"), { stream: syntheticCsv(KNOWN), fileName: "earlier.csv" });
    const file = join(t.dir, "big.csv");
    await pipeline(syntheticCsv(ROWS), createWriteStream(file));

    const written = await importAndKill(file, 8_000);
    expect(written).toBeGreaterThanOrEqual(8_000);
    const batch = await t.db.prisma.clearanceImportBatch.findFirstOrThrow({ where: { fileName: "big.csv" } });
    // What it looked like before: running, nothing counted, although rows are committed.
    expect(batch).toMatchObject({ status: "running", imported: 0, updated: 0 });
    const total = await t.db.prisma.clearance.count();
    expect(total - KNOWN).toBeGreaterThan(0);

    // Started again at once: the killed holder's lease is still live for IMPORT_LEASE_TTL_MS, and
    // recovery must not take a batch of an import that may still be running.
    expect(await recoverInterruptedImports(t.deps)).toEqual([]);
    expect((await t.db.prisma.clearanceImportBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("running");

    // Started again once the lease has lapsed: prepareDatabase (every process's start) recovers it.
    const later = createDeps(t.db, { clock: createFixedClock(new Date(Date.now() + IMPORT_LEASE_TTL_MS + 60_000).toISOString()) });
    await prepareDatabase(later, { demo: false });
    const after = await t.db.prisma.clearanceImportBatch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(after).toMatchObject({ status: "interrupted", imported: total - KNOWN, updated: KNOWN, rejected: 0 });
    expect(after.imported + after.updated).toBeGreaterThanOrEqual(written);
    expect(after.finishedAt).not.toBeNull();
    // The message: both languages, the counts, no internals (ids, statuses, database words).
    const [zh, en] = after.error!.split("\n");
    expect(zh).toContain(`已保存 ${total - KNOWN} 条新记录`);
    expect(zh).toContain(`更新 ${KNOWN} 条`);
    expect(en).toContain(`${total - KNOWN} new records were saved and ${KNOWN} updated`);
    expect(after.error).not.toMatch(new RegExp(`${batch.id}|running|interrupted|batchId|SQLITE|postgres|lease|undefined|\\{`, "i"));
    // Idempotent: a second start changes nothing.
    expect(await recoverInterruptedImports(later)).toEqual([]);

    // The file imported again completes: the numbers already in are updated, never duplicated.
    const again = await importClearances(later, systemActor("test"), file);
    expect(again).toMatchObject({ imported: ROWS - total, updated: total, complete: true });
    expect(await t.db.prisma.clearance.count()).toBe(ROWS);
    expect(await t.db.prisma.clearance.findUnique({ where: { certificateNo: syntheticCertificate(0) } })).not.toBeNull();
  });

  it("is recovered by the next import too, once that import holds the lease", async () => {
    const stale = await t.db.prisma.clearanceImportBatch.create({ data: { fileName: "stale.csv", startedAt: new Date(Date.now() - 3_600_000), status: "running" } });
    await importClearances(t.deps, systemActor("test"), { stream: syntheticCsv(3), fileName: "next.csv" });
    expect(await t.db.prisma.clearanceImportBatch.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({ status: "interrupted", imported: 0, updated: 0 });
    expect(await t.db.prisma.clearanceImportBatch.findFirstOrThrow({ where: { fileName: "next.csv" } })).toMatchObject({ status: "done" });
  });
});
