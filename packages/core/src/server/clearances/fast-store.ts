import Database from "better-sqlite3";
import type { ClearanceRow, ClearanceRowView } from "../../domain/clearance.ts";
import { applyPragmas, isConnectionError, type Db } from "../db.ts";
import { createPgClearanceStore, openPgBulkStore } from "./fast-store-pg.ts";

/** The ClearanceRow fields in the order of a flat import row (after the line number), = the INSERT's first 13 columns. */
export const CLEARANCE_ROW_FIELDS = ["certificateNo", "kind", "tax", "plate", "vin", "contractNo", "taxpayerId", "taxpayerName", "periodStart", "periodEnd", "status", "amountFen", "paidOn"] as const satisfies readonly (keyof ClearanceRow)[];
/** Values per flat import row: the line, then CLEARANCE_ROW_FIELDS. */
export const CLEARANCE_ROW_STRIDE = CLEARANCE_ROW_FIELDS.length + 1;
import { lazy, sqlDate } from "../hot-path.ts";

/** A value or a promise of it: the SQLite store answers synchronously, the PostgreSQL one asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/**
 * The clearance check's hand-written SQL, behind one interface with a SQLite implementation (this
 * file) and a PostgreSQL one (fast-store-pg.ts), chosen by `db.dialect` (clearanceStore): the
 * check's lookups, its audit insert and rate-limit count (run on every check, thousands a second).
 * Prisma would cost 25-80x per query here (../shared/notes/prisma-offline.md). Statements are
 * prepared once per connection (SQLite) or named once per pool (PostgreSQL), on first use.
 */
export interface ClearanceStore {
  /** Vehicle rows for a normalised plate whose period ends on or after `since` (YYYY-MM-DD). */
  vehicleRowsByPlate(plate: string, since: string): Awaitable<ClearanceRowView[]>;
  /** Vehicle rows for a normalised VIN whose period ends on or after `since`. */
  vehicleRowsByVin(vin: string, since: string): Awaitable<ClearanceRowView[]>;
  /** Property rows for a contract number, or for the contract of a property certificate number. */
  propertyRows(key: string): Awaitable<ClearanceRowView[]>;
  /**
   * Appends one `clearance.check` audit row (the check's only write). Group commit: rows queued
   * during one event-loop turn are written in one transaction on the next `setImmediate`, and the
   * promise resolves only once the row is committed, so no check answers before its audit row is
   * durable. One transaction per row would cost a WAL commit (five pages: table + four indexes)
   * per check, which is what limits throughput.
   * An entry with a `limit` is admitted by that transaction, which serialises with every other
   * connection and process writing checks of that user (SQLite: BEGIN IMMEDIATE, the database's
   * write lock; PostgreSQL: a transaction-scoped advisory lock per user taken before the count):
   * when the user already has `limit` counted checks in the hour before `at`, the row is written
   * as `rate_limited` instead (subject kept, detail dropped) and `entry.result` says so once the
   * promise resolves. That makes count-and-record one atomic step in the database.
   */
  insertCheckAudit(entry: CheckAuditEntry): Promise<void>;
  /**
   * Checks this user made since `since` (rate-limited attempts do not count): committed rows plus
   * this process's rows still waiting for the group commit, so a burst sees its own earlier
   * attempts. A quick first refusal; insertCheckAudit's admission is the one that holds across processes.
   */
  countChecksSince(userId: string, since: Date): Awaitable<number>;
}

