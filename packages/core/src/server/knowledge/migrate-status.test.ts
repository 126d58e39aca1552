import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { seedKnowledge } from "./import.ts";

const root = resolve(import.meta.dirname, "../../../../..");

// The FTS5 index lives outside Prisma's schema (hand-written migration 20261201192336_knowledge_fts).
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

  it("leaves `prisma migrate status` clean", () => {
    const run = spawnSync("npx", ["prisma", "migrate", "status"], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: t.url }, timeout: 120_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toContain("Database schema is up to date");
    expect(run.status, output).toBe(0);
    expect(t.db.sqlite.prepare(`SELECT count(*) AS n FROM knowledge_fts`).get()).toEqual({ n: 40 });
  }, 130_000);
});
