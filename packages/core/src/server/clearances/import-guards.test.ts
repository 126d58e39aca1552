import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEARANCE_COLUMNS, withIdCheckChar } from "../../domain/index.ts";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { createDb, createDeps, MMAP_BYTES } from "../index.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import { checkClearance, importClearances, MAX_REJECTED_LISTED, type ClearanceImportSummary } from "./index.ts";

// Issue 7 point 5: who may import, one import at a time (across processes), the checks'
// connection untouched by imports, and a bounded list of rejected rows.

const HEADER = CLEARANCE_COLUMNS.join(",");
const ID = withIdCheckChar("41010619900101123");
const line = (cert: string, over: Partial<Record<string, string>> = {}) => {
  const r: Record<string, string> = {
    certificate_no: cert, kind: "vehicle_vessel", tax: "车船税", plate: "豫A12345", vin: "", contract_no: "",
    taxpayer_id: ID, taxpayer_name: "张小三", period_start: "2026-01-01", period_end: "2026-12-31", status: "paid", amount: "480.00", paid_on: "2026-03-01", ...over,
  };
  return CLEARANCE_COLUMNS.map((c) => r[c]).join(",");
};
const csv = (...lines: string[]) => `${[HEADER, ...lines].join("\n")}\n`;
const upload = (text: string, fileName = "upload.csv") => ({ stream: Readable.from([Buffer.from(text)]), fileName });
// Reading in-thread where the worker thread is beside the point (it costs 1–4 s to start here).
const inThread = { parallel: false } as const;

let t: TestDb;
const clock = createFixedClock("2026-11-26T04:00:00Z");
const operator = systemActor("test");
let taxOfficer: Actor;
let coordinator: Actor;
let admin: Actor;
let checker: Actor;

beforeAll(async () => {
  t = createTestDb({ clock });
  taxOfficer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).actor;
  admin = (await makeUser(t.deps, { roles: ["admin"], unitType: "other" })).actor;
  checker = (await makeUser(t.deps, { roles: ["checker"], unitType: "traffic_police" })).actor;
});
afterAll(async () => {
  await t.close();
});