/** The SQLite store, with the bulk import's statements (used on the import's own connection). */
export interface SqliteClearanceStore extends ClearanceStore {
  vehicleRowsByPlate(plate: string, since: string): ClearanceRowView[];
  vehicleRowsByVin(vin: string, since: string): ClearanceRowView[];
  propertyRows(key: string): ClearanceRowView[];
  countChecksSince(userId: string, since: Date): number;
  /** The stored row of a certificate number, for import: id and the batch that last wrote it. */
  existing(certificateNo: string): { id: number; batchId: string | null } | undefined;
  /**
   * Writes rows given as flat values, CLEARANCE_ROW_STRIDE per row: the file line, then the
   * ClearanceRow fields in CLEARANCE_ROW_FIELDS order (import-parse.ts flattens them so a batch
   * crosses threads as one array of primitives and is bound without building objects). Each row
   * is inserted or, for a known certificate number, its fields replaced, in one statement;
   * `onDuplicate(offset)` is called for a row whose number this same batch already wrote (a
   * duplicate inside one file: left as first written). Run it inside transaction(). `now` is
   * sqlDate() text. Returns how many rows were inserted and how many updated.
   */
  upsertRows(flat: readonly unknown[], batchId: string, now: string, onDuplicate: (offset: number) => void): { inserted: number; updated: number };
  /** Runs `fn` in one transaction (rolled back if it throws). */
  transaction<T>(fn: () => T): T;
}

/** One audit row of a check: who, their unit, when, what was looked up, and the outcome. */
export interface CheckAuditEntry {
  at: Date;
  userId: string | null;
  unitId: string | null;
  /** `<kind>:<normalised key>`: a plate, VIN or contract number, never a taxpayer ID */
  subject: string | null;
  /** cleared | missing | denied | invalid | rate_limited; set to rate_limited by the commit when the limit was reached */
  result: string;
  /** JSON without names or ID numbers */
  detail: string | null;
  /** The hourly limit this attempt is subject to (absent or 0: none), admitted at commit. */
  limit?: number;
}

const HOUR_MS = 3_600_000;

/** The audit action of a clearance check; the oversight queries read it. */
export const CHECK_AUDIT_ACTION = "clearance.check";

const VIEW = "certificateNo, tax, status, taxpayerName, periodStart, periodEnd";

const stores = new WeakMap<Database.Database, SqliteClearanceStore>();
const dbStores = new WeakMap<Db, ClearanceStore>();

/**
 * The clearance store of a database, by dialect, created once per Db (so prepared statements and
 * the group commit are per connection or pool, and every check of a process shares one commit).
 */
export function clearanceStore(db: Db): ClearanceStore {
  let store = dbStores.get(db);
  if (!store) {
    store = db.dialect === "postgresql" ? createPgClearanceStore(db.pg) : sqliteClearanceStore(db.sqlite);
    dbStores.set(db, store);
  }
  return store;
}

/** The SQLite clearance statements of a connection, created once per connection. */
export function sqliteClearanceStore(sqlite: Database.Database): SqliteClearanceStore {
  let store = stores.get(sqlite);
  if (!store) {
    store = createClearanceStore(sqlite);
    stores.set(sqlite, store);
  }
  return store;
}

