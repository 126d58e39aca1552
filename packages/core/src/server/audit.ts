import type { Db } from "./db.ts";
import type { Clock } from "./clock.ts";
import { isSystemActor, type Principal } from "./identity/actor.ts";

/** One audit entry. `subject` names what was acted on (never a tip sender, never a full ID number). */
export interface AuditEntry {
  userId?: string | null;
  unitId?: string | null;
  action: string;
  subject?: string | null;
  result: string;
  detail?: Record<string, unknown> | null;
  /** Fills userId/unitId from a user; for the local operator, records `by: "system:<label>"` in detail. */
  actor?: Principal | null;
}

/** A Prisma client or a transaction client: audit rows are written inside the change they record. */
type AuditWriter = Pick<Db["prisma"], "auditLog">;

/** Writes one audit row. Call it inside the same transaction as the change it records. */
export async function writeAudit(prisma: AuditWriter, clock: Clock, entry: AuditEntry): Promise<void> {
  const { actor } = entry;
  const system = isSystemActor(actor);
  const detail = system ? { ...entry.detail, by: `system:${actor.label}` } : entry.detail;
  await prisma.auditLog.create({
    data: {
      at: clock.now(),
      userId: entry.userId ?? (actor && !system ? actor.userId : null),
      unitId: entry.unitId ?? (actor && !system ? actor.unitId : null),
      action: entry.action,
      subject: entry.subject ?? null,
      result: entry.result,
      detail: detail ? JSON.stringify(detail) : null,
    },
  });
}
