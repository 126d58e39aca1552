import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotError } from "grammy";
import {
  createDb,
  createDeps,
  createFixedClock,
  createInvite,
  createTipContext,
  migrate,
  migrateDb,
  migratePg,
  MIGRATIONS_DIR,
  PG_MIGRATIONS_DIR,
  systemActor,
  type Db,
} from "@xieshui/core/server";
import { startTempPostgres, type TempPostgres } from "../scripts/pg-temp.ts";
import { createServer } from "../apps/api/src/server.ts";
import { createBot } from "../apps/bot/src/bot.ts";
import { createFakeTransport, textUpdate, makeUser, TEST_BOT_INFO } from "./factories/telegram.ts";
import { makeUnit } from "./factories/identity.ts";

// Issue 12, "bad input and faults", on a real PostgreSQL of this file's own (it is stopped and
// started under the processes): a database that is down at start, a connection lost mid-request,
// two processes migrating one new database at once, a migration that fails half-way (both databases).
const root = resolve(import.meta.dirname, "..");
let pg: TempPostgres;
const dbs: Db[] = [];

beforeAll(async () => {
  pg = await startTempPostgres({ fast: true });
}, 120_000);
afterAll(async () => {
  for (const db of dbs) await db.close().catch(() => {});
  pg?.stop();
});

/** Tip keys and evidence in a folder of the test's own (a PostgreSQL database has no folder beside it). */
function tipsFor(deps: ReturnType<typeof createDeps>) {
  const dir = mkdtempSync(join(tmpdir(), "xs-faults-tips-"));
  return createTipContext(deps, { keyFile: join(dir, "tip-keys.json"), generateKey: true, storeDir: join(dir, "tips") });
}

async function newDatabase(name: string): Promise<string> {
  const admin = createDb(pg.adminUrl);
  await admin.pg.query(`CREATE DATABASE "${name}"`);
  await admin.close();
  return pg.urlFor(name);
}

/** The URL with a password, to show it never reaches the output (the server trusts every login). */
const withPassword = (url: string) => url.replace("postgresql://xieshui@", "postgresql://xieshui:s3cret-pw@");

interface Proc {
  out: string;
  err: string;
  exited: Promise<number | null>;
  kill(): void;
}

