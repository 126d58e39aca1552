import { rmSync } from "node:fs";
import { join } from "node:path";
import { addDays, cstDate, cstStartOfDay } from "../../domain/time.ts";
import { randomToken } from "../crypto.ts";
import { isUniqueViolation } from "../reports/common.ts";
import type { Deps } from "../deps.ts";
import type { TipContext } from "./context.ts";

/** The JobLease that lets one process a day purge, however many run. */
export const TIP_PURGE_LEASE = "tip-purge";

/**
 * Takes today's purge turn: a JobLease row that expires at the next CST midnight. The first caller
 * of the day inserts it (or takes over yesterday's expired row in one conditional update); every
 * other process, that day, gets false.
 */
async function takeDailyTurn(deps: Deps): Promise<boolean> {
  const now = deps.clock.now();
  const expiresAt = cstStartOfDay(addDays(cstDate(now), 1));
  const holder = randomToken();
  try {
    await deps.db.prisma.jobLease.create({ data: { name: TIP_PURGE_LEASE, holder, userId: null, acquiredAt: now, expiresAt } });
    return true;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const taken = await deps.db.prisma.jobLease.updateMany({ where: { name: TIP_PURGE_LEASE, expiresAt: { lte: now } }, data: { holder, acquiredAt: now, expiresAt } });
    return taken.count === 1;
  }
}

/**
 * Deletes the tips whose retention ended (purgeOn ≤ today, CST), with their messages, history and
 * evidence files. What must stay true: the rows are deleted on the raw connection with SQLite's
 * `secure_delete` on (freed pages are zeroed, not left with old ciphertext), and the WAL is
 * checkpointed and truncated afterwards, so deleted data lingers neither in the database file nor
 * in its WAL; files are removed after the rows (a crash in between leaves orphan ciphertext, never
 * a row without its file). `daily: true` runs at most once per CST day across processes.
 */
export async function purgeTips(deps: Deps, tips: TipContext, opts: { daily?: boolean } = {}): Promise<{ ran: boolean; purged: number; files: number }> {
  if (opts.daily && !(await takeDailyTurn(deps))) return { ran: false, purged: 0, files: 0 };
  const today = cstDate(deps.clock.now());
  const sqlite = deps.db.sqlite;
  sqlite.pragma("secure_delete = ON");
  const due = sqlite.prepare(`SELECT "id" FROM "Tip" WHERE "purgeOn" IS NOT NULL AND "purgeOn" <= ?`).all(today) as { id: string }[];
  if (due.length === 0) return { ran: true, purged: 0, files: 0 };
  const files: string[] = [];
  const filesOf = sqlite.prepare(`SELECT "file" FROM "TipAttachment" WHERE "tipId" = ?`);
  const del = sqlite.prepare(`DELETE FROM "Tip" WHERE "id" = ?`);
  const delChildren = [
    sqlite.prepare(`DELETE FROM "TipMessage" WHERE "tipId" = ?`),
    sqlite.prepare(`DELETE FROM "TipEvent" WHERE "tipId" = ?`),
    sqlite.prepare(`DELETE FROM "TipAttachment" WHERE "tipId" = ?`),
  ];
  sqlite.transaction(() => {
    for (const { id } of due) {
      for (const row of filesOf.all(id) as { file: string }[]) files.push(row.file);
      for (const stmt of delChildren) stmt.run(id);
      del.run(id);
    }
  })();
  // Old page images stay in the WAL until it is checkpointed and truncated.
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  for (const file of files) rmSync(join(tips.storeDir, file), { force: true });
  return { ran: true, purged: due.length, files: files.length };
}
