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

interface Child {
  ready: Promise<void>;
  result: Promise<{ applied?: string[]; error?: string }>;
  go(): void;
}

function startChild(file: string): Child {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, file], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const result = new Promise<{ applied?: string[]; error?: string }>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith("ready\n")) markReady();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) return reject(new Error(`migrating child exited with ${code}: ${out}`));
      resolve(JSON.parse(line) as { applied?: string[]; error?: string });
    });
  });
  return { ready, result, go: () => child.stdin.end("go\n") };
}

describe("migrate", () => {
  it("applies each migration exactly once when four processes migrate one fresh file at once", async () => {
    const file = join(dir, "race.db");
    const children = Array.from({ length: 4 }, () => startChild(file));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const results = await Promise.all(children.map((c) => c.result));
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results.flatMap((r) => r.applied ?? []).sort()).toEqual(ALL);
    const sqlite = new Database(file);
    const rows = sqlite.prepare(`SELECT migration_name AS name FROM _prisma_migrations ORDER BY migration_name`).all() as { name: string }[];
    sqlite.close();
    expect(rows.map((r) => r.name)).toEqual(ALL);
  }, 60_000);

  it("applies nothing twice when run again, and only what is new", () => {
    const sqlite = new Database(join(dir, "again.db"));
    applyPragmas(sqlite);
    expect(migrate(sqlite)).toEqual(ALL);
    expect(migrate(sqlite)).toEqual([]);
    expect((sqlite.prepare(`SELECT count(*) AS n FROM _prisma_migrations`).get() as { n: number }).n).toBe(ALL.length);
    sqlite.close();
  });
});
