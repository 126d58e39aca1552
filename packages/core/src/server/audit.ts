import type { Db } from "./db.ts";
import type { Clock } from "./clock.ts";

/** One audit entry. `subject` names what was acted on (never a tip sender, never a full ID number). */
export interface AuditEntry {
  userId?: string | null;
  unitId?: string | null;
  action: string;
  subject?: string | null;
  result: string;
  detail?: Record<string, unknown> | null;
}

/** A Prisma client or a transaction client: audit rows are written inside the change they record. */
type AuditWriter = Pick<Db["prisma"], "auditLog">;

/** Writes one audit row. Call it inside the same transaction as the change it records. */
export async function writeAudit(prisma: AuditWriter, clock: Clock, entry: AuditEntry): Promise<void> {
  await prisma.auditLog.create({
    data: {
      at: clock.now(),
      userId: entry.userId ?? null,
      unitId: entry.unitId ?? null,
      action: entry.action,
      subject: entry.subject ?? null,
      result: entry.result,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    },
  });
}
