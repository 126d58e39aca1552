import type Database from "better-sqlite3";
import type { ClearanceRow, ClearanceRowView } from "../../domain/clearance.ts";
import { lazy, sqlDate } from "../hot-path.ts";

/**
 * The ONE module with hand-written SQL for clearances: the check's lookups, its audit insert and
 * rate-limit count (run on every check, thousands a second), and the bulk import's upsert (a
 * million rows). Prisma would cost 25-80x per query here (../shared/notes/prisma-offline.md).
 * The SQL is plain and portable (no SQLite-only syntax beyond `ON CONFLICT ... DO UPDATE`, which
 * PostgreSQL shares); a PostgreSQL twin would implement the same interface. Statements are
 * prepared once per connection, on first use.
 */
export interface ClearanceStore {
  /** Vehicle rows for a normalised plate whose period ends on or after `since` (YYYY-MM-DD). */
  vehicleRowsByPlate(plate: string, since: string): ClearanceRowView[];
  /** Vehicle rows for a normalised VIN whose period ends on or after `since`. */
  vehicleRowsByVin(vin: string, since: string): ClearanceRowView[];
  /** Property rows for a contract number, or for the contract of a property certificate number. */
  propertyRows(key: string): ClearanceRowView[];
  /**
   * Appends one `clearance.check` audit row (the check's only write). Group commit: rows queued
   * during one event-loop turn are written in one transaction on the next `setImmediate`, and the
   * promise resolves only once the row is committed, so no check answers before its audit row is
   * durable. One transaction per row would cost a WAL commit (five pages: table + four indexes)
   * per check, which is what limits throughput.
   */
  insertCheckAudit(entry: CheckAuditEntry): Promise<void>;
  /** Checks this user made since `since` (denied-for-rate attempts do not count). */
  countChecksSince(userId: string, since: Date): number;
  /** The stored row of a certificate number, for import: id and the batch that last wrote it. */
  existing(certificateNo: string): { id: number; batchId: string | null } | undefined;
  /**
   * Inserts a row or, for a known certificate number, replaces its fields, in one statement.
   * Returns the row id, or null when the row was already written by this same batch (a duplicate
   * certificate number inside one file: left as first written). An id above the table's highest
   * id before the import means "inserted". `now` is sqlDate() text.
   */
  upsert(row: ClearanceRow, batchId: string, now: string): number | null;
  /** The highest Clearance id (0 when empty): ids above it were inserted afterwards. */
  maxId(): number;
  /**
   * Runs a bulk job with a larger page cache (32 MB instead of SQLite's 2 MB): a million-row
   * import touches four indexes whose pages would otherwise be evicted and re-read per batch.
   */
  withBulkCache<T>(fn: () => Promise<T>): Promise<T>;
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
  /** cleared | missing | denied | invalid | rate_limited */
  result: string;
  /** JSON without names or ID numbers */
  detail: string | null;
}

/** The audit action of a clearance check; the oversight queries read it. */
export const CHECK_AUDIT_ACTION = "clearance.check";

const VIEW = "certificateNo, tax, status, taxpayerName, periodStart, periodEnd";

const stores = new WeakMap<Database.Database, ClearanceStore>();

/** The clearance statements of a connection, created once per connection. */
export function clearanceStore(sqlite: Database.Database): ClearanceStore {
  let store = stores.get(sqlite);
  if (!store) {
    store = createClearanceStore(sqlite);
    stores.set(sqlite, store);
  }
  return store;
}

function createClearanceStore(sqlite: Database.Database): ClearanceStore {
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
  const count = lazy(() => sqlite.prepare<[string, string, string], { n: number }>(
    `SELECT count(*) AS n FROM AuditLog WHERE userId = ? AND at >= ? AND action = ? AND result <> 'rate_limited'`,
  ));
  const existing = lazy(() => sqlite.prepare<[string], { id: number; batchId: string | null }>(
    `SELECT id, batchId FROM Clearance WHERE certificateNo = ?`,
  ));
  const maxId = lazy(() => sqlite.prepare<[], { n: number | null }>(`SELECT max(id) AS n FROM Clearance`));
  const upsert = lazy(() => sqlite.prepare<unknown[], { id: number }>(
    `INSERT INTO Clearance (certificateNo, kind, tax, plate, vin, contractNo, taxpayerId, taxpayerName,
       periodStart, periodEnd, status, amountFen, paidOn, batchId, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (certificateNo) DO UPDATE SET kind = excluded.kind, tax = excluded.tax, plate = excluded.plate,
       vin = excluded.vin, contractNo = excluded.contractNo, taxpayerId = excluded.taxpayerId,
       taxpayerName = excluded.taxpayerName, periodStart = excluded.periodStart, periodEnd = excluded.periodEnd,
       status = excluded.status, amountFen = excluded.amountFen, paidOn = excluded.paidOn,
       batchId = excluded.batchId, updatedAt = excluded.updatedAt
     WHERE Clearance.batchId IS NOT excluded.batchId
     RETURNING id`,
  ));
  let queue: { e: CheckAuditEntry; resolve: () => void; reject: (error: unknown) => void }[] = [];
  const writeAudits = sqlite.transaction((items: typeof queue) => {
    for (const { e } of items) audit().run(sqlDate(e.at), e.userId, e.unitId, CHECK_AUDIT_ACTION, e.subject, e.result, e.detail);
  });
  const flushAudits = () => {
    const items = queue;
    queue = [];
    try {
      writeAudits(items);
      for (const item of items) item.resolve();
    } catch (error) {
      for (const item of items) item.reject(error);
    }
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
      return new Promise<void>((resolve, reject) => {
        queue.push({ e, resolve, reject });
        if (queue.length === 1) setImmediate(flushAudits);
      });
    },
    countChecksSince: (userId, since) => count().get(userId, sqlDate(since), CHECK_AUDIT_ACTION)?.n ?? 0,
    existing: (certificateNo) => existing().get(certificateNo),
    maxId: () => maxId().get()?.n ?? 0,
    upsert(r, batchId, now) {
      return upsert().get(r.certificateNo, r.kind, r.tax, r.plate, r.vin, r.contractNo, r.taxpayerId, r.taxpayerName, r.periodStart, r.periodEnd, r.status, r.amountFen, r.paidOn, batchId, now, now)?.id ?? null;
    },
    async withBulkCache(fn) {
      const previous = sqlite.pragma("cache_size", { simple: true }) as number;
      sqlite.pragma("cache_size = -32768");
      try {
        return await fn();
      } finally {
        sqlite.pragma(`cache_size = ${Number(previous)}`);
      }
    },
    transaction: (fn) => sqlite.transaction(fn)(),
  };
}
