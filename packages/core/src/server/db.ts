import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { z } from "zod";
import { PrismaClient } from "./db/generated/client.ts";
import { PrismaClient as PrismaClientPg } from "./db/generated-pg/client.ts";

export type { PrismaClient } from "./db/generated/client.ts";
export { Prisma } from "./db/generated/client.ts";

/** Which database a URL selects: `postgresql://` (or `postgres://`) selects PostgreSQL; `file:` or a path, SQLite. */
export type Dialect = "sqlite" | "postgresql";

/**
 * The database handle every use-case receives. `prisma` serves ordinary CRUD on either database.
 * The raw connections are for the store modules only (one per hot concern, each with a SQLite and a
 * PostgreSQL implementation, chosen by `dialect`), where Prisma's per-query cost (25-80x,
 * ../shared/notes/prisma-offline.md) would dominate: `sqlite` is a better-sqlite3 connection to the
 * same file, `pg` a pool of `pg` connections to the same database. Asking a handle of the other
 * dialect throws, so a SQLite-only path cannot pass silently on PostgreSQL.
 */
export interface Db {
  dialect: Dialect;
  prisma: PrismaClient;
  /** The raw better-sqlite3 connection (SQLite only; throws on PostgreSQL). */
  readonly sqlite: Database.Database;
  /** The raw `pg` pool (PostgreSQL only; throws on SQLite). */
  readonly pg: pg.Pool;
  /** The file path of the SQLite database (SQLite only; throws on PostgreSQL). */
  readonly file: string;
  /** The URL the database was opened with (the password, if any, masked in `safeUrl`). */
  url: string;
  /** The URL with any password replaced by `***`, for messages and logs. */
  safeUrl: string;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** A database URL without its password, for messages and logs. */
export function safeDatabaseUrl(url: string): string {
  if (dialectOf(url) !== "postgresql") return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgresql://(unreadable URL)";
  }
}

/**
 * The database every process uses when DATABASE_URL is not set: data/xieshui.db under the repository
 * root, whatever the working directory (npm runs workspace scripts inside the workspace folder).
 */
export const DEFAULT_DATABASE_URL = `file:${resolve(import.meta.dirname, "../../../../data/xieshui.db")}`;

/**
 * DATABASE_URL as every process reads it (API, bot, CLI, `npm start`): empty counts as unset (a
 * blank line in an env file, `DATABASE_URL= npm start`) and means the default SQLite file, never
 * a validation error with a stack trace.
 */
export const DatabaseUrlEnvSchema = z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).default(DEFAULT_DATABASE_URL));

/** Resolves `file:./data/x.db` (relative to the working directory) or a plain path to a file path. */
export function sqliteFileFromUrl(url: string): string {
  const path = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!path || path === ":memory:") throw new Error("DATABASE_URL must name a SQLite file (file:./data/xieshui.db)");
  return resolve(path.split("?")[0]!);
}

/** Bytes of the database file read through mmap (applyPragmas). */
export const MMAP_BYTES = 1024 * 1024 * 1024;

/**
 * Pragmas for a server workload: WAL so readers never block the writer, and a busy timeout for
 * multi-process use. Reads go through mmap (up to 1 GB of the file) and a 64 MB page cache: with
 * SQLite's default 2 MB cache, every clearance check (random plates over a million rows) re-read
 * index and table pages with pread and evicted the audit log's hot pages. mmap pages are the OS
 * page cache's, shared, not the process's heap; the bulk import reads through a connection of its own
 * without mmap (openBulkConnection), never changing this one.
 */
export function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma(`mmap_size = ${MMAP_BYTES}`);
  sqlite.pragma("cache_size = -65536");
}

/** Opens the database at `url` (creating its folder for SQLite). The caller owns it and must `close()` it. */
export function createDb(url: string): Db {
  return dialectOf(url) === "postgresql" ? createPgDb(url) : createSqliteDb(url);
}

function wrongDialect(what: string, dialect: Dialect): never {
  throw new Error(`${what} is not available on ${dialect === "sqlite" ? "SQLite" : "PostgreSQL"}: use the store interface of this concern`);
}

function createSqliteDb(url: string): Db {
  const file = sqliteFileFromUrl(url);
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  applyPragmas(sqlite);
  const adapter = new PrismaBetterSQLite3({ url: `file:${file}` });
  const prisma = new PrismaClient({ adapter });
  return withoutHandle({
    dialect: "sqlite",
    prisma,
    sqlite,
    file,
    url,
    safeUrl: url,
    async close() {
      await prisma.$disconnect();
      sqlite.close();
    },
  } as Omit<Db, "pg"> as Db, "pg", "A pg pool");
}