/** An import fed through a stream the test controls: it stays running until `end()`. */
function openImport(deps = t.deps, opts: Parameters<typeof importClearances>[3] = {}) {
  const stream = new PassThrough();
  const done = importClearances(deps, operator, { stream, fileName: "slow.csv" }, { batchSize: 2, ...opts });
  done.catch(() => {});
  return {
    done,
    write: (text: string) => stream.write(text),
    end: (text = "") => stream.end(text),
  };
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const leaseHeld = async () => (await t.db.prisma.jobLease.count()) === 1;

/**
 * The settings of the connection that serves checks. SQLite: its pragmas (the import's own
 * connection sets others). PostgreSQL: the settings of a pool connection and whether the import's
 * temporary table is visible on it (it must live on the import's own connection only).
 */
const pragmas = async (): Promise<Record<string, unknown>> => {
  if (t.db.dialect === "postgresql") {
    const { rows } = await t.db.pg.query(`SELECT current_setting('work_mem') AS "workMem", current_setting('synchronous_commit') AS "syncCommit",
      to_regclass('pg_temp.import_seen') IS NULL AS "noImportTable"`);
    return rows[0] as Record<string, unknown>;
  }
  return {
    mmap: t.db.sqlite.pragma("mmap_size", { simple: true }),
    cache: t.db.sqlite.pragma("cache_size", { simple: true }),
    checkpoint: t.db.sqlite.pragma("wal_autocheckpoint", { simple: true }),
  };
};

describe("who may import clearances", { timeout: 60_000 }, () => {
  it("lets only tax officers import for real, and tells coordinators and admins they may dry-run", async () => {
    const file = csv(line("ROLE000001"));
    for (const actor of [coordinator, admin]) {
      const err = await expectAppError(importClearances(t.deps, actor, upload(file), inThread));
      expect(err).toMatchObject({ code: "forbidden", reason: "import_tax_officer_only", messageKey: "clearance-import-real-role" });
      expect(await importClearances(t.deps, actor, upload(file), { ...inThread, dryRun: true })).toMatchObject({ imported: 1, dryRun: true, batchId: null });
    }
    expect(await t.db.prisma.clearance.count({ where: { certificateNo: "ROLE000001" } })).toBe(0);
    expect(await t.db.prisma.clearanceImportBatch.count()).toBe(0);
    expect(await importClearances(t.deps, taxOfficer, upload(file), inThread)).toMatchObject({ imported: 1, dryRun: false });
    expect(await importClearances(t.deps, operator, upload(csv(line("ROLE000002"))), inThread)).toMatchObject({ imported: 1 });
  });

  it("refuses everyone else, dry run or not", async () => {
    const file = csv(line("ROLE000003"));
    for (const dryRun of [true, false]) {
      expect(await expectAppError(importClearances(t.deps, checker, upload(file), { dryRun }))).toMatchObject({ code: "forbidden", reason: "role_required" });
    }
  });
});

describe("one import at a time", { timeout: 60_000 }, () => {
  it("refuses an overlapping import with 409, from this process or another, and runs it once the first is done", async () => {
    const first = openImport();
    first.write(csv(line("LEASE00001"), line("LEASE00002")));
    await until(leaseHeld, "the first import's lease");
    const busy = await expectAppError(importClearances(t.deps, taxOfficer, upload(csv(line("LEASE00003")))));
    expect(busy).toMatchObject({ code: "conflict", reason: "import_running", messageKey: "clearance-import-busy" });
    expect(busy.params?.since).toMatch(/^2026-11-26 12:00$/);
    // A second connection to the same file is what another API process or the CLI would use.
    const other = createDb(t.url);
    try {
      const err = await expectAppError(importClearances(createDeps(other, { clock }), operator, upload(csv(line("LEASE00003"))), { dryRun: true }));
      expect(err.reason).toBe("import_running");
    } finally {
      await other.close();
    }
    first.end(`${line("LEASE00004")}\n`);
    expect(await first.done).toMatchObject({ imported: 3, complete: true });
    expect(await t.db.prisma.jobLease.count()).toBe(0);
    expect(await importClearances(t.deps, taxOfficer, upload(csv(line("LEASE00003"))), inThread)).toMatchObject({ imported: 1 });
  });

  it("releases the lease when an import is refused or fails", async () => {
    await expectAppError(importClearances(t.deps, operator, upload("certificate_no,kind\n1,2\n"), inThread));
    expect(await t.db.prisma.jobLease.count()).toBe(0);
  });

  it("takes over the lease of an import that died without releasing it, once it has expired", async () => {
    await t.db.prisma.jobLease.create({ data: { name: "clearance-import", holder: "crashed", acquiredAt: new Date("2026-11-26T03:00:00Z"), expiresAt: new Date("2026-11-26T03:59:00Z") } });
    expect(await importClearances(t.deps, operator, upload(csv(line("LEASE00010"))), inThread)).toMatchObject({ imported: 1 });
    expect(await t.db.prisma.jobLease.count()).toBe(0);
    await t.db.prisma.jobLease.create({ data: { name: "clearance-import", holder: "alive", acquiredAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 60_000) } });
    expect((await expectAppError(importClearances(t.deps, operator, upload(csv(line("LEASE00011")))))).reason).toBe("import_running");
    await t.db.prisma.jobLease.deleteMany();
  });
});

