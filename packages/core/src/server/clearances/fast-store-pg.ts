import type { Pool, PoolClient } from "pg";
import type { ClearanceRowView } from "../../domain/clearance.ts";
import type { CheckAuditEntry, ClearanceBulkStore, ClearanceStore } from "./fast-store.ts";

// The clearance store on PostgreSQL: the same lookups, audit group commit and per-user limit as
// the SQLite one (fast-store.ts), as named (server-prepared) statements on the raw `pg` pool.
// The action literal is 'clearance.check' (CHECK_AUDIT_ACTION; not imported as a value because
// fast-store.ts imports this module), so that the planner can use the partial index
// "AuditLog_check_quota_partial" (prisma/pg/migrations/20261202010000_init).

const HOUR_MS = 3_600_000;
const VIEW = `"certificateNo", tax, status, "taxpayerName", "periodStart", "periodEnd"`;
const BY_PLATE = `SELECT ${VIEW} FROM "Clearance" WHERE plate = $1 AND "periodEnd" >= $2 AND kind = 'vehicle_vessel'`;
const BY_VIN = `SELECT ${VIEW} FROM "Clearance" WHERE vin = $1 AND "periodEnd" >= $2 AND kind = 'vehicle_vessel'`;
const BY_CONTRACT = `SELECT ${VIEW} FROM "Clearance" WHERE "contractNo" = $1 AND kind = 'property_transfer'`;
const CONTRACT_OF_CERTIFICATE = `SELECT "contractNo" FROM "Clearance" WHERE "certificateNo" = $1 AND kind = 'property_transfer'`;
const COUNT = `SELECT count(*)::int AS n FROM "AuditLog"
  WHERE "userId" = $1 AND at >= $2 AND action = 'clearance.check' AND result <> 'rate_limited'`;
// One statement for any number of rows (arrays, one per column), so it is prepared once.
const INSERT_AUDITS = `INSERT INTO "AuditLog" (at, "userId", "unitId", action, subject, result, detail)
  SELECT a, u, un, 'clearance.check', s, r, d
  FROM unnest($1::timestamp(3)[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(a, u, un, s, r, d)`;
// Per-user locks in one statement, in key order, so two processes committing checks of the same
// users never wait on each other in opposite orders (no deadlock). Released at COMMIT/ROLLBACK.
const LOCK_USERS = `SELECT count(pg_advisory_xact_lock(k)) FROM
  (SELECT DISTINCT hashtextextended('xs-check-limit:' || u, 0) AS k FROM unnest($1::text[]) AS u ORDER BY 1) AS keys`;

/** `timestamp(3)` parameters: ISO text in UTC (PostgreSQL ignores the zone for a column without one, and these columns hold UTC). */
function ts(at: Date): string {
  return at.toISOString();
}

/** Rolls back and releases a client whose transaction failed (a broken connection is destroyed). */
async function rollback(client: PoolClient, error: unknown): Promise<never> {
  try {
    await client.query("ROLLBACK");
    client.release();
  } catch {
    client.release(true);
  }
  throw error;
}

/**
 * The check's store on PostgreSQL. The group commit works as on SQLite, except that a commit is a
 * network round trip: while one commit is in flight the next checks queue, and are written
 * together as soon as it has finished (one commit in flight per process; across processes the
 * per-user advisory lock orders them).
 */
