import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AppError } from "../errors.ts";
import type { FeedFilingRecord } from "./feed-store.ts";

/** Feed rows per INSERT (arrays through unnest: one statement per batch, not one per row). */
const ROW_BATCH = 5000;

/**
 * insertFeedFiling on PostgreSQL: the Report row, its FeedRows and the audit row in ONE
 * transaction. The "data or 本期无, never both" check runs under a row lock on the unit (`SELECT
 * ... FOR UPDATE`), so two processes filing for one unit at once take turns: the second sees the
 * first's filing and is refused. A clientId race surfaces as SQLSTATE 23505 (isRawUniqueViolation).
 */
export async function insertFeedFilingPg(pool: pg.Pool, rec: FeedFilingRecord): Promise<string> {
  const id = `r${randomUUID().replace(/-/g, "")}`;
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    await c.query({ name: "xs_feed_lock_unit", text: `SELECT 1 FROM "Unit" WHERE id = $1 FOR UPDATE`, values: [rec.unitId] });
    const other = await c.query({
      name: "xs_feed_live_filing",
      text: `SELECT 1 FROM "Report" WHERE type = $1 AND "unitId" = $2 AND period = $3 AND nil = $4 AND status <> 'returned' LIMIT 1`,
      values: [rec.type, rec.unitId, rec.period, !rec.nil],
    });
    if (other.rowCount) {
      throw new AppError("conflict", rec.nil ? { reason: "period_has_data", messageKey: "feed-period-has-data" } : { reason: "period_filed_nil", messageKey: "feed-period-filed-nil" });
    }
    const at = rec.createdAt.toISOString();
    await c.query({
      name: "xs_feed_report",
      text: `INSERT INTO "Report" (id, type, "unitId", "userId", "clientId", data, summary, status, timeliness, "dueAt", period, nil, "rowCount", "createdAt")
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $10, $11, $12, $13)`,
      values: [id, rec.type, rec.unitId, rec.userId, rec.clientId, rec.data, rec.summary, rec.timeliness, rec.dueAt ? rec.dueAt.toISOString() : null, rec.period, rec.nil, rec.rows.length, at],
    });
    for (let i = 0; i < rec.rows.length; i += ROW_BATCH) {
      const batch = rec.rows.slice(i, i + ROW_BATCH);
      await c.query({
        name: "xs_feed_rows",
        text: `INSERT INTO "FeedRow" ("reportId", line, data, flag) SELECT $1, line, data, flag FROM unnest($2::int[], $3::text[], $4::text[]) AS r(line, data, flag)`,
        values: [id, batch.map((r) => r.line), batch.map((r) => r.data), batch.map((r) => r.flag)],
      });
    }
    await c.query({
      name: "xs_feed_audit",
      text: `INSERT INTO "AuditLog" (at, "userId", "unitId", action, subject, result, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      values: [at, rec.userId, rec.unitId, rec.audit.action, id, rec.audit.result, rec.audit.detail],
    });
    await c.query("COMMIT");
    return id;
  } catch (error) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    c.release();
  }
}
