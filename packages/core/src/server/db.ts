import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./db/generated/client.ts";

export type { PrismaClient } from "./db/generated/client.ts";
export { Prisma } from "./db/generated/client.ts";

/**
 * The database handle every use-case receives. `prisma` serves ordinary CRUD; `sqlite` is a raw
 * better-sqlite3 connection to the same file, used only by `hot-path.ts` and bulk imports, where
 * Prisma's per-query cost (25-80x, ../shared/notes/prisma-offline.md) would dominate.
 */
export interface Db {
  prisma: PrismaClient;
  sqlite: Database.Database;
  /** The file path of the SQLite database. */
  file: string;
  close(): Promise<void>;
}

/**
 * The database every process uses when DATABASE_URL is not set: data/xieshui.db under the repository
 * root, whatever the working directory (npm runs workspace scripts inside the workspace folder).
 */
export const DEFAULT_DATABASE_URL = `file:${resolve(import.meta.dirname, "../../../../data/xieshui.db")}`;

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

/** Opens the database at `url` (creating its folder). The caller owns it and must `close()` it. */
export function createDb(url: string): Db {
  const file = sqliteFileFromUrl(url);
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  applyPragmas(sqlite);
  const adapter = new PrismaBetterSQLite3({ url: `file:${file}` });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    sqlite,
    file,
    async close() {
      await prisma.$disconnect();
      sqlite.close();
    },
  };
}
