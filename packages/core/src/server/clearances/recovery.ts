import { t } from "../../domain/i18n.ts";
import type { Deps } from "../deps.ts";
import { CLEARANCE_IMPORT_LEASE } from "./import-lease.ts";

/** What recoverInterruptedImports did to one batch. */
export interface RecoveredImport {
  batchId: string;
  imported: number;
  updated: number;
}

/**
 * Marks clearance imports that died mid-way as `interrupted`, with their TRUE counts. An import
 * killed mid-way (a crash, SIGKILL, a lost machine) commits batch after batch but never reaches
 * finishBatch, so its ClearanceImportBatch stayed `running` with `imported 0` forever although
 * hundreds of thousands of rows were in. Called at start (prepareDatabase) and by every import once
 * it holds the lease. What must stay true:
 * - a batch of a LIVE import is never touched: only batches that are `running` while the
 *   `clearance-import` JobLease is free or expired, or that started before the live lease was taken
 *   (the lease is taken before the batch is created, and one import runs at a time);
 * - the counts are read from the rows themselves (Clearance.batchId is the batch that last wrote a
 *   row): `imported` = rows of the batch created at or after its start, `updated` = rows of the batch
 *   created before it (a later import that rewrote a row takes it over, so these are the rows that
 *   still carry this batch's data); rejected rows are not recorded anywhere and are left at 0, and
 *   `error` says so in Chinese and English, without internals;
 * - idempotent and safe with several processes starting at once (a conditional update per batch).
 */
export async function recoverInterruptedImports(deps: Deps): Promise<RecoveredImport[]> {
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const lease = await prisma.jobLease.findUnique({ where: { name: CLEARANCE_IMPORT_LEASE } });
  const live = lease && lease.expiresAt.getTime() > now.getTime() ? lease : null;
  const batches = await prisma.clearanceImportBatch.findMany({
    where: { status: "running", ...(live ? { startedAt: { lt: live.acquiredAt } } : {}) },
    select: { id: true, startedAt: true },
  });
  const recovered: RecoveredImport[] = [];
  for (const batch of batches) {
    const imported = await prisma.clearance.count({ where: { batchId: batch.id, createdAt: { gte: batch.startedAt } } });
    const updated = await prisma.clearance.count({ where: { batchId: batch.id, createdAt: { lt: batch.startedAt } } });
    const params = { imported, updated };
    const error = `${t("zh-CN", "clearance-import-interrupted", params)}\n${t("en", "clearance-import-interrupted", params)}`;
    const done = await prisma.clearanceImportBatch.updateMany({
      where: { id: batch.id, status: "running" },
      data: { status: "interrupted", finishedAt: now, imported, updated, rejected: 0, error },
    });
    if (done.count === 1) {
      recovered.push({ batchId: batch.id, imported, updated });
      deps.logger.warn({ batchId: batch.id, imported, updated }, "clearance import was interrupted; marked with its counted rows");
    }
  }
  return recovered;
}
