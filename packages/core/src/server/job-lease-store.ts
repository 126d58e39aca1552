import type { Db } from "./db.ts";
import { sqlDate } from "./hot-path.ts";

/**
 * The JobLease row operations, as single statements per database: scheduled jobs (jobs.ts) and
 * the clearance import's exclusive lease (clearances/import-lease.ts) both go through them. Why
 * not Prisma's create + updateMany: on SQLite, with several processes, Prisma's updateMany reads
 * inside its own transaction before writing, and a read transaction that must become a writer
 * while another process writes fails at once with SQLITE_BUSY; one INSERT ... ON CONFLICT DO UPDATE
 * ... WHERE waits for the write lock and decides in one step on both databases (PostgreSQL locks
 * the conflicting row, so of two racing callers exactly one inserts or takes over).
 */
export interface JobLeaseStore {
  /** Takes the lease `name` until `until` when it is free or expired at `now`; true when taken. */
  take(name: string, holder: string, userId: string | null, now: Date, until: Date): Promise<boolean>;
  /** Moves the lease's end to `until` if `holder` still holds it; false once it was lost. */
  renew(name: string, holder: string, until: Date): Promise<boolean>;
  /** Gives the lease back if `holder` still holds it. */
  release(name: string, holder: string): Promise<void>;
}

const TAKE = (p: (n: number) => string, ts: string) => `
INSERT INTO "JobLease" ("name", "holder", "userId", "acquiredAt", "expiresAt") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}${ts}, ${p(5)}${ts})
ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "userId" = excluded."userId", "acquiredAt" = excluded."acquiredAt", "expiresAt" = excluded."expiresAt"
WHERE "JobLease"."expiresAt" <= excluded."acquiredAt"`;
const RENEW = (p: (n: number) => string, ts: string) => `UPDATE "JobLease" SET "expiresAt" = ${p(3)}${ts} WHERE "name" = ${p(1)} AND "holder" = ${p(2)}`;
const RELEASE = (p: (n: number) => string) => `DELETE FROM "JobLease" WHERE "name" = ${p(1)} AND "holder" = ${p(2)}`;

const stores = new WeakMap<Db, JobLeaseStore>();

/** The job-lease store of a database (memoised per Db, statements prepared once). */
export function jobLeaseStoreFor(db: Db): JobLeaseStore {
  let store = stores.get(db);
  if (!store) {
    store = db.dialect === "postgresql" ? pgStore(db) : sqliteStore(db);
    stores.set(db, store);
  }
  return store;
}

function sqliteStore(db: Db): JobLeaseStore {
  const take = db.sqlite.prepare(TAKE(() => "?", ""));
  const renew = db.sqlite.prepare(RENEW(() => "?", ""));
  const release = db.sqlite.prepare(RELEASE(() => "?"));
  return {
    // Dates as Prisma's fixed-width ISO text, so they compare as text and Prisma reads them back.
    async take(name, holder, userId, now, until) {
      return take.run(name, holder, userId, sqlDate(now), sqlDate(until)).changes === 1;
    },
    async renew(name, holder, until) {
      return renew.run(sqlDate(until), name, holder).changes === 1;
    },
    async release(name, holder) {
      release.run(name, holder);
    },
  };
}

function pgStore(db: Db): JobLeaseStore {
  // ISO text cast to timestamp(3): the zone is ignored for a column without zone, i.e. UTC as Prisma writes it.
  const take = TAKE((n) => `$${n}`, "::timestamp(3)");
  const renew = RENEW((n) => `$${n}`, "::timestamp(3)");
  const release = RELEASE((n) => `$${n}`);
  return {
    async take(name, holder, userId, now, until) {
      const r = await db.pg.query({ name: "xs_job_lease_take", text: take, values: [name, holder, userId, now.toISOString(), until.toISOString()] });
      return r.rowCount === 1;
    },
    async renew(name, holder, until) {
      const r = await db.pg.query({ name: "xs_job_lease_renew", text: renew, values: [name, holder, until.toISOString()] });
      return r.rowCount === 1;
    },
    async release(name, holder) {
      await db.pg.query({ name: "xs_job_lease_release", text: release, values: [name, holder] });
    },
  };
}