describe("imports and the connection that serves checks", { timeout: 60_000 }, () => {
  it("leaves its pragmas unchanged during and after imports, overlapping ones included, and checks keep answering", async () => {
    const before = await pragmas();
    if (t.db.dialect === "sqlite") expect(before.mmap).toBe(MMAP_BYTES);
    else expect(before.noImportTable).toBe(true);
    let during: ReturnType<typeof pragmas> | null = null;
    const running = openImport(t.deps, { onProgress: () => (during ??= pragmas()) });
    // More than the 64 KB the reader looks at before it decides the format.
    running.write(csv(line("PRAGMA0001", { plate: "豫C12345" }), ...Array.from({ length: 1000 }, (_, i) => line(`PRAGMAX${String(i).padStart(4, "0")}`))));
    await until(() => during !== null, "a written batch");
    expect(await during).toEqual(before);
    expect(await pragmas()).toEqual(before);
    // A check while the import runs: answered from the committed batch, on the untouched connection.
    const result = await checkClearance(t.deps, checker, { kind: "vehicle_vessel", key: "豫C12345" }, { rateLimitPerHour: 0 });
    expect(result.results[0]).toMatchObject({ year: 2026, status: "paid", certificateNo: "PRAGMA0001" });
    // An overlapping import is refused and changes nothing either.
    await expectAppError(importClearances(t.deps, operator, upload(csv(line("PRAGMA0009")))));
    expect(await pragmas()).toEqual(before);
    running.end();
    await running.done;
    expect(await pragmas()).toEqual(before);
    await importClearances(t.deps, operator, upload(csv(line("PRAGMA0004"))), { ...inThread, dryRun: true });
    expect(await pragmas()).toEqual(before);
  });
});

describe("long lists of rejected rows", { timeout: 60_000 }, () => {
  it("lists the first 1,000 rejected rows with line and reason and counts all of them, in both modes", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => line(`MANYBAD${String(i).padStart(5, "0")}`, { amount: "x" }));
    for (const dryRun of [true, false]) {
      const summary = await importClearances(t.deps, operator, upload(csv(...rows)), { dryRun, batchSize: 500 });
      expect(summary).toMatchObject({ imported: 0, updated: 0, rejectedCount: 3000, rejectedTruncated: true, complete: true });
      expect(summary.rejected).toHaveLength(MAX_REJECTED_LISTED);
      expect(summary.rejected.map((r) => r.line)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
      expect(summary.rejected[0]!.reason).toMatch(/^金额：/);
      if (!dryRun) expect(await t.db.prisma.clearanceImportBatch.findUniqueOrThrow({ where: { id: summary.batchId! } })).toMatchObject({ rejected: 3000, status: "done" });
    }
  });

  it("keeps the first rejected rows by line when the writer's duplicates and the reader's rejects interleave", async () => {
    const rows: string[] = [];
    for (let i = 0; i < 1500; i++) {
      rows.push(i % 3 === 2 ? line(`MIXED${String(i - 2).padStart(5, "0")}`) : i % 3 === 1 ? line(`MIXED${String(i).padStart(5, "0")}`, { status: "?" }) : line(`MIXED${String(i).padStart(5, "0")}`));
    }
    // Every third row repeats the number two rows before it: with 2-row batches always in the
    // previous batch, so the writer finds these while the reader rejects the bad rows between them.
    const summary = await importClearances(t.deps, operator, upload(csv(...rows)), { ...inThread, dryRun: true, batchSize: 2 });
    expect(summary.rejectedCount).toBe(1000);
    expect(summary.rejectedTruncated).toBe(false);
    const lines = summary.rejected.map((r) => r.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(lines.slice(0, 4)).toEqual([3, 4, 6, 7]);
  });
});

describe("a dry run tells what the import will do", { timeout: 60_000 }, () => {
  it("reports the same counts and rejected rows as the real import that follows, duplicates across batches included", async () => {
    await importClearances(t.deps, operator, upload(csv(line("SAME000001"), line("SAME000002"))), inThread);
    const file = csv(
      line("SAME000001"), line("SAME000003"), line("SAME000003"),
      line("SAME000004", { amount: "-1" }), line("SAME000005"), line("SAME000001"),
      line("SAME000006"), line("SAME000002"), line("SAME000005"), line("SAME000007"),
    );
    const strip = ({ dryRun: _d, batchId: _b, ...rest }: ClearanceImportSummary) => rest;
    const dry = await importClearances(t.deps, operator, upload(file), { ...inThread, dryRun: true, batchSize: 3 });
    const real = await importClearances(t.deps, operator, upload(file), { ...inThread, batchSize: 3 });
    expect(strip(dry)).toEqual(strip(real));
    expect(real).toMatchObject({ imported: 4, updated: 2, rejectedCount: 4 });
    expect(real.rejected.map((r) => r.line)).toEqual([4, 5, 7, 10]);
  });
});
