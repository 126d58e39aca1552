// `restore --from <backup.db>`: moves a district from SQLite to PostgreSQL (issue 12 point 6). The
// one place where both drivers meet, by nature: it reads a SQLite file with better-sqlite3 and writes
// PostgreSQL with `pg`, table by table in foreign-key order, in ONE transaction (all or nothing).
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { migrate, rebuildKnowledgeIndex, type Deps } from "@xieshui/core/server";
import { printJson, UsageError, type Args, type CliIo } from "../io.ts";

/** Rows copied per table, in the order the tables were written. */
export interface RestoreResult {
  from: string;
  tables: { table: string; rows: number }[];
  rows: number;
  ms: number;
}

/** Thrown when the target already holds data: a restore never merges into a live district. */
export class RestoreTargetNotEmptyError extends Error {}

/** Max bind parameters per INSERT (PostgreSQL's limit is 65,535). */
const MAX_PARAMS = 30_000;

interface PgColumn {
  name: string;
  type: string;
}

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;

/** Tables of `names` ordered so that every table comes after the tables its foreign keys point at. */
function dependencyOrder(sqlite: Database.Database, names: string[]): string[] {
  const wanted = new Set(names);
  const deps = new Map(names.map((n) => [n, new Set((sqlite.pragma(`foreign_key_list(${q(n)})`) as { table: string }[]).map((f) => f.table).filter((t) => t !== n && wanted.has(t)))]));
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (n: string, path: Set<string>) => {
    if (done.has(n)) return;
    if (path.has(n)) throw new Error(`foreign keys form a cycle through ${n}`);
    path.add(n);
    for (const d of [...deps.get(n)!].sort()) visit(d, path);
    path.delete(n);
    done.add(n);
    out.push(n);
  };
  for (const n of [...names].sort()) visit(n, new Set());
  return out;
}

/** Rows of a self-referencing table (Unit.parentId) with every parent before its children. */
function parentsFirst(rows: Record<string, unknown>[], fk: { from: string; to: string }): Record<string, unknown>[] {
  const byKey = new Map(rows.map((r) => [r[fk.to], r]));
  const out: Record<string, unknown>[] = [];
  const placed = new Set<unknown>();
  const place = (r: Record<string, unknown>, depth: number) => {
    if (placed.has(r[fk.to])) return;
    const parent = r[fk.from] == null ? undefined : byKey.get(r[fk.from]);
    if (parent && parent !== r && depth < rows.length) place(parent, depth + 1);
    placed.add(r[fk.to]);
    out.push(r);
  };
  for (const r of rows) place(r, 0);
  return out;
}

