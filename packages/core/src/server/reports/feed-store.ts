import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { sqlDate } from "../hot-path.ts";

/**
 * The bulk write of a feed filing on the raw SQLite connection: the Report row, every FeedRow and
 * the audit row in ONE transaction (all or nothing). Prisma's createMany took ~18 s for 100k rows
 * here; prepared statements take well under a second. This is the only hand-written SQL of the
 * reports feature; a PostgreSQL twin would implement the same function with COPY or multi-row INSERT.
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

/** Writes a filing; returns the new report id. Throws (with code SQLITE_CONSTRAINT_UNIQUE) on a clientId race. */
export function insertFeedFiling(sqlite: Database.Database, rec: FeedFilingRecord): string {
  const id = `r${randomUUID().replace(/-/g, "")}`;
  const report = sqlite.prepare(
    `INSERT INTO "Report" (id, type, unitId, userId, clientId, data, summary, status, timeliness, dueAt, period, nil, rowCount, createdAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?)`,
  );
  const row = sqlite.prepare(`INSERT INTO "FeedRow" (reportId, line, data, flag) VALUES (?, ?, ?, ?)`);
  const audit = sqlite.prepare(`INSERT INTO "AuditLog" (at, userId, unitId, action, subject, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  sqlite.transaction(() => {
    const at = sqlDate(rec.createdAt);
    report.run(id, rec.type, rec.unitId, rec.userId, rec.clientId, rec.data, rec.summary, rec.timeliness, rec.dueAt ? sqlDate(rec.dueAt) : null, rec.period, rec.nil ? 1 : 0, rec.rows.length, at);
    for (const r of rec.rows) row.run(id, r.line, r.data, r.flag);
    audit.run(at, rec.userId, rec.unitId, rec.audit.action, id, rec.audit.result, rec.audit.detail);
  })();
  return id;
}

/** True for SQLite's unique-constraint error from the raw driver. */
export function isSqliteUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";
}
