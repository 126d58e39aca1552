import { randomUUID } from "node:crypto";
import type { Statement } from "better-sqlite3";
import type { Db } from "../db.ts";
import { sqlDate } from "../hot-path.ts";
import { enqueueMessage, type OutboxPayload } from "../outbox.ts";
import { isUniqueViolation } from "../reports/common.ts";

/** One escalation step to record, with the messages it sends. */
export interface EscalationStepRecord {
  dutyKind: string;
  dutyRef: string;
  unitId: string;
  dueOn: string;
  stage: number;
  at: Date;
  messages: { userId: string; payload: OutboxPayload; dedupeKey: string; sendAfter: Date }[];
}

/**
 * Records a step and queues its messages in one transaction, or does nothing when the step is
 * already recorded (DutyEscalation is unique per duty, unit and step); true when this call took it.
 * SQLite: one synchronous `BEGIN IMMEDIATE` transaction on the raw driver with INSERT ... ON
 * CONFLICT DO NOTHING, because Prisma's interactive transaction yields between statements and two
 * connections of one process then wait on each other's lock until the busy timeout. PostgreSQL:
 * Prisma's transaction; the second of two racing inserts waits for the first and fails unique, and
 * its transaction rolls back with its messages.
 */
export async function recordEscalationStep(db: Db, step: EscalationStepRecord): Promise<boolean> {
  if (db.dialect === "sqlite") return recordSqlite(db, step);
  try {
    await db.prisma.$transaction(async (tx) => {
      const { messages, ...row } = step;
      await tx.dutyEscalation.create({ data: { ...row, recipients: messages.length } });
      for (const m of messages) await enqueueMessage(tx, { ...m, now: step.at });
    });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

const stmts = new WeakMap<Db, { step: Statement; message: Statement }>();

function recordSqlite(db: Db, step: EscalationStepRecord): boolean {
  let s = stmts.get(db);
  if (!s) {
    s = {
      step: db.sqlite.prepare(
        `INSERT INTO "DutyEscalation" ("id", "dutyKind", "dutyRef", "unitId", "dueOn", "stage", "recipients", "at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT ("dutyKind", "dutyRef", "unitId", "stage") DO NOTHING`,
      ),
      message: db.sqlite.prepare(
        `INSERT INTO "Outbox" ("channel", "userId", "payload", "dedupeKey", "createdAt", "sendAfter") VALUES ('telegram', ?, ?, ?, ?, ?) ON CONFLICT ("dedupeKey") DO NOTHING`,
      ),
    };
    stmts.set(db, s);
  }
  const { step: insertStep, message } = s;
  const at = sqlDate(step.at);
  return db.sqlite
    .transaction(() => {
      const taken = insertStep.run(`e${randomUUID().replace(/-/g, "")}`, step.dutyKind, step.dutyRef, step.unitId, step.dueOn, step.stage, step.messages.length, at).changes === 1;
      if (!taken) return false;
      for (const m of step.messages) message.run(m.userId, JSON.stringify(m.payload), m.dedupeKey, at, sqlDate(m.sendAfter));
      return true;
    })
    .immediate();
}
