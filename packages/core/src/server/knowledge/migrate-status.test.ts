import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, TEST_DIALECT, type TestDb } from "../../../../../test/factories/db.ts";
import { seedKnowledge } from "./import.ts";

const root = resolve(import.meta.dirname, "../../../../..");

// The index lives outside Prisma's schema (hand-written migrations: SQLite's FTS5 table
// 20261201192336_knowledge_fts, PostgreSQL's tsvector tables prisma/pg 20261202030000_knowledge_index).
// Prisma must still see the database as exactly what its migrations made, with the index filled.
describe("the knowledge index and Prisma's migrations", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = createTestDb();
    await seedKnowledge(t.deps);
  });
  afterAll(async () => {
    await t.close();
  });

  it("leaves `prisma migrate status` clean", async () => {
    const args = TEST_DIALECT === "postgresql" ? ["prisma", "migrate", "status", "--config", "prisma.pg.config.ts"] : ["prisma", "migrate", "status"];
    const env = TEST_DIALECT === "postgresql" ? { ...process.env, PG_DATABASE_URL: t.url } : { ...process.env, DATABASE_URL: t.url };
    const run = spawnSync("npx", args, { cwd: root, encoding: "utf8", env, timeout: 120_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toContain("Database schema is up to date");
    expect(run.status, output).toBe(0);
    const [row] = await t.db.prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM knowledge_fts`);
    expect(Number(row!.n)).toBe(40);
  }, 130_000);
});
