import { formatCst } from "../../domain/time.ts";
import { randomToken } from "../crypto.ts";
import { AppError } from "../errors.ts";
import { jobLeaseStoreFor } from "../job-lease-store.ts";
import type { Deps } from "../deps.ts";

/** The JobLease name of the clearance import: one import (real or dry run) at a time per database. */
export const CLEARANCE_IMPORT_LEASE = "clearance-import";

/**
 * How long a lease lasts without renewal. A running import renews it after every batch (a batch
 * takes well under a second), so only a crashed or frozen process lets it lapse; then the next
 * import takes it over.
 */
export const IMPORT_LEASE_TTL_MS = 10 * 60_000;

/** A held lease: renew() while working (false once it was lost), release() when done. */
export interface JobLeaseHandle {
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the named lease in the database, so that two processes (two API instances, the API and
 * the CLI) cannot run the job at once; refuses with 409 `clearance-import-busy` while another
 * holder's lease is live. One statement (job-lease-store.ts, shared with the scheduled jobs): the
 * insert or the take-over of an expired lease, so of two racing callers one wins.
 */
export async function acquireJobLease(deps: Deps, name: string, userId: string | null, ttlMs = IMPORT_LEASE_TTL_MS): Promise<JobLeaseHandle> {
  const store = jobLeaseStoreFor(deps.db);
  const holder = randomToken();
  const now = deps.clock.now();
  if (!(await store.take(name, holder, userId, now, new Date(now.getTime() + ttlMs)))) {
    const current = await deps.db.prisma.jobLease.findUnique({ where: { name } });
    throw new AppError("conflict", {
      messageKey: "clearance-import-busy",
      params: { since: current ? formatCst(current.acquiredAt) : formatCst(now) },
      reason: "import_running",
    });
  }
  let last = now.getTime();
  return {
    async renew() {
      const at = deps.clock.now();
      // At most one write every 5 s: an import renews after each batch.
      if (at.getTime() - last < 5_000) return true;
      last = at.getTime();
      return store.renew(name, holder, new Date(at.getTime() + ttlMs));
    },
    async release() {
      await store.release(name, holder);
    },
  };
}