function createClearanceStore(sqlite: Database.Database): SqliteClearanceStore {
  const byPlate = lazy(() => sqlite.prepare<[string, string], ClearanceRowView>(
    `SELECT ${VIEW} FROM Clearance WHERE plate = ? AND periodEnd >= ? AND kind = 'vehicle_vessel'`,
  ));
  const byVin = lazy(() => sqlite.prepare<[string, string], ClearanceRowView>(
    `SELECT ${VIEW} FROM Clearance WHERE vin = ? AND periodEnd >= ? AND kind = 'vehicle_vessel'`,
  ));
  const byContract = lazy(() => sqlite.prepare<[string], ClearanceRowView>(
    `SELECT ${VIEW} FROM Clearance WHERE contractNo = ? AND kind = 'property_transfer'`,
  ));
  const contractOfCertificate = lazy(() => sqlite.prepare<[string], { contractNo: string | null }>(
    `SELECT contractNo FROM Clearance WHERE certificateNo = ? AND kind = 'property_transfer'`,
  ));
  const audit = lazy(() => sqlite.prepare<[string, string | null, string | null, string, string | null, string, string | null]>(
    `INSERT INTO AuditLog (at, userId, unitId, action, subject, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ));
  // Literal action and result, so that SQLite can prove the partial index AuditLog_check_quota_partial
  // (prisma/migrations/20261201194000_check_quota_index) covers the query: the count then reads only
  // counted rows, never the rate-limited attempts of a flood nor other users' checks.
  const count = lazy(() => sqlite.prepare<[string, string], { n: number }>(
    `SELECT count(*) AS n FROM AuditLog WHERE userId = ? AND at >= ? AND action = '${CHECK_AUDIT_ACTION}' AND result <> 'rate_limited'`,
  ));
  const existing = lazy(() => sqlite.prepare<[string], { id: number; batchId: string | null }>(
    `SELECT id, batchId FROM Clearance WHERE certificateNo = ?`,
  ));
  // Two statements instead of one `ON CONFLICT DO UPDATE ... RETURNING id`: RETURNING cost ~3 us
  // of ~11 us per row, and a new certificate number (the common case) needs only the INSERT.
  const insert = lazy(() => sqlite.prepare<unknown[]>(
    `INSERT INTO Clearance (certificateNo, kind, tax, plate, vin, contractNo, taxpayerId, taxpayerName,
       periodStart, periodEnd, status, amountFen, paidOn, batchId, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (certificateNo) DO NOTHING`,
  ));
  // A known number: replace its fields, unless this same batch wrote it (a duplicate in the file).
  const update = lazy(() => sqlite.prepare<unknown[]>(
    `UPDATE Clearance SET kind = ?, tax = ?, plate = ?, vin = ?, contractNo = ?, taxpayerId = ?,
       taxpayerName = ?, periodStart = ?, periodEnd = ?, status = ?, amountFen = ?, paidOn = ?,
       batchId = ?, updatedAt = ?
     WHERE certificateNo = ? AND batchId IS NOT ?`,
  ));
  // Group commit: the rows queued in one event-loop turn share one transaction and one promise
  // (no promise or closure per check), settled once that transaction has committed or failed.
  let queue: CheckAuditEntry[] = [];
  // Counted rows per user in `queue` (what countChecksSince adds to the committed count).
  const queuedByUser = new Map<string, number>();
  let settle: { resolve: () => void; reject: (error: unknown) => void } | null = null;
  let pending: Promise<void> | null = null;
  let lastAt = NaN;
  let lastAtText = "";
  // Per user, within one commit: the window start last counted and the counted rows in it so far
  // (the count reads this transaction's own inserts too, so it only needs refreshing when `since` moves).
  const windows = new Map<string, { since: number; n: number }>();
  const writeAudits = sqlite.transaction((items: CheckAuditEntry[]) => {
    const statement = audit();
    const counter = count();
    windows.clear();
    for (const e of items) {
      const at = e.at.getTime();
      if (at !== lastAt) {
        lastAt = at;
        lastAtText = sqlDate(e.at);
      }
      let window = e.userId && e.result !== "rate_limited" ? windows.get(e.userId) : undefined;
      if (e.limit && e.limit > 0 && e.userId && e.result !== "rate_limited") {
        const since = at - HOUR_MS;
        if (!window || window.since !== since) {
          window = { since, n: counter.get(e.userId, sqlDate(new Date(since)))?.n ?? 0 };
          windows.set(e.userId, window);
        }
        if (window.n >= e.limit) {
          e.result = "rate_limited";
          e.detail = null;
        }
      }
      statement.run(lastAtText, e.userId, e.unitId, CHECK_AUDIT_ACTION, e.subject, e.result, e.detail);
      if (window && e.result !== "rate_limited") window.n++;
    }
  });
  const flushAudits = () => {
    const items = queue;
    const done = settle!;
    queue = [];
    queuedByUser.clear();
    settle = null;
    pending = null;
    try {
      // IMMEDIATE: the write lock is taken before the limit's count, so no other connection can
      // commit a check between that count and these rows.
      writeAudits.immediate(items);
    } catch (error) {
      done.reject(error);
      return;
    }
    done.resolve();
  };
  return {
    vehicleRowsByPlate: (plate, since) => byPlate().all(plate, since),
    vehicleRowsByVin: (vin, since) => byVin().all(vin, since),
    propertyRows(key) {
      const rows = byContract().all(key);
      if (rows.length) return rows;
      const contract = contractOfCertificate().get(key)?.contractNo;
      return contract ? byContract().all(contract) : [];
    },
    insertCheckAudit(e) {
      queue.push(e);
      if (e.userId && e.result !== "rate_limited") queuedByUser.set(e.userId, (queuedByUser.get(e.userId) ?? 0) + 1);
      if (!pending) {
        pending = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
        setImmediate(flushAudits);
      }
      return pending;
    },
    countChecksSince: (userId, since) => (count().get(userId, sqlDate(since))?.n ?? 0) + (queuedByUser.get(userId) ?? 0),
    existing: (certificateNo) => existing().get(certificateNo),
    upsertRows(flat, batchId, now, onDuplicate) {
      const add = insert();
      const replace = update();
      const params: unknown[] = new Array(CLEARANCE_ROW_FIELDS.length + 3);
      params[CLEARANCE_ROW_FIELDS.length] = batchId;
      params[CLEARANCE_ROW_FIELDS.length + 1] = now;
      params[CLEARANCE_ROW_FIELDS.length + 2] = now;
      const n = CLEARANCE_ROW_FIELDS.length;
      const updateParams: unknown[] = new Array(n + 3); // fields 2..13, batchId, now, certificateNo, batchId
      updateParams[n - 1] = batchId;
      updateParams[n] = now;
      updateParams[n + 2] = batchId;
      let inserted = 0;
      let updated = 0;
      for (let o = 0; o < flat.length; o += CLEARANCE_ROW_STRIDE) {
        for (let f = 0; f < n; f++) params[f] = flat[o + 1 + f];
        if (add.run(params).changes) {
          inserted++;
          continue;
        }
        for (let f = 1; f < n; f++) updateParams[f - 1] = params[f];
        updateParams[n + 1] = params[0];
        if (replace.run(updateParams).changes) updated++;
        else onDuplicate(o);
      }
      return { inserted, updated };
    },
    transaction: (fn) => sqlite.transaction(fn)(),
  };
}

/** What one batch of an import did (or, on a dry run, would do). `duplicates`: offsets of rows whose number this import already wrote, in order. */
export interface BulkBatchResult {
  inserted: number;
  updated: number;
  duplicates: number[];
}

/**
 * The bulk import's writer, on a connection of its own (SQLite: openBulkConnection; PostgreSQL: a
 * connection of the pool held for the whole import), so the import's settings and temporary table
 * never touch the connection that serves checks. Rows are flat (CLEARANCE_ROW_STRIDE per row).
 * What must stay true on both databases: each batch is ONE transaction; a known certificate
 * number updates its row (`updated`), a new one is inserted; a number this same import already
 * wrote (earlier in the batch or in an earlier batch) is left as first written and reported in
 * `duplicates`; a dry run counts the same way without writing, remembering the file's numbers in
 * a temporary table (bounded memory for any file size).
 */
export interface ClearanceBulkStore {
  /** Writes one batch in one transaction (rolled back as a whole if it throws). */
  writeBatch(flat: readonly unknown[], batchId: string, now: Date): Promise<BulkBatchResult>;
  /** A dry run's batch: what writeBatch would report, nothing written. */
  countBatch(flat: readonly unknown[]): Promise<BulkBatchResult>;
  /** Whether `error` (thrown by writeBatch) is the database refusing the batch (disk full, lock timeout, lost connection): the import stops there as `partial`. */
  refused(error: unknown): boolean;
  /** Drops the temporary table and closes (or returns) the connection. */
  close(): Promise<void>;
}

/** Opens the bulk import's writer on `db` (see ClearanceBulkStore). The caller closes it. */
export async function openClearanceBulkStore(db: Db): Promise<ClearanceBulkStore> {
  if (db.dialect === "postgresql") {
    const store = await openPgBulkStore(db.pg, CLEARANCE_ROW_STRIDE, CLEARANCE_ROW_FIELDS.length);
    return { ...store, refused: (e) => isPgRefusal(e) };
  }
  const sqlite = openBulkConnection(db.file);
  const store = sqliteClearanceStore(sqlite);
  let seen: SeenCertificates | null = null;
  return {
    async writeBatch(flat, batchId, now) {
      const duplicates: number[] = [];
      const counts = store.transaction(() => store.upsertRows(flat, batchId, sqlDate(now), (o) => duplicates.push(o)));
      return { ...counts, duplicates };
    },
    async countBatch(flat) {
      seen ??= createSeenCertificates(sqlite);
      const s = seen;
      const result: BulkBatchResult = { inserted: 0, updated: 0, duplicates: [] };
      store.transaction(() => {
        for (let o = 0; o < flat.length; o += CLEARANCE_ROW_STRIDE) {
          const certificateNo = flat[o + 1] as string;
          if (!s.add(certificateNo)) result.duplicates.push(o);
          else if (store.existing(certificateNo)) result.updated++;
          else result.inserted++;
        }
      });
      return result;
    },
    refused: (e) => /SQLITE_/.test((e as { code?: string }).code ?? ""),
    async close() {
      try {
        seen?.drop();
      } finally {
        sqlite.close();
      }
    },
  };
}

/** A PostgreSQL error (SQLSTATE, from the server) or a lost connection, as opposed to a bug in our code. */
function isPgRefusal(e: unknown): boolean {
  const o = e as { code?: unknown; severity?: unknown } | null;
  return (typeof o?.code === "string" && /^[0-9A-Z]{5}$/.test(o.code) && typeof o.severity === "string") || isConnectionError(e);
}

/**
 * Opens the bulk import's OWN connection to the database file, with pragmas for a bulk job: a
 * 32 MB page cache, no mmap (pages touched through mmap count in the importing process's RSS, and
 * an import touches the whole file: RSS target 400 MB for 1M rows), and a checkpoint every 40 MB
 * of WAL instead of 4 MB (index pages rewritten by consecutive batches are copied back once, not
 * once per batch; commits stay as durable). They used to be set and restored on the shared
 * connection, so two overlapping imports left the connection that serves checks without mmap for
 * good; now they never touch it. Temporary tables go to a file. The caller closes it.
 */
export function openBulkConnection(file: string): Database.Database {
  const sqlite = new Database(file);
  try {
    applyPragmas(sqlite);
    sqlite.pragma("cache_size = -32768");
    sqlite.pragma("mmap_size = 0");
    sqlite.pragma("wal_autocheckpoint = 10000");
    sqlite.pragma("temp_store = FILE");
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return sqlite;
}

/** Certificate numbers seen so far in one file (see createSeenCertificates). */
export interface SeenCertificates {
  /** Records a number; false when it was recorded before. */
  add(certificateNo: string): boolean;
  /** Drops the table (closing the connection drops it too). */
  drop(): void;
}

/**
 * A set of certificate numbers in a TEMP table of `sqlite` (a bulk connection), with an 8 MB page
 * cache and the rest on disk: how a dry run recognises a number repeated anywhere in a file of a
 * million rows in bounded memory (a real import recognises it by the batch id on the row it wrote).
 */
export function createSeenCertificates(sqlite: Database.Database): SeenCertificates {
  sqlite.pragma("temp.cache_size = -8192");
  sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS import_seen (certificateNo TEXT PRIMARY KEY) WITHOUT ROWID`);
  sqlite.exec(`DELETE FROM temp.import_seen`);
  const insert = sqlite.prepare<[string]>(`INSERT INTO temp.import_seen (certificateNo) VALUES (?) ON CONFLICT DO NOTHING`);
  return {
    add: (certificateNo) => insert.run(certificateNo).changes === 1,
    drop: () => sqlite.exec(`DROP TABLE IF EXISTS temp.import_seen`),
  };
}
