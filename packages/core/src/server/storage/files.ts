import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import type { Db } from "../db.ts";

/**
 * Where uploaded files live: report photos (namespace `uploads`) and encrypted tip attachments
 * (`tips`). One small interface with two implementations, so several API processes on one
 * PostgreSQL see the same files:
 * - a local folder (the default on SQLite: beside the database file, as before);
 * - the database itself (table StoredFile; the default on PostgreSQL), chosen with FILE_STORE=db
 *   on SQLite too. FILE_STORE=dir:<path> puts both namespaces under <path> on either database
 *   (a shared mount).
 * Keys are relative, path-like ("ab/ab12….jpg"); a key that would leave the folder is refused.
 * Writes are atomic: a crash never leaves a half-written file under its final key.
 */
export interface FileStore {
  /** Where the files are, for messages: a folder, or "database". */
  readonly location: string;
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under `key`, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  has(key: string): Promise<boolean>;
  /** Removes `key` (nothing when absent). */
  delete(key: string): Promise<void>;
}

export type FileNamespace = "uploads" | "tips";

function checkKey(key: string): string {
  if (!key || key.length > 300 || key.includes("\0") || key.startsWith("/") || key.split(/[\\/]/).some((p) => p === ".." || p === "")) {
    throw new Error(`invalid file key`);
  }
  return key;
}

/** Files in a folder (created on first write, mode 0700; files 0600). */
export function localFileStore(dir: string): FileStore {
  const root = resolve(dir);
  const pathOf = (key: string) => {
    const p = resolve(root, checkKey(key));
    if (!p.startsWith(root + sep)) throw new Error("invalid file key");
    return p;
  };
  return {
    location: root,
    async put(key, bytes) {
      const file = pathOf(key);
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${randomUUID()}.tmp`;
      writeFileSync(tmp, bytes, { mode: 0o600 });
      renameSync(tmp, file);
    },
    async get(key) {
      const file = pathOf(key);
      try {
        return readFileSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
    async has(key) {
      return existsSync(pathOf(key));
    },
    async delete(key) {
      rmSync(pathOf(key), { force: true });
    },
  };
}

/** Files in the database's StoredFile table (every process on the database sees them). */
export function databaseFileStore(db: Db, namespace: FileNamespace): FileStore {
  const prisma = db.prisma;
  return {
    location: "database",
    async put(key, bytes) {
      checkKey(key);
      const data = new Uint8Array(bytes); // a copy with its own ArrayBuffer, as Prisma's Bytes type wants
      await prisma.storedFile.upsert({
        where: { namespace_key: { namespace, key } },
        // Tip evidence carries no time (a millisecond timestamp could link a tipster to a request log).
        create: { namespace, key, bytes: data, size: bytes.length, ...(namespace === "tips" ? { createdAt: new Date(0) } : {}) },
        update: { bytes: data, size: bytes.length },
      });
    },
    async get(key) {
      checkKey(key);
      const row = await prisma.storedFile.findUnique({ where: { namespace_key: { namespace, key } }, select: { bytes: true } });
      return row ? Buffer.from(row.bytes) : null;
    },
    async has(key) {
      checkKey(key);
      return (await prisma.storedFile.count({ where: { namespace, key } })) > 0;
    },
    async delete(key) {
      checkKey(key);
      await prisma.storedFile.deleteMany({ where: { namespace, key } });
    },
  };
}

/**
 * The file store of a namespace for this database and environment (see FileStore). `FILE_STORE`:
 * unset (SQLite: folders beside the database; PostgreSQL: the database), `db`, or `dir:<path>`.
 * `dir` overrides the folder for one namespace (the tips context's storeDir option).
 */
export function fileStoreFor(db: Db, namespace: FileNamespace, opts: { dir?: string; setting?: string } = {}): FileStore {
  if (opts.dir) return localFileStore(opts.dir);
  const setting = (opts.setting ?? process.env.FILE_STORE ?? "").trim();
  if (setting === "db") return databaseFileStore(db, namespace);
  if (setting.startsWith("dir:")) return localFileStore(join(setting.slice(4), namespace));
  if (setting) throw new Error(`FILE_STORE must be "db" or "dir:<folder>" (got "${setting}")`);
  return db.dialect === "postgresql" ? databaseFileStore(db, namespace) : localFileStore(join(dirname(db.file), namespace));
}
