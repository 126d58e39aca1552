import { cstDate } from "../../domain/time.ts";
import type { Deps } from "../deps.ts";
import { runOncePerPeriod } from "../jobs.ts";
import type { TipContext } from "./context.ts";
import { tipScrubStoreFor } from "./scrub-store.ts";

/** The JobLease that lets one process a day purge, however many run. */
export const TIP_PURGE_LEASE = "tip-purge";

/**
 * Deletes the tips whose retention ended (purgeOn ≤ today, CST), with their messages, history and
 * evidence files. What must stay true: the rows are deleted through the scrub store (SQLite:
 * `secure_delete` and a truncated WAL; PostgreSQL: one transaction and a VACUUM of the tip tables),
 * so deleted data lingers neither in the database's free space nor in its WAL; files are removed
 * from the file store after the rows (a crash in between leaves orphan ciphertext, never a row
 * without its file). `daily: true` runs at most once per CST day across processes
 * (runOncePerPeriod, a JobLease row).
 */
export async function purgeTips(deps: Deps, tips: TipContext, opts: { daily?: boolean } = {}): Promise<{ ran: boolean; purged: number; files: number }> {
  const work = async () => {
    const today = cstDate(deps.clock.now());
    const store = tipScrubStoreFor(deps.db);
    const due = await store.duePurge(today);
    if (due.ids.length === 0) return { purged: 0, files: 0 };
    await store.deleteTips(due.ids);
    await store.scrub();
    for (const file of due.files) await tips.files.delete(file);
    if (tips.files.location === "database") await store.scrub(); // the evidence rows were in StoredFile
    return { purged: due.ids.length, files: due.files.length };
  };
  if (!opts.daily) return { ran: true, ...(await work()) };
  const turn = await runOncePerPeriod(deps, TIP_PURGE_LEASE, "cst-day", work);
  return turn.ran ? { ran: true, ...turn.result } : { ran: false, purged: 0, files: 0 };
}
