import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { applyPragmas } from "./db.ts";
import { migrate, MIGRATIONS_DIR } from "./migrate.ts";

// Issue 7 point 6: migrate() read the applied set outside its transactions, so processes starting
// together on a fresh file (npm start's API and bot, two API processes) applied the same migration
// twice, and all but one failed ("table already exists").

const dir = mkdtempSync(join(tmpdir(), "xs-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ALL = readdirSync(MIGRATIONS_DIR).filter((d) => existsSync(join(MIGRATIONS_DIR, d, "migration.sql"))).sort();
const CHILD = join(import.meta.dirname, "migrate-race.child.ts");

type Outcome = { applied?: string[]; error?: string };

interface Child {
  ready: Promise<void>;
  /** Says "go" for the next file and resolves with that file's outcome. */
  go(): Promise<Outcome>;
  close(): Promise<void>;
}

/** A process holding every file open, migrating the next one on each go(). */
function startChild(files: string[]): Child {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...files], { stdio: ["pipe", "pipe", "inherit"] });
  let buffer = "";
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const waiting: ((o: Outcome) => void)[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line === "ready") markReady();
      else if (line.startsWith("{")) waiting.shift()?.(JSON.parse(line) as Outcome);
    }
  });
  const exited = new Promise<void>((resolve, reject) => child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`migrating child exited with ${code}`)))));
  return {
    ready,
    go: () =>
      new Promise<Outcome>((resolve) => {
        waiting.push(resolve);
        child.stdin.write("go\n");
      }),
    close: () => {
      child.stdin.end();
      return exited;
    },
  };
}

describe("migrate", () => {
  it("applies each migration exactly once when six processes migrate one fresh file at once (three rounds)", async () => {
    const files = [1, 2, 3].map((round) => join(dir, `race-${round}.db`));
    const children = Array.from({ length: 6 }, () => startChild(files));
    try {
      await Promise.all(children.map((c) => c.ready));
      for (const file of files) {
        const results = await Promise.all(children.map((c) => c.go()));
        expect(results.filter((r) => r.error)).toEqual([]);
        expect(results.flatMap((r) => r.applied ?? []).sort()).toEqual(ALL);
        const sqlite = new Database(file);
        const rows = sqlite.prepare(`SELECT migration_name AS name FROM _prisma_migrations ORDER BY migration_name`).all() as { name: string }[];
        sqlite.close();
        expect(rows.map((r) => r.name)).toEqual(ALL);
      }
    } finally {
      await Promise.all(children.map((c) => c.close()));
    }
  }, 90_000);

  it("applies nothing twice when run again, and only what is new", () => {
    const sqlite = new Database(join(dir, "again.db"));
    applyPragmas(sqlite);
    expect(migrate(sqlite)).toEqual(ALL);
    expect(migrate(sqlite)).toEqual([]);
    expect((sqlite.prepare(`SELECT count(*) AS n FROM _prisma_migrations`).get() as { n: number }).n).toBe(ALL.length);
    sqlite.close();
  });
});
