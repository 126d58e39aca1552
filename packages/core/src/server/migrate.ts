import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type Database from "better-sqlite3";
import type { Pool } from "pg";
import type { Db } from "./db.ts";

/** The repository's migrations folder, found from this file (works from any working directory). */
export const MIGRATIONS_DIR = resolve(import.meta.dirname, "../../../../prisma/migrations");

/**
 * Applies pending Prisma migrations (prisma/migrations/<name>/migration.sql) in order, each in its
 * own transaction, recording them in `_prisma_migrations` exactly as `prisma migrate deploy` does,
 * so either tool can be used on the same database. Used by `npm start`, the CLI and tests, which
 * avoids spawning the Prisma CLI (seconds) for every test file. Returns the names applied.
 * Safe when several processes start together on one file (the API and the bot, two API
 * processes): each migration's transaction takes the write lock first (BEGIN IMMEDIATE) and only
 * then asks whether that migration is applied, so each is applied exactly once, by one of them.
 */
export function migrate(sqlite: Database.Database, dir: string = MIGRATIONS_DIR): string[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
  )`);
  const isApplied = sqlite.prepare<[string], { one: number }>(
    `SELECT 1 AS one FROM _prisma_migrations WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const record = sqlite.prepare(
    `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
  );
  // A quick look outside any transaction skips what is surely applied; the decision is made again
  // under the write lock below.
  const applied = new Set(
    (sqlite.prepare(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as { migration_name: string }[]).map(
      (r) => r.migration_name,
    ),
  );
  const names = existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(join(dir, d, "migration.sql"))).sort() : [];
  const apply = sqlite.transaction((name: string, sql: string, checksum: string, started: number) => {
    if (isApplied.get(name)) return false;
    sqlite.exec(sql);
    record.run(randomUUID(), checksum, Date.now(), name, started);
    return true;
  });
  const done: string[] = [];
  for (const name of names) {
    if (applied.has(name)) continue;
    const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    let ran: boolean;
    try {
      ran = apply.immediate(name, sql, checksum, Date.now());
    } catch (e) {
      throw new MigrationError(name, e);
    }
    if (ran) done.push(name);
  }
  return done;
}

/** The PostgreSQL migrations folder (one models file, two migrations folders; see scripts/prisma-schemas.mjs). */
export const PG_MIGRATIONS_DIR = resolve(import.meta.dirname, "../../../../prisma/pg/migrations");

/** The advisory lock key that serialises migrations across processes (any fixed 64-bit number). */
const MIGRATE_LOCK_KEY = 0x78696573_68756931n; // "xieshui1"

/**
 * Applies pending PostgreSQL migrations (prisma/pg/migrations/<name>/migration.sql) in order, each
 * in its own transaction (PostgreSQL's DDL is transactional: a migration that fails half-way is
 * rolled back whole, and the next start tries it again), recorded in `_prisma_migrations` as
 * `prisma migrate deploy` records them. Processes that start together queue on one advisory lock,
 * so each migration is applied exactly once.
 */
export async function migratePg(pool: Pool, dir: string = PG_MIGRATIONS_DIR): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock($1)`, [MIGRATE_LOCK_KEY.toString()]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
      const { rows } = await client.query<{ migration_name: string }>(
        `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied = new Set(rows.map((r) => r.migration_name));
      const names = existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(join(dir, d, "migration.sql"))).sort() : [];
      const done: string[] = [];
      for (const name of names) {
        if (applied.has(name)) continue;
        const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
        const checksum = createHash("sha256").update(sql).digest("hex");
        const started = new Date();
        await client.query("BEGIN");
        try {
          await client.query(sql);
          await client.query(
            `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
            [randomUUID(), checksum, name, started],
          );
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK").catch(() => {});
          throw new MigrationError(name, e);
        }
        done.push(name);
      }
      return done;
    } finally {
      await client.query(`SELECT pg_advisory_unlock($1)`, [MIGRATE_LOCK_KEY.toString()]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/** A migration that failed: rolled back whole; the next start tries it again. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`migration ${migration} failed and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MigrationError";
  }
}

/** Applies pending migrations to `db`, on whichever database it is. Returns the names applied. */
export async function migrateDb(db: Db): Promise<string[]> {
  if (db.dialect === "postgresql") return migratePg(db.pg);
  return migrate(db.sqlite);
}
