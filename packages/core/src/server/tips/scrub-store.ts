import type { Db } from "../db.ts";

/** The tip tables whose ciphertext rotate-key rewrites. */
export type TipCipherTable = "Tip" | "TipMessage" | "TipEvent";
const COLUMNS: Record<TipCipherTable, string> = { Tip: "body", TipMessage: "text", TipEvent: "reason" };

/**
 * The raw side of purging and re-encrypting tips, where old ciphertext must not linger in the
 * database's free space. One interface, two implementations chosen by `db.dialect`:
 * - SQLite: one better-sqlite3 connection with `secure_delete` on (freed pages are zeroed), and the
 *   WAL checkpointed and truncated afterwards (old page images live there until then);
 * - PostgreSQL: plain DELETE / UPDATE in one transaction, then `VACUUM` of the tip tables (and
 *   StoredFile, where evidence lives on PostgreSQL). PostgreSQL has no secure_delete: a deleted or
 *   updated row stays on its page as a dead tuple until VACUUM removes it, so VACUUM is what replaces
 *   it. VACUUM is cheap here (it skips all-visible pages via the visibility map). What it does not
 *   do is overwrite WAL segments already written, nor return pages to the OS (VACUUM FULL would, with
 *   an exclusive lock): the bytes are AES-GCM ciphertext under a key that rotate-key drops, which is
 *   the protection that holds on both databases.
 */
export interface TipScrubStore {
  /** Ids of the tips whose retention ended on or before `today` (CST), with their evidence file keys. */
  duePurge(today: string): Promise<{ ids: string[]; files: string[] }>;
  /** Deletes the tips with their messages, history and attachment rows, in one transaction. */
  deleteTips(ids: readonly string[]): Promise<void>;
  /** Every ciphertext of one table's encrypted column. */
  ciphertexts(table: TipCipherTable): Promise<{ id: string; v: string }[]>;
  /** Rewrites ciphertexts of one table in one transaction. */
  rewrite(table: TipCipherTable, rows: readonly { id: string; v: string }[]): Promise<void>;
  /** Every attachment with its file key and the key id it is encrypted under. */
  attachments(): Promise<{ id: string; file: string; keyId: string }[]>;
  /** Records the key an attachment's file is now encrypted under. */
  setAttachmentKey(id: string, keyId: string): Promise<void>;
  /** After deletes or rewrites: removes what the old rows left behind (see above). */
  scrub(): Promise<void>;
}

const stores = new WeakMap<Db, TipScrubStore>();

/** The scrub store of a database (memoised per Db, so statements are prepared once per connection). */
export function tipScrubStoreFor(db: Db): TipScrubStore {
  let store = stores.get(db);
  if (!store) {
    store = db.dialect === "postgresql" ? pgStore(db) : sqliteStore(db);
    stores.set(db, store);
  }
  return store;
}

function sqliteStore(db: Db): TipScrubStore {
  const sqlite = db.sqlite;
  sqlite.pragma("secure_delete = ON");
  const due = sqlite.prepare(`SELECT "id" FROM "Tip" WHERE "purgeOn" IS NOT NULL AND "purgeOn" <= ?`);
  const filesOf = sqlite.prepare(`SELECT "file" FROM "TipAttachment" WHERE "tipId" = ?`);
  const del = sqlite.prepare(`DELETE FROM "Tip" WHERE "id" = ?`);
  const delChildren = [
    sqlite.prepare(`DELETE FROM "TipMessage" WHERE "tipId" = ?`),
    sqlite.prepare(`DELETE FROM "TipEvent" WHERE "tipId" = ?`),
    sqlite.prepare(`DELETE FROM "TipAttachment" WHERE "tipId" = ?`),
  ];
  const setKey = sqlite.prepare(`UPDATE "TipAttachment" SET "keyId" = ? WHERE "id" = ?`);
  return {
    async duePurge(today) {
      const ids = (due.all(today) as { id: string }[]).map((r) => r.id);
      const files = ids.flatMap((id) => (filesOf.all(id) as { file: string }[]).map((r) => r.file));
      return { ids, files };
    },
    async deleteTips(ids) {
      sqlite.transaction(() => {
        for (const id of ids) {
          for (const stmt of delChildren) stmt.run(id);
          del.run(id);
        }
      })();
    },
    async ciphertexts(table) {
      return sqlite.prepare(`SELECT "id", "${COLUMNS[table]}" AS v FROM "${table}"`).all() as { id: string; v: string }[];
    },
    async rewrite(table, rows) {
      const update = sqlite.prepare(`UPDATE "${table}" SET "${COLUMNS[table]}" = ? WHERE "id" = ?`);
      sqlite.transaction(() => {
        for (const row of rows) update.run(row.v, row.id);
      })();
    },
    async attachments() {
      return sqlite.prepare(`SELECT "id", "file", "keyId" FROM "TipAttachment"`).all() as { id: string; file: string; keyId: string }[];
    },
    async setAttachmentKey(id, keyId) {
      setKey.run(keyId, id);
    },
    async scrub() {
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
    },
  };
}

