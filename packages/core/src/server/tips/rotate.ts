import type { Deps } from "../deps.ts";
import type { TipContext } from "./context.ts";
import { addTipKey, decryptTipBytes, decryptTipText, dropOldTipKeys, encryptTipBytes, encryptTipText, tipKeyIdOf } from "./keys.ts";
import { tipScrubStoreFor, type TipCipherTable } from "./scrub-store.ts";
import { tipAad } from "./tipster.ts";

/**
 * `tips rotate-key`: adds a new key to the key file, re-encrypts every tip text, message, reason
 * and evidence file that is not under it yet, then drops the old keys. Safe to run again after a
 * crash: the key file keeps the old keys until everything was re-encrypted, and every ciphertext
 * names its key. Rows are rewritten through the scrub store (SQLite: `secure_delete`, WAL
 * truncated; PostgreSQL: VACUUM afterwards), files through the tip file store (atomic put).
 */
export async function rotateTipKey(deps: Deps, tips: TipContext): Promise<{ keyId: string; tips: number; messages: number; events: number; files: number; droppedKeys: string[] }> {
  const before = [...tips.keys.keys.keys()];
  const ring = addTipKey(tips.keys);
  tips.setKeys(ring);
  const store = tipScrubStoreFor(deps.db);
  const stale = (v: string) => tipKeyIdOf(v) !== ring.currentId;
  const counts = { tips: 0, messages: 0, events: 0, files: 0 };
  const tables: { table: TipCipherTable; aad: (id: string) => string; count: "tips" | "messages" | "events" }[] = [
    { table: "Tip", aad: tipAad.body, count: "tips" },
    { table: "TipMessage", aad: tipAad.message, count: "messages" },
    { table: "TipEvent", aad: tipAad.event, count: "events" },
  ];
  for (const { table, aad, count } of tables) {
    const rows = (await store.ciphertexts(table)).filter((row) => stale(row.v));
    await store.rewrite(table, rows.map((row) => ({ id: row.id, v: encryptTipText(ring, decryptTipText(ring, row.v, aad(row.id)), aad(row.id)) })));
    counts[count] += rows.length;
  }
  for (const att of await store.attachments()) {
    if (att.keyId === ring.currentId) continue;
    const stored = await tips.files.get(att.file);
    if (stored) {
      const plain = decryptTipBytes(ring, stored, tipAad.attachment(att.id));
      await tips.files.put(att.file, encryptTipBytes(ring, plain, tipAad.attachment(att.id)));
    }
    await store.setAttachmentKey(att.id, ring.currentId);
    counts.files += 1;
  }
  await store.scrub();
  tips.setKeys(dropOldTipKeys(ring));
  return { keyId: ring.currentId, ...counts, droppedKeys: before };
}