function run(entry: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: root,
    env: { ...process.env, LOG_FORMAT: "json", LOG_LEVEL: "warn", XIESHUI_DEMO: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: Proc = {
    out: "",
    err: "",
    exited: new Promise((r) => child.on("exit", (code) => r(code))),
    kill: () => child.kill("SIGTERM"),
  };
  child.stdout.on("data", (d: Buffer) => (p.out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (p.err += d.toString()));
  return p;
}

async function until(what: string, fn: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function expectPlainLines(text: string): void {
  expect(text).not.toContain("s3cret-pw");
  expect(text).not.toMatch(/^\s+at /m); // no stack trace
}

describe("PostgreSQL down at start", () => {
  it("the CLI says so in one line per retry, without the password, and runs its command once PostgreSQL is up", async () => {
    const url = await newDatabase("xs_down_at_start");
    pg.pause();
    const cli = run("apps/cli/src/main.ts", ["units", "list", "--json"], { DATABASE_URL: withPassword(url), DB_WAIT_SECONDS: "60" });
    try {
      await until("a retry line", () => /retrying in/.test(cli.err));
      pg.resume();
      expect(await cli.exited, cli.err).toBe(0);
      expect(JSON.parse(cli.out)).toEqual(expect.any(Array));
      const lines = cli.err.trim().split("\n");
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line).toMatch(/^cli: PostgreSQL at postgresql:\/\/xieshui:\*\*\*@127\.0\.0\.1:\d+\/xs_down_at_start cannot be reached \(ECONNREFUSED\); retrying in \d+\.\d s$/);
      }
      expectPlainLines(cli.err + cli.out);
    } finally {
      pg.resume();
      cli.kill();
      await cli.exited;
    }
  }, 120_000);

  it("the API, the bot and the CLI exit 1 with one clear line when PostgreSQL never comes up", async () => {
    const url = await newDatabase("xs_never_up");
    pg.pause();
    try {
      const env = { DATABASE_URL: withPassword(url), DB_WAIT_SECONDS: "2", TELEGRAM_BOT_TOKEN: "42:TEST", PORT: "0" };
      const procs = {
        API: run("apps/api/src/main.ts", [], env),
        bot: run("apps/bot/src/main.ts", [], env),
        cli: run("apps/cli/src/main.ts", ["units", "list"], env),
      };
      for (const [name, p] of Object.entries(procs)) {
        expect(await p.exited, `${name} exit code; stderr: ${p.err}`).toBe(1);
        const lines = p.err.trim().split("\n");
        expect(lines.at(-1)).toMatch(new RegExp(`^${name}: PostgreSQL at postgresql://xieshui:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/xs_never_up cannot be reached \\(ECONNREFUSED\\); gave up after \\d+ s$`));
        expect(lines.every((l) => l.startsWith(`${name}: PostgreSQL at `)), p.err).toBe(true);
        expectPlainLines(p.err + p.out);
      }
    } finally {
      pg.resume();
    }
  }, 120_000);
});

describe("a connection lost mid-request", () => {
  it("the API answers 503 in the usual error shape while PostgreSQL is down, and 200 again once it is back (same process)", async () => {
    const db = createDb(await newDatabase("xs_lost_api"));
    dbs.push(db);
    await migrateDb(db);
    const deps = createDeps(db, { clock: createFixedClock("2026-11-26T02:00:00Z") });
    const app = createServer({ deps, config: { checkRateLimitPerHour: 0, logLevel: "silent", authAttemptsPerMinute: 0, tips: tipsFor(deps) } });
    await app.ready();
    try {
      const unit = await makeUnit(deps);
      const { code } = await createInvite(deps, systemActor("test"), { unit, roles: ["reporter"] });
      const { token } = (await app.inject({ method: "POST", url: "/api/v1/auth/redeem", payload: { code } })).json<{ token: string }>();
      const me = (locale: string) => app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${token}`, "accept-language": locale } });
      expect((await me("zh-CN")).statusCode).toBe(200);

      pg.pause();
      for (const [locale, message] of [["zh-CN", "所需的外部服务暂时不可用，请稍后再试"], ["en", "A service this needs is unavailable right now; please try again later"]] as const) {
        const down = await me(locale);
        expect(down.statusCode).toBe(503);
        expect(down.headers["retry-after"]).toBe("5");
        expect(down.json()).toEqual({ error: { code: "upstream_unavailable", message, reason: "database_unavailable" } });
      }
      pg.resume();
      const back = await me("en");
      expect(back.statusCode).toBe(200);
      expect((await me("zh-CN")).statusCode).toBe(200);
    } finally {
      pg.resume();
      await app.close();
    }
  }, 120_000);

  it("the bot tells the user to try again shortly while PostgreSQL is down, and answers normally once it is back", async () => {
    const db = createDb(await newDatabase("xs_lost_bot"));
    dbs.push(db);
    await migrateDb(db);
    const deps = createDeps(db, { clock: createFixedClock("2026-11-26T02:00:00Z") });
    const api = createFakeTransport();
    const bot = createBot({ token: "42:TEST", deps, tips: tipsFor(deps), config: { botInfo: TEST_BOT_INFO, fetch: api.fetch } });
    // As the runner does (apps/bot/src/service.ts): an update's error goes to the bot's error handler.
    const say = async (text: string) => {
      const before = api.texts().length;
      await bot.handleUpdate(textUpdate(user, text)).catch((e: unknown) => (e instanceof BotError ? bot.errorHandler(e) : Promise.reject(e)));
      return api.texts().slice(before);
    };
    const user = makeUser({ id: 777, first_name: "小王", language_code: "zh-hans" });
    const normal = await say("/help");
    expect(normal.length).toBeGreaterThan(0);

    pg.pause();
    try {
      expect(await say("/help")).toEqual(["所需的外部服务暂时不可用，请稍后再试"]);
    } finally {
      pg.resume();
    }
    expect(await say("/help")).toEqual(normal);
  }, 120_000);
});

describe("migrations under faults", () => {
  it("two processes starting at once on one new database apply each migration once", async () => {
    const url = await newDatabase("xs_two_migrators");
    const a = run("scripts/migrate.ts", [], { DATABASE_URL: url });
    const b = run("scripts/migrate.ts", [], { DATABASE_URL: url });
    expect([await a.exited, await b.exited], a.err + b.err).toEqual([0, 0]);
    const all = readdirSync(PG_MIGRATIONS_DIR).filter((d) => !d.includes("."));
    const outputs = [a.out, b.out].join("\n");
    // One of them applied everything, the other found the database up to date.
    expect(outputs).toContain("database is up to date");
    const db = createDb(url);
    dbs.push(db);
    const { rows } = await db.pg.query<{ migration_name: string; n: number }>(`SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(all.sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
  }, 120_000);

  /** A copy of `source` with one more migration whose second statement fails. */
  function withFailingMigration(source: string, table: string): { dir: string; fix(): void; name: string } {
    const dir = mkdtempSync(join(tmpdir(), "xs-migrations-"));
    cpSync(source, dir, { recursive: true });
    const name = "99990101000000_half_way";
    mkdirSync(join(dir, name));
    const good = `CREATE TABLE "${table}" ("id" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO "${table}" ("id") VALUES (1);\n`;
    writeFileSync(join(dir, name, "migration.sql"), `${good}INSERT INTO "NoSuchTable" ("id") VALUES (1);\n`);
    return { dir, name, fix: () => writeFileSync(join(dir, name, "migration.sql"), good) };
  }

  it("on PostgreSQL, a migration that fails half-way is rolled back whole and the next start applies it", async () => {
    const db = createDb(await newDatabase("xs_half_way"));
    dbs.push(db);
    const m = withFailingMigration(PG_MIGRATIONS_DIR, "HalfWay");
    try {
      await expect(migratePg(db.pg, m.dir)).rejects.toThrow(/migration 99990101000000_half_way failed and was rolled back/);
      const exists = async () => (await db.pg.query(`SELECT to_regclass('"HalfWay"') AS t`)).rows[0].t !== null;
      expect(await exists()).toBe(false);
      expect((await db.pg.query(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = $1`, [m.name])).rows[0].n).toBe(0);
      m.fix();
      expect(await migratePg(db.pg, m.dir)).toEqual([m.name]);
      expect(await exists()).toBe(true);
      expect(await migratePg(db.pg, m.dir)).toEqual([]);
    } finally {
      rmSync(m.dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("on SQLite, a migration that fails half-way is rolled back whole and the next start applies it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xs-half-way-"));
    const db = createDb(`file:${join(dir, "x.db")}`);
    dbs.push(db);
    const m = withFailingMigration(MIGRATIONS_DIR, "HalfWay");
    try {
      expect(() => migrate(db.sqlite, m.dir)).toThrow(/migration 99990101000000_half_way failed and was rolled back/);
      const exists = () => db.sqlite.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'HalfWay'`).get() as { n: number };
      expect(exists().n).toBe(0);
      expect((db.sqlite.prepare(`SELECT count(*) AS n FROM _prisma_migrations WHERE migration_name = ?`).get(m.name) as { n: number }).n).toBe(0);
      m.fix();
      expect(migrate(db.sqlite, m.dir)).toEqual([m.name]);
      expect(exists().n).toBe(1);
    } finally {
      rmSync(m.dir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
