import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createDb, createDeps, migrate, createFixedClock, type Db, type Deps, type Clock } from "@xieshui/core/server";

/** A real SQLite database in a temp folder with every migration applied, and use-case deps over it. */
export interface TestDb {
  db: Db;
  deps: Deps;
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** Creates a fresh, migrated database file for one test file (or one test). */
export function createTestDb(opts: { clock?: Clock } = {}): TestDb {
  const dir = mkdtempSync(join(tmpdir(), "xieshui-test-"));
  const url = `file:${join(dir, "test.db")}`;
  const db = createDb(url);
  migrate(db.sqlite);
  const deps = createDeps(db, opts.clock ? { clock: opts.clock } : {});
  return {
    db,
    deps,
    url,
    dir,
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { createFixedClock };
