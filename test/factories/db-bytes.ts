import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "@xieshui/core/server";

/**
 * Every byte a test database holds on disk, for privacy tests that must show a value was never
 * written: on SQLite the database file, its WAL and shared memory file as they are; on PostgreSQL
 * the files of every relation of the database (tables, their TOAST tables, indexes) after a
 * CHECKPOINT wrote every dirty buffer, so dead tuples (deleted or updated rows not yet vacuumed) are
 * read too. (PostgreSQL's WAL is shared by every database of the test server, so it is not read.)
 */
export async function databaseBytes(db: Db, opts: { tables?: string[] } = {}): Promise<Buffer[]> {
  if (db.dialect === "sqlite") return [db.file, `${db.file}-wal`, `${db.file}-shm`].filter(existsSync).map((f) => readFileSync(f));
  await db.pg.query("CHECKPOINT");
  const dataDir = (await db.pg.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d;
  const rels = opts.tables
    ? await db.pg.query<{ p: string | null }>(
        `SELECT pg_relation_filepath(c.oid) AS p FROM pg_class c WHERE c.oid = ANY($1::regclass[]) OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE oid = ANY($1::regclass[]))`,
        [opts.tables.map((t) => `"${t}"`)],
      )
    : await db.pg.query<{ p: string | null }>(`SELECT pg_relation_filepath(oid) AS p FROM pg_class WHERE relkind IN ('r', 't', 'i', 'm') AND relpersistence = 'p'`);
  const out: Buffer[] = [];
  for (const { p } of rels.rows) {
    if (!p) continue;
    // A relation over 1 GB continues in <file>.1, <file>.2 ...; the free space map and visibility map are not data.
    const base = join(dataDir, p);
    const dir = join(base, "..");
    const name = base.slice(dir.length + 1);
    for (const f of existsSync(dir) ? readdirSync(dir) : []) {
      if ((f === name || f.startsWith(`${name}.`)) && statSync(join(dir, f)).isFile()) out.push(readFileSync(join(dir, f)));
    }
  }
  if (out.length === 0) throw new Error("no relation files found");
  return out;
}