/**
 * Adds a getter that throws for a handle of the other dialect. Not enumerable, so `{ ...db }` (a test
 * wrapping Prisma) copies the handles that exist and never trips it.
 */
function withoutHandle<K extends keyof Db>(db: Db, ...pairs: (K | string)[]): Db {
  for (let i = 0; i < pairs.length; i += 2) {
    const what = pairs[i + 1] as string;
    Object.defineProperty(db, pairs[i] as string, { enumerable: false, get: () => wrongDialect(what, db.dialect) });
  }
  return db;
}

/** Connections per process in each pool (Prisma's and the raw one). `PG_POOL_MAX` overrides. */
export const PG_POOL_MAX = 10;

/**
 * Type parsers of the raw pool: BIGINT (counts, ids, amounts in fen) as a JS number (exact below
 * 2^53 fen, 90 trillion yuan), and Prisma's `TIMESTAMP(3)` columns, which hold UTC without a zone,
 * as UTC (pg's default would read them in the process's local zone).
 */
const PG_TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (v: string) => Number(v);
    if (oid === 1114) return (v: string) => new Date(`${v.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

function createPgDb(url: string): Db {
  const max = Number(process.env.PG_POOL_MAX ?? "") || PG_POOL_MAX;
  const pool = new pg.Pool({ connectionString: url, max, types: PG_TYPES, connectionTimeoutMillis: 10_000 });
  // An idle connection that the server drops (a restart, a failover) is reported here; without a
  // listener it would crash the process. The next query opens a new connection.
  pool.on("error", () => {});
  const adapter = new PrismaPg({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  const prisma = new PrismaClientPg({ adapter }) as unknown as PrismaClient;
  const safeUrl = safeDatabaseUrl(url);
  return withoutHandle({
    dialect: "postgresql",
    prisma,
    pg: pool,
    url,
    safeUrl,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  } as Omit<Db, "sqlite" | "file"> as Db, "sqlite", "A SQLite connection", "file", "A database file");
}

/** The database cannot be reached (a PostgreSQL that is down, a wrong host): a 503, never a 500. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "EAI_AGAIN",
  "57P01", "57P02", "57P03", // admin_shutdown, crash_shutdown, cannot_connect_now
  "08000", "08003", "08006", "08001", "08004", // connection exceptions
  "P1001", "P1002", "P1017", // Prisma: cannot reach, timed out, server closed the connection
]);

/**
 * Whether `e` says the database connection failed (as opposed to a bad query): a refused or lost
 * connection, a server shutting down, or Prisma's or pg's wrapping of one. Such an error becomes a
 * 503 (the API's error handler) and the process goes on serving once the database is back.
 */
export function isConnectionError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 6; depth++) {
    if (cur instanceof DatabaseUnavailableError) return true;
    const o = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof o.code === "string" && CONNECTION_CODES.has(o.code)) return true;
    const msg = typeof o.message === "string" ? o.message : "";
    if (/Connection terminated|connection timeout|Can't reach database server|server closed the connection|ECONNREFUSED|ECONNRESET|Client has encountered a connection error|terminating connection/i.test(msg)) return true;
    if (Array.isArray(o.errors) && o.errors.some((x) => isConnectionError(x))) return true;
    cur = o.cause;
  }
  return false;
}

/**
 * Waits until the database answers, so a process started before its PostgreSQL (or during a
 * restart) says so in one line and retries, instead of dying with a stack trace. SQLite answers
 * at once. Gives up after `timeoutMs` (DB_WAIT_SECONDS, default 60 s) with a DatabaseUnavailableError.
 */
export async function waitForDatabase(
  db: Db,
  opts: { timeoutMs?: number; onRetry?: (message: string) => void; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  if (db.dialect === "sqlite") return;
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.DB_WAIT_SECONDS ?? "") || 60) * 1000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  let delay = 500;
  for (;;) {
    try {
      await db.pg.query("SELECT 1");
      return;
    } catch (e) {
      const reason = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
      if (!isConnectionError(e) && !/does not exist|authentication/i.test(String((e as Error).message))) throw e;
      if (Date.now() - started + delay > timeoutMs) {
        throw new DatabaseUnavailableError(`PostgreSQL at ${db.safeUrl} cannot be reached (${reason}); gave up after ${Math.round((Date.now() - started) / 1000)} s`, { cause: e });
      }
      opts.onRetry?.(`PostgreSQL at ${db.safeUrl} cannot be reached (${reason}); retrying in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }
}
