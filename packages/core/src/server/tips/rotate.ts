import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Deps } from "../deps.ts";
import type { TipContext } from "./context.ts";
import { addTipKey, decryptTipBytes, decryptTipText, dropOldTipKeys, encryptTipBytes, encryptTipText, tipKeyIdOf } from "./keys.ts";
import { tipAad } from "./tipster.ts";

/**
 * `tips rotate-key`: adds a new key to the key file, re-encrypts every tip text, message, reason
 * and evidence file that is not under it yet, then drops the old keys. Safe to run again after a
 * crash: the key file keeps the old keys until everything was re-encrypted, and every ciphertext
 * names its key. Rows are rewritten on the raw connection with `secure_delete` on and the WAL is
 * truncated afterwards, so old ciphertext does not linger.
 */
export async function rotateTipKey(deps: Deps, tips: TipContext): Promise<{ keyId: string; tips: number; messages: number; events: number; files: number; droppedKeys: string[] }> {
  const before = [...tips.keys.keys.keys()];
  const ring = addTipKey(tips.keys);
  tips.setKeys(ring);
  const sqlite = deps.db.sqlite;
  sqlite.pragma("secure_delete = ON");
  const stale = (v: string) => tipKeyIdOf(v) !== ring.currentId;
  const counts = { tips: 0, messages: 0, events: 0, files: 0 };
  const tables = [
    { table: "Tip", column: "body", aad: tipAad.body, count: "tips" as const },
    { table: "TipMessage", column: "text", aad: tipAad.message, count: "messages" as const },
    { table: "TipEvent", column: "reason", aad: tipAad.event, count: "events" as const },
  ];
  for (const { table, column, aad, count } of tables) {
    const rows = sqlite.prepare(`SELECT "id", "${column}" AS v FROM "${table}"`).all() as { id: string; v: string }[];
    const update = sqlite.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE "id" = ?`);
    sqlite.transaction(() => {
      for (const row of rows) {
        if (!stale(row.v)) continue;
        update.run(encryptTipText(ring, decryptTipText(ring, row.v, aad(row.id)), aad(row.id)), row.id);
        counts[count] += 1;
      }
    })();
  }
  const atts = sqlite.prepare(`SELECT "id", "file", "keyId" FROM "TipAttachment"`).all() as { id: string; file: string; keyId: string }[];
  const setKey = sqlite.prepare(`UPDATE "TipAttachment" SET "keyId" = ? WHERE "id" = ?`);
  for (const att of atts) {
    if (att.keyId === ring.currentId) continue;
    const path = join(tips.storeDir, att.file);
    const plain = decryptTipBytes(ring, readFileSync(path), tipAad.attachment(att.id));
    writeFileSync(`${path}.tmp`, encryptTipBytes(ring, plain, tipAad.attachment(att.id)), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
    setKey.run(ring.currentId, att.id);
    counts.files += 1;
  }
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  tips.setKeys(dropOldTipKeys(ring));
  return { keyId: ring.currentId, ...counts, droppedKeys: before };
}
