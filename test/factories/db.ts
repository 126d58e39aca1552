import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createDb, createDeps, migrate, createFixedClock, type Db, type Deps, type Clock } from "@xieshui/core/server";

/** A real database with every migration applied, and use-case deps over it. */
export interface TestDb {
  db: Db;
  deps: Deps;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * `npm run test:pg` sets these: the maintenance URL of the temporary PostgreSQL server and the name
 * of a database migrated once, which every test database copies (CREATE DATABASE ... TEMPLATE, a
 * file copy: ~30 ms instead of migrating each one).
 */
const PG_ADMIN = process.env.XIESHUI_TEST_PG_ADMIN_URL;
const PG_TEMPLATE = process.env.XIESHUI_TEST_PG_TEMPLATE ?? "xieshui_template";

/** Which database the tests run on: SQLite unless `npm run test:pg` set the PostgreSQL server. */
export const TEST_DIALECT: "sqlite" | "postgresql" = PG_ADMIN ? "postgresql" : "sqlite";

function psql(sql: string): void {
  execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", PG_ADMIN!, "-c", sql], { stdio: ["ignore", "ignore", "pipe"] });
}

/** A fresh, empty, migrated database URL (a file on SQLite, a database on PostgreSQL) and how to remove it. */
export function createTestDatabaseUrl(): { url: string; dir: string; drop(): void } {
  const dir = mkdtempSync(join(tmpdir(), "xieshui-test-"));
  if (!PG_ADMIN) {
    return { url: `file:${join(dir, "test.db")}`, dir, drop: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `xs_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  psql(`CREATE DATABASE "${name}" TEMPLATE "${PG_TEMPLATE}"`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dir,
    drop() {
      rmSync(dir, { recursive: true, force: true });
      psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Creates a fresh, migrated database for one test file (or one test). */
export function createTestDb(opts: { clock?: Clock } = {}): TestDb {
  const target = createTestDatabaseUrl();
  const db = createDb(target.url);
  if (db.dialect === "sqlite") migrate(db.sqlite);
  const deps = createDeps(db, opts.clock ? { clock: opts.clock } : {});
  return {
    db,
    deps,
    url: target.url,
    dir: target.dir,
    async close() {
      await db.close();
      target.drop();
    },
  };
}

export { createFixedClock };