/** A SQLite DateTime (Prisma's ISO text, or ms since the epoch from the raw stores) as PostgreSQL TIMESTAMP text in UTC. */
function timestampText(v: unknown): string | null {
  if (v == null) return null;
  let ms: number;
  if (typeof v === "number" || typeof v === "bigint") ms = Number(v);
  else if (/^\d+$/.test(String(v))) ms = Number(v);
  else {
    const s = String(v).replace(" ", "T");
    ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  }
  if (!Number.isFinite(ms)) throw new Error(`not a date: ${String(v)}`);
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

function convert(v: unknown, type: string): unknown {
  if (v == null) return null;
  if (type === "boolean") return v === 1 || v === 1n || v === true || v === "1" || v === "true";
  if (type.startsWith("timestamp")) return timestampText(v);
  if (typeof v === "bigint") return v.toString();
  return v;
}

/**
 * The knowledge search index (FTS5 on SQLite; tsvector, vocabulary and statistics tables on
 * PostgreSQL, some filled by the migration): derived data in each database's own shape, never
 * copied; restoreCommand rebuilds it from the copied articles.
 */
const DERIVED_TABLE = /^knowledge_(fts|index_meta)/;

/**
 * Copies every table of the SQLite file `from` (a `cli -- backup` copy, brought to the current
 * migrations on a scratch copy, the file itself untouched) into the migrated, empty PostgreSQL
 * database behind `pool`, in one transaction: a failure leaves the target as empty as it was.
 * Refuses a target in which any table holds a row. Sequences of autoincrement ids continue after
 * the copied ids. Tables that only SQLite has (its full-text index) are rebuilt by their owners.
 */
export async function restoreSqliteIntoPg(pool: pg.Pool, from: string): Promise<RestoreResult> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), "xieshui-restore-"));
  const copy = join(scratch, "source.db");
  copyFileSync(from, copy);
  const sqlite = new Database(copy);
  const client = await pool.connect();
  try {
    migrate(sqlite);
    const { rows: colRows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations' ORDER BY table_name, ordinal_position`,
    );
    const pgTables = new Map<string, PgColumn[]>();
    for (const r of colRows) {
      if (DERIVED_TABLE.test(r.table_name)) continue;
      if (!pgTables.has(r.table_name)) pgTables.set(r.table_name, []);
      pgTables.get(r.table_name)!.push({ name: r.column_name, type: r.data_type });
    }
    const sqliteTables = new Set((sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    const tables = dependencyOrder(sqlite, [...pgTables.keys()].filter((t) => sqliteTables.has(t)));

    await client.query("BEGIN");
    // Serialise with another restore (or a second run) into the same database.
    await client.query(`SELECT pg_advisory_xact_lock(1919251316)`);
    const nonEmpty: string[] = [];
    for (const table of pgTables.keys()) {
      const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${q(table)}) AS any`);
      if (rows[0].any) nonEmpty.push(table);
    }
    if (nonEmpty.length) {
      throw new RestoreTargetNotEmptyError(`the target database is not empty (${nonEmpty.slice(0, 5).join(", ")}${nonEmpty.length > 5 ? ", …" : ""}); restore only into a new, migrated database`);
    }

    const copied: { table: string; rows: number }[] = [];
    for (const table of tables) {
      const sqliteCols = new Set((sqlite.pragma(`table_info(${q(table)})`) as { name: string }[]).map((c) => c.name));
      const cols = pgTables.get(table)!.filter((c) => sqliteCols.has(c.name));
      let rows = sqlite.prepare(`SELECT ${cols.map((c) => q(c.name)).join(", ")} FROM ${q(table)}`).safeIntegers(true).all() as Record<string, unknown>[];
      const self = (sqlite.pragma(`foreign_key_list(${q(table)})`) as { table: string; from: string; to: string }[]).find((f) => f.table === table);
      if (self) rows = parentsFirst(rows, self);
      const perBatch = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
      const columnList = cols.map((c) => q(c.name)).join(", ");
      for (let i = 0; i < rows.length; i += perBatch) {
        const batch = rows.slice(i, i + perBatch);
        const values: unknown[] = [];
        const tuples = batch.map((row) => `(${cols.map((c) => (values.push(convert(row[c.name], c.type)), `$${values.length}`)).join(", ")})`);
        await client.query(`INSERT INTO ${q(table)} (${columnList}) VALUES ${tuples.join(", ")}`, values);
      }
      copied.push({ table, rows: rows.length });
    }

    // Autoincrement ids (AuditLog, Outbox, Clearance, ...) continue after the copied ones.
    const { rows: serials } = await client.query<{ table_name: string; column_name: string; seq: string }>(
      `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
         FROM information_schema.columns WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
    );
    for (const s of serials) {
      if (!s.seq) continue;
      await client.query(`SELECT setval($1, COALESCE((SELECT max(${q(s.column_name)}) FROM ${q(s.table_name)}), 0) + 1, false)`, [s.seq]);
    }
    await client.query("COMMIT");
    return { from, tables: copied, rows: copied.reduce((n, t) => n + t.rows, 0), ms: Date.now() - started };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
    sqlite.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `restore --from <backup.db>`: a SQLite backup (`cli -- backup`) into the empty PostgreSQL at DATABASE_URL. */
export async function restoreCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const from = args.options.get("from")?.[0];
  if (!from) throw new UsageError("restore needs --from <SQLite backup file>");
  if (!existsSync(from)) throw new UsageError(`${from} does not exist`);
  if (deps.db.dialect !== "postgresql") {
    throw new UsageError("restore writes into PostgreSQL: set DATABASE_URL=postgresql://… (on SQLite, put the backup file in place of the database instead)");
  }
  let result: RestoreResult;
  try {
    result = await restoreSqliteIntoPg(deps.db.pg, from);
  } catch (e) {
    if (!(e instanceof RestoreTargetNotEmptyError)) throw e;
    if (args.flags.has("json")) printJson(io, { error: { code: "conflict", reason: "target_not_empty", message: e.message } });
    io.err.write(`${e.message}\n`);
    return 1;
  }
  const index = await rebuildKnowledgeIndex(deps);
  if (args.flags.has("json")) printJson(io, { ...result, knowledgeIndexed: index.count });
  else {
    for (const t of result.tables) io.out.write(`${t.table.padEnd(24)} ${t.rows}\n`);
    io.out.write(`restored ${result.rows} rows from ${from} into ${deps.db.safeUrl} in ${result.ms} ms\n`);
  }
  return 0;
}
