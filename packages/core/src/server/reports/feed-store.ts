import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { Db } from "../db.ts";
import { sqlDate } from "../hot-path.ts";
import { AppError } from "../errors.ts";
import { insertFeedFilingPg } from "./feed-store-pg.ts";

/**
 * The writes of feed filings on the raw driver (SQLite here, PostgreSQL in feed-store-pg.ts,
 * chosen by `feedStoreFor(db)`). An upload writes the Report row, every
 * FeedRow and the audit row in ONE transaction (all or nothing): Prisma's createMany took ~18 s for
 * 100k rows here; prepared statements take well under a second.
 *
 * One period of one feed holds, for a unit, either uploaded data or 本期无, never both (returned
 * filings do not count). Both writes check the other kind INSIDE their transaction, which is
 * `BEGIN IMMEDIATE` and synchronous: it holds SQLite's write lock from the check to the commit, so
 * a concurrent upload and 本期无 (same process or another) cannot both pass. The PostgreSQL twin
 * takes the same decision under a row lock on the unit (`SELECT ... FOR UPDATE`), with multi-row
 * INSERTs for the rows. This is the only hand-written SQL of the reports feature.
 */
export interface FeedFilingRecord {
  type: string;
  unitId: string;
  userId: string;
  clientId: string;
  data: string;
  summary: string;
  timeliness: string;
  dueAt: Date | null;
  period: string;
  nil: boolean;
  createdAt: Date;
  rows: { line: number; data: string; flag: string | null }[];
  audit: { action: string; result: string; detail: string | null };
}

const LIVE_FILING = `SELECT 1 FROM "Report" WHERE type = ? AND unitId = ? AND period = ? AND nil = ? AND status <> 'returned' LIMIT 1`;

/**
 * Writes a filing (an upload with its rows, or a 本期无 with none); returns the new report id.
 * Throws AppError `conflict` when the unit already holds the other kind of filing for the period
 * (`feed-period-filed-nil` / `feed-period-has-data`), and the raw SQLITE_CONSTRAINT_UNIQUE error on
 * a clientId race (the caller returns the first filing).
 */
export function insertFeedFiling(sqlite: Database.Database, rec: FeedFilingRecord): string {
  const id = `r${randomUUID().replace(/-/g, "")}`;
  const other = sqlite.prepare(LIVE_FILING);
  const report = sqlite.prepare(
    `INSERT INTO "Report" (id, type, unitId, userId, clientId, data, summary, status, timeliness, dueAt, period, nil, rowCount, createdAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?)`,
  );
  const row = sqlite.prepare(`INSERT INTO "FeedRow" (reportId, line, data, flag) VALUES (?, ?, ?, ?)`);
  const audit = sqlite.prepare(`INSERT INTO "AuditLog" (at, userId, unitId, action, subject, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  sqlite
    .transaction(() => {
      if (other.get(rec.type, rec.unitId, rec.period, rec.nil ? 0 : 1)) {
        throw new AppError("conflict", rec.nil ? { reason: "period_has_data", messageKey: "feed-period-has-data" } : { reason: "period_filed_nil", messageKey: "feed-period-filed-nil" });
      }
      const at = sqlDate(rec.createdAt);
      report.run(id, rec.type, rec.unitId, rec.userId, rec.clientId, rec.data, rec.summary, rec.timeliness, rec.dueAt ? sqlDate(rec.dueAt) : null, rec.period, rec.nil ? 1 : 0, rec.rows.length, at);
      for (const r of rec.rows) row.run(id, r.line, r.data, r.flag);
      audit.run(at, rec.userId, rec.unitId, rec.audit.action, id, rec.audit.result, rec.audit.detail);
    })
    .immediate();
  return id;
}

/** True for a unique-constraint error from either raw driver (SQLite's code, PostgreSQL's SQLSTATE 23505). */
export function isRawUniqueViolation(e: unknown): boolean {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}

/** Where feed filings are written: one implementation per dialect, the same rules (see insertFeedFiling). */
export interface FeedStore {
  /** insertFeedFiling on this database: the new report id, AppError `conflict`, or a unique violation (isRawUniqueViolation). */
  insertFiling(rec: FeedFilingRecord): Promise<string>;
}

const stores = new WeakMap<Db, FeedStore>();

/** The feed store of a database (memoised per Db). */
export function feedStoreFor(db: Db): FeedStore {
  let store = stores.get(db);
  if (!store) {
    store = db.dialect === "postgresql" ? { insertFiling: (rec) => insertFeedFilingPg(db.pg, rec) } : { insertFiling: async (rec) => insertFeedFiling(db.sqlite, rec) };
    stores.set(db, store);
  }
  return store;
}
