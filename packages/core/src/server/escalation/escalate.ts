import type { MessageKey } from "../../domain/i18n.ts";
import { getReportType } from "../../domain/reports/registry.ts";
import { addDays, cstDate, cstStartOfDay } from "../../domain/time.ts";
import type { Deps } from "../deps.ts";
import type { OutboxPayload } from "../outbox.ts";
import { recordEscalationStep } from "./step-store.ts";
import { overdueDuties, type DutyKind, type OverdueDuty } from "./duties.ts";

/** An escalation step: 1 the unit's staff, 2 the unit's admins, 3 every coordinator. */
export type EscalationStage = 1 | 2 | 3;

/**
 * Days overdue (1 = the first day after the due date) from which each step is taken: the staff on
 * the first day, the unit's admins 3 days later, the coordinators 7 days after the first reminder.
 * A step also waits that many days after the step before it was actually taken, so a bot that was
 * down (or a first run over old duties) catches up one step at a time instead of sending all three.
 */
export const ESCALATION_STEP_DAYS: Readonly<Record<EscalationStage, number>> = Object.freeze({ 1: 1, 2: 4, 3: 8 });

/** Messages wait for the working morning (09:00 CST), as the feed reminders do. */
const MORNING_HOUR_CST = 9;

/** What one pass did: steps recorded (DutyEscalation rows) and messages queued. */
export interface EscalationPass {
  steps: number;
  messages: number;
}

type Recipient = { id: string };

async function recipientsFor(deps: Deps, duty: OverdueDuty, stage: EscalationStage): Promise<Recipient[]> {
  const users = deps.db.prisma.user;
  if (stage === 3) return users.findMany({ where: { active: true, roles: { some: { role: "coordinator" } } }, select: { id: true }, orderBy: { id: "asc" } });
  if (stage === 2) return users.findMany({ where: { unitId: duty.unitId, active: true, roles: { some: { role: "admin" } } }, select: { id: true }, orderBy: { id: "asc" } });
  const role = duty.subject.kind === "feed" ? "reporter" : duty.subject.kind === "tip" ? "tax_officer" : null;
  return users.findMany({ where: { unitId: duty.unitId, active: true, ...(role ? { roles: { some: { role } } } : {}) }, select: { id: true }, orderBy: { id: "asc" } });
}

const AUDIENCE = { 1: "unit", 2: "admin", 3: "coordinator" } as const;

/** The message of a step: a catalogue key and its params, rendered in each recipient's language by the bot. */
function payloadFor(duty: OverdueDuty, stage: EscalationStage, unitName: string): OutboxPayload {
  const s = duty.subject;
  const key = `escalation-${s.kind}-${AUDIENCE[stage]}` as MessageKey;
  const params = { due: duty.dueOn, days: duty.daysOverdue, ...(stage === 3 ? { unit: unitName } : {}) };
  if (s.kind === "feed") return { key, params: { ...params, period: s.period }, keyParams: { type: getReportType(s.type)!.titleKey } };
  if (s.kind === "task") return { key, params: { ...params, title: s.title, meetingOn: s.meetingOn } };
  // A tip: only that a tip assigned to the unit is past its deadline, never what it is about.
  return { key, params };
}

/** The stage to take next for a duty on `today`, or null (all taken, or not yet due). */
function nextStage(duty: OverdueDuty, taken: Map<number, string>, today: string, days: Record<EscalationStage, number>): EscalationStage | null {
  for (const stage of [1, 2, 3] as const) {
    if (taken.has(stage)) continue;
    if (duty.daysOverdue < days[stage]) return null;
    if (stage > 1) {
      const prev = taken.get(stage - 1)!;
      if (addDays(prev, days[stage] - days[(stage - 1) as EscalationStage]) > today) return null;
    }
    return stage;
  }
  return null;
}

/**
 * Takes the escalation steps now due for every overdue duty (overdueDuties): step 1 reminds the
 * unit's responsible staff (feeds: its reporters; tasks: its active users; tips: its tax officers),
 * step 2 its admins, step 3 every coordinator (ESCALATION_STEP_DAYS). A step is one DutyEscalation
 * row plus its outbox messages in one transaction (recordEscalationStep); the row is unique per
 * (duty, unit, step), so when two processes or a restart take the same step, the second is skipped
 * with its messages, and nobody is told twice. Nobody to tell (a unit without an admin) still records the step, with 0
 * recipients, so the next step follows. A duty done before a step is due drops out of overdueDuties
 * and gets no further step. Run it as often as you like (the reminder pass does).
 */
export async function escalateOverdueDuties(deps: Deps, opts: { stepDays?: Record<EscalationStage, number> } = {}): Promise<EscalationPass> {
  const days = opts.stepDays ?? ESCALATION_STEP_DAYS;
  const now = deps.clock.now();
  const today = cstDate(now);
  const morning = new Date(cstStartOfDay(today).getTime() + MORNING_HOUR_CST * 3600_000);
  const sendAfter = morning > now ? morning : now;
  const duties = await overdueDuties(deps, today);
  if (duties.length === 0) return { steps: 0, messages: 0 };

  const taken = await deps.db.prisma.dutyEscalation.findMany({
    where: { unitId: { in: [...new Set(duties.map((d) => d.unitId))] }, dutyRef: { in: [...new Set(duties.map((d) => d.ref))] } },
    select: { dutyKind: true, dutyRef: true, unitId: true, stage: true, at: true },
  });
  const takenBy = new Map<string, Map<number, string>>();
  for (const row of taken) {
    const key = `${row.dutyKind}|${row.dutyRef}|${row.unitId}`;
    const m = takenBy.get(key) ?? new Map<number, string>();
    m.set(row.stage, cstDate(row.at));
    takenBy.set(key, m);
  }
  const unitNames = new Map((await deps.db.prisma.unit.findMany({ where: { id: { in: [...new Set(duties.map((d) => d.unitId))] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));

  const pass: EscalationPass = { steps: 0, messages: 0 };
  for (const duty of duties) {
    const kind: DutyKind = duty.subject.kind;
    const stage = nextStage(duty, takenBy.get(`${kind}|${duty.ref}|${duty.unitId}`) ?? new Map(), today, days);
    if (!stage) continue;
    const recipients = await recipientsFor(deps, duty, stage);
    const payload = payloadFor(duty, stage, unitNames.get(duty.unitId) ?? "");
    const took = await recordEscalationStep(deps.db, {
      dutyKind: kind,
      dutyRef: duty.ref,
      unitId: duty.unitId,
      dueOn: duty.dueOn,
      stage,
      at: now,
      messages: recipients.map((r) => ({ userId: r.id, payload, sendAfter, dedupeKey: `escalation:${kind}:${duty.ref}:${duty.unitId}:${stage}:${r.id}` })),
    });
    if (!took) continue; // another process took this step first
    pass.steps++;
    pass.messages += recipients.length;
  }
  if (pass.steps > 0) deps.logger.info({ steps: pass.steps, messages: pass.messages }, "overdue duties escalated");
  return pass;
}
