import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDb,
  createDeps,
  createFixedClock,
  fileTip,
  migrate,
  migrateDb,
  seedDemo,
  seedKnowledge,
  seedQuizQuestions,
  submitReport,
  type Db,
  type Deps,
} from "@xieshui/core/server";
import { startTempPostgres, type TempPostgres } from "../../../scripts/pg-temp.ts";
import { makeUser } from "../../../test/factories/identity.ts";
import { makeRentalData } from "../../../test/factories/reports.ts";
import { syntheticCsv } from "../../../test/factories/clearance-files.ts";
import { testTips } from "../../../test/support/tips.ts";
import { runCaptured } from "./harness.ts";

// Issue 12 point 6: moving a district from SQLite to PostgreSQL. `cli -- backup` on SQLite, then
// `cli -- restore --from <backup>` into an empty PostgreSQL, on the demo district with reports, a
// tip, a clearance import, the knowledge base and the question bank; counts compared table by table.
// The target is the PostgreSQL of `npm run test:pg`, or (under plain vitest) a temporary one of its own.
const dir = mkdtempSync(join(tmpdir(), "xieshui-cli-restore-"));
const clock = createFixedClock("2026-11-26T02:00:00Z");
let own: TempPostgres | undefined;
let adminUrl: string;
let source: Db;
let src: Deps;
const open: Db[] = [];
let dbSeq = 0;

async function emptyPg(): Promise<Deps> {
  const admin = createDb(adminUrl);
  const name = `xs_restore_${process.pid}_${dbSeq++}`;
  await admin.pg.query(`CREATE DATABASE "${name}"`);
  await admin.close();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString());
  open.push(db);
  await migrateDb(db);
  return createDeps(db, { clock });
}

beforeAll(async () => {
  adminUrl = process.env.XIESHUI_TEST_PG_ADMIN_URL ?? (own = await startTempPostgres({ fast: true })).adminUrl;
  source = createDb(`file:${join(dir, "district.db")}`);
  migrate(source.sqlite);
  src = createDeps(source, { clock });
  await seedDemo(src);
  await seedKnowledge(src);
  await seedQuizQuestions(src);
  const { actor } = await makeUser(src, { roles: ["reporter"], unitType: "village" });
  await submitReport(src, actor, { type: "rental", clientId: "restore-0001", data: makeRentalData() });
  await submitReport(src, actor, { type: "rental", clientId: "restore-0002", data: makeRentalData({ leaseStart: "2026-11-02" }) });
  await fileTip(src, testTips(src, dir), { category: "other", description: "迁移之前提交的举报" }, { client: "restore-test" });
  const csv = join(dir, "clearances.csv");
  await pipeline(syntheticCsv(300), createWriteStream(csv));
  const imported = await runCaptured(src, ["clearances", "import", csv, "--json"]);
  expect(imported.code, imported.stderr).toBe(0);
}, 240_000);