function pgStore(db: Db): TipScrubStore {
  const pool = db.pg;
  const inTransaction = async (work: (q: (name: string, text: string, values: unknown[]) => Promise<unknown>) => Promise<void>) => {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      await work((name, text, values) => c.query({ name, text, values }));
      await c.query("COMMIT");
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  };
  return {
    async duePurge(today) {
      const ids = (await pool.query<{ id: string }>({ name: "xs_tip_due_purge", text: `SELECT "id" FROM "Tip" WHERE "purgeOn" IS NOT NULL AND "purgeOn" <= $1`, values: [today] })).rows.map((r) => r.id);
      if (ids.length === 0) return { ids, files: [] };
      const files = (await pool.query<{ file: string }>({ name: "xs_tip_due_files", text: `SELECT "file" FROM "TipAttachment" WHERE "tipId" = ANY($1::text[])`, values: [ids] })).rows.map((r) => r.file);
      return { ids, files };
    },
    async deleteTips(ids) {
      if (ids.length === 0) return;
      await inTransaction(async (q) => {
        await q("xs_tip_del_messages", `DELETE FROM "TipMessage" WHERE "tipId" = ANY($1::text[])`, [ids]);
        await q("xs_tip_del_events", `DELETE FROM "TipEvent" WHERE "tipId" = ANY($1::text[])`, [ids]);
        await q("xs_tip_del_attachments", `DELETE FROM "TipAttachment" WHERE "tipId" = ANY($1::text[])`, [ids]);
        await q("xs_tip_del_tips", `DELETE FROM "Tip" WHERE "id" = ANY($1::text[])`, [ids]);
      });
    },
    async ciphertexts(table) {
      return (await pool.query<{ id: string; v: string }>({ name: `xs_tip_cipher_${table}`, text: `SELECT "id", "${COLUMNS[table]}" AS v FROM "${table}"` })).rows;
    },
    async rewrite(table, rows) {
      if (rows.length === 0) return;
      await inTransaction(async (q) => {
        for (const row of rows) await q(`xs_tip_rewrite_${table}`, `UPDATE "${table}" SET "${COLUMNS[table]}" = $1 WHERE "id" = $2`, [row.v, row.id]);
      });
    },
    async attachments() {
      return (await pool.query<{ id: string; file: string; keyId: string }>({ name: "xs_tip_attachments", text: `SELECT "id", "file", "keyId" FROM "TipAttachment"` })).rows;
    },
    async setAttachmentKey(id, keyId) {
      await pool.query({ name: "xs_tip_set_key", text: `UPDATE "TipAttachment" SET "keyId" = $1 WHERE "id" = $2`, values: [keyId, id] });
    },
    async scrub() {
      // Outside a transaction (VACUUM refuses to run inside one); one statement per table.
      for (const table of ["Tip", "TipMessage", "TipEvent", "TipAttachment", "StoredFile"]) await pool.query(`VACUUM "${table}"`);
    },
  };
}