export function createPgClearanceStore(pool: Pool): ClearanceStore {
  let queue: CheckAuditEntry[] = [];
  // Counted rows per user queued or in flight in this process (what countChecksSince adds).
  const uncommittedByUser = new Map<string, number>();
  let settle: { resolve: () => void; reject: (error: unknown) => void } | null = null;
  let pending: Promise<void> | null = null;
  let scheduled = false;
  let flushing = false;

  const counted = (e: CheckAuditEntry) => e.userId !== null && e.result !== "rate_limited";
  const forget = (tracked: CheckAuditEntry[]) => {
    for (const e of tracked) {
      const n = (uncommittedByUser.get(e.userId!) ?? 1) - 1;
      if (n > 0) uncommittedByUser.set(e.userId!, n);
      else uncommittedByUser.delete(e.userId!);
    }
  };

  async function commit(items: CheckAuditEntry[]): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const limited = [...new Set(items.filter((e) => e.limit && e.limit > 0 && counted(e)).map((e) => e.userId!))];
      if (limited.length) {
        await client.query({ name: "xs_check_lock_users", text: LOCK_USERS, values: [limited] });
        // Per user: the window start last counted and the counted rows in it (committed ones,
        // which the lock makes final, plus those admitted earlier in this commit).
        const windows = new Map<string, { since: number; base: number; admitted: number[] }>();
        for (const e of items) {
          if (!(e.limit && e.limit > 0 && counted(e))) continue;
          const since = e.at.getTime() - HOUR_MS;
          let w = windows.get(e.userId!);
          if (!w || w.since !== since) {
            const { rows } = await client.query<{ n: number }>({ name: "xs_check_count", text: COUNT, values: [e.userId, ts(new Date(since))] });
            w = { since, base: rows[0]?.n ?? 0, admitted: w?.admitted ?? [] };
            windows.set(e.userId!, w);
          }
          let n = w.base;
          for (const at of w.admitted) if (at >= since) n++;
          if (n >= e.limit) {
            e.result = "rate_limited";
            e.detail = null;
          } else {
            w.admitted.push(e.at.getTime());
          }
        }
      }
      const cols: unknown[][] = [[], [], [], [], [], []];
      for (const e of items) {
        cols[0]!.push(ts(e.at));
        cols[1]!.push(e.userId);
        cols[2]!.push(e.unitId);
        cols[3]!.push(e.subject);
        cols[4]!.push(e.result);
        cols[5]!.push(e.detail);
      }
      await client.query({ name: "xs_check_audits", text: INSERT_AUDITS, values: cols });
      await client.query("COMMIT");
    } catch (error) {
      return rollback(client, error);
    }
    client.release();
  }

  function flush(): void {
    scheduled = false;
    const items = queue;
    const done = settle!;
    // The rows counted in uncommittedByUser, taken before the commit may turn some into rate_limited.
    const tracked = items.filter(counted);
    queue = [];
    settle = null;
    pending = null;
    flushing = true;
    commit(items).then(
      () => done.resolve(),
      (error: unknown) => done.reject(error),
    ).finally(() => {
      forget(tracked);
      flushing = false;
      if (queue.length && !scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  }

  const view = async (name: string, text: string, values: unknown[]) => (await pool.query<ClearanceRowView>({ name, text, values })).rows;

  return {
    vehicleRowsByPlate: (plate, since) => view("xs_clearance_by_plate", BY_PLATE, [plate, since]),
    vehicleRowsByVin: (vin, since) => view("xs_clearance_by_vin", BY_VIN, [vin, since]),
    async propertyRows(key) {
      const rows = await view("xs_clearance_by_contract", BY_CONTRACT, [key]);
      if (rows.length) return rows;
      const found = await pool.query<{ contractNo: string | null }>({ name: "xs_clearance_contract_of", text: CONTRACT_OF_CERTIFICATE, values: [key] });
      const contract = found.rows[0]?.contractNo;
      return contract ? view("xs_clearance_by_contract", BY_CONTRACT, [contract]) : [];
    },
    insertCheckAudit(e) {
      queue.push(e);
      if (counted(e)) uncommittedByUser.set(e.userId!, (uncommittedByUser.get(e.userId!) ?? 0) + 1);
      if (!pending) pending = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      if (!scheduled && !flushing) {
        scheduled = true;
        setImmediate(flush);
      }
      return pending;
    },
    async countChecksSince(userId, since) {
      const { rows } = await pool.query<{ n: number }>({ name: "xs_check_count", text: COUNT, values: [userId, ts(since)] });
      return (rows[0]?.n ?? 0) + (uncommittedByUser.get(userId) ?? 0);
    },
  };
}

/** Columns of a Clearance row written by the import, after the 13 CLEARANCE_ROW_FIELDS. */
const UPSERT = `INSERT INTO "Clearance" ("certificateNo", kind, tax, plate, vin, "contractNo", "taxpayerId", "taxpayerName",
    "periodStart", "periodEnd", status, "amountFen", "paidOn", "batchId", "createdAt", "updatedAt")
  SELECT c, k, t, p, v, ct, ti, tn, ps, pe, st, am, po, $14, $15::timestamp(3), $15::timestamp(3)
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[]) AS x(c, k, t, p, v, ct, ti, tn, ps, pe, st, am, po)
  ON CONFLICT ("certificateNo") DO UPDATE SET kind = EXCLUDED.kind, tax = EXCLUDED.tax, plate = EXCLUDED.plate,
    vin = EXCLUDED.vin, "contractNo" = EXCLUDED."contractNo", "taxpayerId" = EXCLUDED."taxpayerId",
    "taxpayerName" = EXCLUDED."taxpayerName", "periodStart" = EXCLUDED."periodStart", "periodEnd" = EXCLUDED."periodEnd",
    status = EXCLUDED.status, "amountFen" = EXCLUDED."amountFen", "paidOn" = EXCLUDED."paidOn",
    "batchId" = EXCLUDED."batchId", "updatedAt" = EXCLUDED."updatedAt"
  WHERE "Clearance"."batchId" IS DISTINCT FROM EXCLUDED."batchId"
  RETURNING "certificateNo", (xmax = 0) AS inserted`;
const SEEN_CREATE = `CREATE TEMP TABLE IF NOT EXISTS import_seen ("certificateNo" text PRIMARY KEY)`;
const SEEN_ADD = `INSERT INTO import_seen ("certificateNo") SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING "certificateNo"`;
const KNOWN = `SELECT count(*)::int AS n FROM "Clearance" WHERE "certificateNo" = ANY($1::text[])`;

/**
 * The bulk import's writer on PostgreSQL: one connection of the pool held for the whole import
 * (its temporary table and transactions stay on it), each batch ONE multi-row upsert of arrays
 * (`INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE`), so a batch of 5,000 rows is one
 * round trip and one statement prepared once. `stride`/`fields`: the flat layout (CLEARANCE_ROW_STRIDE).
 */
export async function openPgBulkStore(pool: Pool, stride: number, fields: number): Promise<Omit<ClearanceBulkStore, "refused">> {
  const client = await pool.connect();
  let seenReady = false;
  let broken = false;
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    await client.query("BEGIN");
    try {
      const out = await fn();
      await client.query("COMMIT");
      return out;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      throw error;
    }
  };
  /** The first row of each certificate number in the batch (offsets), and the offsets of later repeats. */
  const firstOf = (flat: readonly unknown[]) => {
    const first = new Map<string, number>();
    const repeats: number[] = [];
    for (let o = 0; o < flat.length; o += stride) {
      const no = flat[o + 1] as string;
      if (first.has(no)) repeats.push(o);
      else first.set(no, o);
    }
    return { first, repeats };
  };
  return {
    async writeBatch(flat, batchId, now) {
      const { first, repeats } = firstOf(flat);
      const cols: unknown[][] = Array.from({ length: fields }, () => []);
      for (const o of first.values()) for (let f = 0; f < fields; f++) cols[f]!.push(flat[o + 1 + f]);
      const { rows } = await run(() => client.query<{ certificateNo: string; inserted: boolean }>({ name: "xs_clearance_upsert", text: UPSERT, values: [...cols, batchId, now.toISOString()] }));
      let inserted = 0;
      const written = new Set<string>();
      for (const r of rows) {
        written.add(r.certificateNo);
        if (r.inserted) inserted++;
      }
      // Not written: this import wrote the number in an earlier batch (a repeat in the file).
      const duplicates = repeats;
      for (const [no, o] of first) if (!written.has(no)) duplicates.push(o);
      duplicates.sort((a, b) => a - b);
      return { inserted, updated: rows.length - inserted, duplicates };
    },
    async countBatch(flat) {
      if (!seenReady) {
        await client.query(SEEN_CREATE);
        await client.query("TRUNCATE import_seen");
        seenReady = true;
      }
      const { first, repeats } = firstOf(flat);
      const { fresh, known } = await run(async () => {
        const added = await client.query<{ certificateNo: string }>({ name: "xs_import_seen_add", text: SEEN_ADD, values: [[...first.keys()]] });
        const fresh = new Set(added.rows.map((r) => r.certificateNo));
        const k = await client.query<{ n: number }>({ name: "xs_import_known", text: KNOWN, values: [[...fresh]] });
        return { fresh, known: k.rows[0]?.n ?? 0 };
      });
      const duplicates = repeats;
      for (const [no, o] of first) if (!fresh.has(no)) duplicates.push(o);
      duplicates.sort((a, b) => a - b);
      return { inserted: fresh.size - known, updated: known, duplicates };
    },
    async close() {
      if (seenReady && !broken) {
        try {
          await client.query("DROP TABLE IF EXISTS import_seen");
        } catch {
          broken = true;
        }
      }
      client.release(broken);
    },
  };
}
