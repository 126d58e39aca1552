// The database a bench runs on: SQLite in a temporary file (the default), or, with
// `npm run bench -- --db pg`, a new database on the temporary PostgreSQL server that bench/run.ts
// started (BENCH_PG_ADMIN_URL). Migrated; `drop()` removes it.
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { randomBytes } from "node:crypto";
import { createDb, migrateDb, type Db } from "@xieshui/core/server";

export const BENCH_DIALECT: "sqlite" | "postgresql" = process.env.BENCH_PG_ADMIN_URL ? "postgresql" : "sqlite";

export interface BenchDatabase {
  url: string;
  db: Db;
  /** A folder for the bench's other files (inputs, uploads). */
  dir: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(name: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `xs-bench-${name}-`));
  const admin = process.env.BENCH_PG_ADMIN_URL;
  let url = `file:${join(dir, "bench.db")}`;
  let dbName = "";
  if (admin) {
    dbName = `bench_${name.replace(/\W/g, "_")}_${randomBytes(3).toString("hex")}`;
    const a = createDb(admin);
    await a.pg.query(`CREATE DATABASE "${dbName}"`);
    await a.close();
    const u = new URL(admin);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const db = createDb(url);
  await migrateDb(db);
  return {
    url,
    db,
    dir,
    async drop() {
      await db.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      if (admin) {
        const a = createDb(admin);
        await a.pg.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
        await a.close();
      }
    },
  };
}
