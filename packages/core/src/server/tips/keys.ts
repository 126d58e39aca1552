import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The secrets of the tip line, kept in one owner-only JSON file outside the database (TIP_KEY_FILE,
 * default `tip-keys.json` beside the database): the receipt pepper and the AES-256-GCM keys. What
 * must stay true:
 * - every ciphertext names the id of its key, so `tips rotate-key` can re-encrypt row by row and
 *   old keys are dropped only once nothing uses them;
 * - the pepper never changes (receipt hashes depend on it), and without it a stolen database
 *   cannot test receipt guesses;
 * - the file is written atomically with mode 0600.
 */
export interface TipKeyring {
  /** The file the keys came from (rotate-key writes it back). */
  readonly file: string;
  readonly pepper: Buffer;
  /** The key new ciphertext is made with. */
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

interface KeyFile {
  version: 1;
  pepper: string;
  current: string;
  keys: Record<string, string>;
}

/** The key file's default place: beside the database file. */
export function defaultTipKeyFile(databaseFile: string): string {
  return join(dirname(databaseFile), "tip-keys.json");
}

const newKeyId = () => `k${randomBytes(4).toString("hex")}`;

/** Writes a key file atomically with owner-only permissions. */
export function writeTipKeyring(ring: Omit<TipKeyring, "file">, file: string): TipKeyring {
  const doc: KeyFile = {
    version: 1,
    pepper: ring.pepper.toString("base64"),
    current: ring.currentId,
    keys: Object.fromEntries([...ring.keys].map(([id, key]) => [id, key.toString("base64")])),
  };
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return { ...ring, file };
}

/**
 * Reads the key file; with `generate` (demo mode, tests) a missing file is created with a fresh
 * pepper and key. Throws a readable error when it is missing otherwise, unreadable, malformed,
 * or readable by others than its owner.
 */
export function loadTipKeyring(file: string, opts: { generate: boolean }): TipKeyring {
  if (!existsSync(file)) {
    if (!opts.generate) {
      throw new Error(`The tip key file ${file} does not exist. Create it with \`npm run -s cli -- tips rotate-key\` (or set TIP_KEY_FILE).`);
    }
    const id = newKeyId();
    return writeTipKeyring({ pepper: randomBytes(32), currentId: id, keys: new Map([[id, randomBytes(32)]]) }, file);
  }
  const mode = statSync(file).mode & 0o077;
  if (mode !== 0 && process.platform !== "win32") throw new Error(`The tip key file ${file} is readable by others; run chmod 600 on it.`);
  let doc: KeyFile;
  try {
    doc = JSON.parse(readFileSync(file, "utf8")) as KeyFile;
  } catch {
    throw new Error(`The tip key file ${file} is not valid JSON.`);
  }
  const pepper = Buffer.from(doc.pepper ?? "", "base64");
  const keys = new Map(Object.entries(doc.keys ?? {}).map(([id, b64]) => [id, Buffer.from(b64, "base64")] as const));
  if (doc.version !== 1 || pepper.length < 16 || !keys.has(doc.current) || [...keys.values()].some((k) => k.length !== 32)) {
    throw new Error(`The tip key file ${file} is malformed (pepper, current key and 32-byte keys expected).`);
  }
  return { file, pepper, currentId: doc.current, keys };
}

/** A new current key beside the old ones (which stay until re-encryption is done). */
export function addTipKey(ring: TipKeyring): TipKeyring {
  const id = newKeyId();
  const keys = new Map(ring.keys);
  keys.set(id, randomBytes(32));
  return writeTipKeyring({ pepper: ring.pepper, currentId: id, keys }, ring.file);
}

/** Drops every key but the current one (after everything was re-encrypted with it). */
export function dropOldTipKeys(ring: TipKeyring): TipKeyring {
  return writeTipKeyring({ pepper: ring.pepper, currentId: ring.currentId, keys: new Map([[ring.currentId, ring.keys.get(ring.currentId)!]]) }, ring.file);
}

function keyOf(ring: TipKeyring, id: string): Buffer {
  const key = ring.keys.get(id);
  if (!key) throw new Error(`tip key ${id} is not in the key file`);
  return key;
}

/** AES-256-GCM of a text under the current key, bound to `aad` (the row it belongs to): "<keyId>:<base64 iv|tag|ct>". */
export function encryptTipText(ring: TipKeyring, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(ring, ring.currentId), iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${ring.currentId}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64")}`;
}

/** The key id a ciphertext (text or file) was made with. */
export function tipKeyIdOf(value: string | Buffer): string {
  if (typeof value === "string") return value.slice(0, value.indexOf(":"));
  const len = value[4]!;
  return value.subarray(5, 5 + len).toString("latin1");
}

/** Decrypts `encryptTipText` output; throws when the key is unknown or the text or its binding was changed. */
export function decryptTipText(ring: TipKeyring, value: string, aad: string): string {
  const colon = value.indexOf(":");
  const raw = Buffer.from(value.slice(colon + 1), "base64");
  const decipher = createDecipheriv("aes-256-gcm", keyOf(ring, value.slice(0, colon)), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

const FILE_MAGIC = Buffer.from("XST1");

/** AES-256-GCM of a file's bytes: "XST1", key id length, key id, iv, tag, ciphertext. */
export function encryptTipBytes(ring: TipKeyring, bytes: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const id = Buffer.from(ring.currentId, "latin1");
  const cipher = createCipheriv("aes-256-gcm", keyOf(ring, ring.currentId), iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(bytes), cipher.final()]);
  return Buffer.concat([FILE_MAGIC, Buffer.from([id.length]), id, iv, cipher.getAuthTag(), ct]);
}

/** Decrypts `encryptTipBytes` output. */
export function decryptTipBytes(ring: TipKeyring, data: Buffer, aad: string): Buffer {
  if (!data.subarray(0, 4).equals(FILE_MAGIC)) throw new Error("not a tip attachment file");
  const id = tipKeyIdOf(data);
  const at = 5 + data[4]!;
  const decipher = createDecipheriv("aes-256-gcm", keyOf(ring, id), data.subarray(at, at + 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(data.subarray(at + 12, at + 28));
  return Buffer.concat([decipher.update(data.subarray(at + 28)), decipher.final()]);
}

/** scrypt cost: N = 2^14, r = 8 (16 MiB, tens of milliseconds a hash): slow for a guesser, fine for one lookup. */
export const RECEIPT_SCRYPT: ScryptOptions = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * The stored form of a receipt: hex scrypt(receipt, pepper). Deterministic under the pepper, so a
 * lookup is one indexed read; slow and keyed, so a stolen database alone cannot be searched.
 * Runs on libuv's thread pool, not the event loop.
 */
export function hashReceipt(ring: TipKeyring, receipt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scryptCb(receipt, ring.pepper, 32, RECEIPT_SCRYPT, (err, key) => (err ? reject(err) : resolve(key.toString("hex"))));
  });
}