afterAll(async () => {
  for (const db of open) await db.close();
  await source?.close();
  own?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function counts(deps: Deps, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    out[t] = deps.db.dialect === "sqlite"
      ? (deps.db.sqlite.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n
      : (await deps.db.pg.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n;
  }
  return out;
}

describe("backup on SQLite, restore into PostgreSQL", () => {
  it("copies every table of the demo district, row for row, and the restored district works", async () => {
    const file = join(dir, "backup.db");
    expect((await runCaptured(src, ["backup", file])).code).toBe(0);
    const target = await emptyPg();
    const restored = await runCaptured(target, ["restore", "--from", file, "--json"]);
    expect(restored.code, restored.stderr).toBe(0);
    const result = JSON.parse(restored.stdout) as { tables: { table: string; rows: number }[]; rows: number };
    const tables = result.tables.map((t) => t.table);
    for (const t of ["Unit", "User", "Invite", "Session", "Report", "Tip", "Clearance", "KnowledgeArticle", "QuizQuestion", "AuditLog"]) expect(tables).toContain(t);
    // Parents before children: every table after each table its foreign keys point at.
    for (const [i, t] of tables.entries()) {
      for (const fk of source.sqlite.pragma(`foreign_key_list("${t}")`) as { table: string }[]) {
        if (fk.table !== t) expect(tables.indexOf(fk.table), `${t} → ${fk.table}`).toBeLessThan(i);
      }
    }
    const before = await counts(src, tables);
    expect(await counts(target, tables)).toEqual(before);
    expect(before.Clearance).toBe(300);
    expect(before.Report).toBe(2);
    expect(before.Tip).toBe(1);
    expect(result.rows).toBe(Object.values(before).reduce((a, b) => a + b, 0));

    // Values survive the move: booleans, times, money and text, read through Prisma on both.
    const units = (deps: Deps) => deps.db.prisma.unit.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true, parentId: true, active: true, createdAt: true, address: true } });
    expect(await units(target)).toEqual(await units(src));
    const clearances = (deps: Deps) => deps.db.prisma.clearance.findMany({ orderBy: { id: "asc" }, take: 20 });
    expect(await clearances(target)).toEqual(await clearances(src));
    const reports = (deps: Deps) => deps.db.prisma.report.findMany({ orderBy: { clientId: "asc" }, select: { clientId: true, data: true, createdAt: true, status: true } });
    expect(await reports(target)).toEqual(await reports(src));

    expect((await runCaptured(target, ["units", "list", "--json"])).stdout).toBe((await runCaptured(src, ["units", "list", "--json"])).stdout);

    // The restored district takes new rows: autoincrement ids continue after the copied ones.
    const maxAudit = await target.db.prisma.auditLog.aggregate({ _max: { id: true } });
    const { actor } = await makeUser(target, { roles: ["reporter"], unitType: "village" });
    await submitReport(target, actor, { type: "rental", clientId: "restore-0003", data: makeRentalData() });
    const after = await target.db.prisma.auditLog.aggregate({ _max: { id: true } });
    expect(after._max.id!).toBeGreaterThan(maxAudit._max.id ?? 0);
  }, 240_000);

  it("refuses a target that already holds data, and leaves it as it was", async () => {
    const file = join(dir, "backup-2.db");
    expect((await runCaptured(src, ["backup", file])).code).toBe(0);
    const target = await emptyPg();
    await seedDemo(target);
    const before = await counts(target, ["Unit", "User", "Report"]);
    const refused = await runCaptured(target, ["restore", "--from", file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^the target database is not empty \((\w+, ){4}\w+, …\); restore only into a new, migrated database\n$/);
    expect(await counts(target, ["Unit", "User", "Report"])).toEqual(before);
  });

  it("writes nothing when a row cannot be copied: one transaction", async () => {
    const broken = join(dir, "broken.db");
    expect((await runCaptured(src, ["backup", broken])).code).toBe(0);
    const b = createDb(`file:${broken}`);
    // A time no database could read, in a table copied after others have been written.
    b.sqlite.prepare(`UPDATE "Report" SET "createdAt" = 'not a time' WHERE "clientId" = 'restore-0002'`).run();
    await b.close();
    const target = await emptyPg();
    await expect(runCaptured(target, ["restore", "--from", broken])).rejects.toThrow(/not a date/);
    expect(await counts(target, ["Unit", "User", "Report", "Clearance"])).toEqual({ Unit: 0, User: 0, Report: 0, Clearance: 0 });
  });

  it("explains its usage: --from is required, the file must exist, and the target must be PostgreSQL", async () => {
    const target = await emptyPg();
    const missing = await runCaptured(target, ["restore"]);
    expect([missing.code, missing.stderr.split("\n")[0]]).toEqual([2, "restore needs --from <SQLite backup file>"]);
    const absent = await runCaptured(target, ["restore", "--from", join(dir, "nope.db")]);
    expect([absent.code, absent.stderr.split("\n")[0]]).toEqual([2, `${join(dir, "nope.db")} does not exist`]);
    const onSqlite = await runCaptured(src, ["restore", "--from", join(dir, "district.db")]);
    expect(onSqlite.code).toBe(2);
    expect(onSqlite.stderr).toContain("restore writes into PostgreSQL: set DATABASE_URL=postgresql://");
  });

  it("sends a backup of PostgreSQL to pg_dump instead of pretending to copy it", async () => {
    const target = await emptyPg();
    const backup = await runCaptured(target, ["backup", join(dir, "from-pg.db")]);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toContain("on PostgreSQL use pg_dump");
    expect(existsSync(join(dir, "from-pg.db"))).toBe(false);
  });
});
