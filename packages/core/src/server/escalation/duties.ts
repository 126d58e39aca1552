import { addDays, cstDate } from "../../domain/time.ts";
import { duePeriod, FEED_TYPES, feedDueDate, previousPeriod } from "../../domain/reports/feeds.ts";
import type { SystemActor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { missingFeeds } from "../reports/feeds.ts";
import { tipOverdue } from "../tips/handler.ts";

/** The three kinds of duty a unit can be overdue on (DutyEscalation.dutyKind). */
export type DutyKind = "feed" | "task" | "tip";

/** Which deadline of a tip: acknowledge (受理) or conclude (办结). */
export type TipDeadline = "ack" | "conclude";

/** What a duty is, enough to describe it to people (never a tip's category or facts). */
export type DutySubject =
  | { kind: "feed"; type: string; period: string }
  | { kind: "task"; taskId: string; title: string; meetingOn: string }
  | { kind: "tip"; tipId: string; deadline: TipDeadline };

/** One duty a unit has not done by its due date (CST), as the escalation and the list see it. */
export interface OverdueDuty {
  subject: DutySubject;
  /** DutyEscalation.dutyRef: feed "<type>:<YYYY-MM>", task "<task id>", tip "<tip id>:<ack|conclude>" */
  ref: string;
  unitId: string;
  /** CST date, inclusive: overdue from the day after */
  dueOn: string;
  /** whole days since the due day (1 on the first day overdue) */
  daysOverdue: number;
}

/**
 * How many monthly feed periods back the escalation looks (the period being filed now and the two
 * before it). Every step is taken within 8 days of the due date, so an older missing feed has had its
 * reminders already; it still appears on the quarterly accountability list.
 */
export const ESCALATION_FEED_PERIODS = 3;

/** Whole days from CST date `from` to CST date `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The ref of a duty, as DutyEscalation stores it. */
export function dutyRef(s: DutySubject): string {
  if (s.kind === "feed") return `${s.type}:${s.period}`;
  if (s.kind === "task") return s.taskId;
  return `${s.tipId}:${s.deadline}`;
}

/** missingFeeds asks for a role: the escalation runs as the system, not for a person. */
const ESCALATION_ACTOR: SystemActor = Object.freeze({ kind: "system", label: "escalation" });

/** The feed periods the escalation looks at on `today`: the one due now and the ones before it. */
function escalationPeriods(today: string): string[] {
  const out = [duePeriod(new Date(`${today}T04:00:00Z`))];
  while (out.length < ESCALATION_FEED_PERIODS) out.push(previousPeriod(out[out.length - 1]!));
  return out;
}

/**
 * Every duty overdue on CST date `today`: feeds not filed after their due day (missingFeeds, for the
 * last ESCALATION_FEED_PERIODS periods), open meeting tasks past their due date, and tips assigned to
 * a unit past their acknowledge or conclude deadline (tipOverdue). Reads only a tip's id, unit,
 * deadlines and status. Unordered.
 */
export async function overdueDuties(deps: Deps, today: string): Promise<OverdueDuty[]> {
  const out: OverdueDuty[] = [];
  const push = (subject: DutySubject, unitId: string, dueOn: string) => out.push({ subject, ref: dutyRef(subject), unitId, dueOn, daysOverdue: daysBetween(dueOn, today) });

  const units = await deps.db.prisma.unit.findMany({ select: { id: true, code: true, active: true } });
  const byCode = new Map(units.map((u) => [u.code, u]));
  for (const period of escalationPeriods(today)) {
    for (const m of await missingFeeds(deps, ESCALATION_ACTOR, period)) {
      const unit = byCode.get(m.unit.code);
      // missingFeeds' `overdue` is "now" by the clock; the escalation asks about `today`.
      if (!unit?.active || !(today > m.dueDate)) continue;
      push({ kind: "feed", type: m.type, period }, unit.id, m.dueDate);
    }
  }

  const tasks = await deps.db.prisma.meetingTask.findMany({
    where: { status: "open", dueOn: { lt: today } },
    select: { id: true, unitId: true, title: true, dueOn: true, meeting: { select: { heldOn: true } } },
  });
  for (const task of tasks) push({ kind: "task", taskId: task.id, title: task.title, meetingOn: task.meeting.heldOn }, task.unitId, task.dueOn);

  const tips = await deps.db.prisma.tip.findMany({
    where: { unitId: { not: null }, status: { in: ["new", "accepted", "investigating"] } },
    select: { id: true, unitId: true, status: true, acknowledgeBy: true, concludeBy: true, acknowledgedOn: true, closedOn: true },
  });
  for (const tip of tips) {
    const late = tipOverdue(tip, today);
    if (late.acknowledgeOverdue) push({ kind: "tip", tipId: tip.id, deadline: "ack" }, tip.unitId!, tip.acknowledgeBy);
    if (late.concludeOverdue) push({ kind: "tip", tipId: tip.id, deadline: "conclude" }, tip.unitId!, tip.concludeBy);
  }
  return out;
}

/** A duty with its due date and the day it was done (null while open), for the accountability list. */
export interface DutyRecord {
  subject: DutySubject;
  ref: string;
  unitId: string;
  dueOn: string;
  doneOn: string | null;
}

/**
 * How many monthly feed periods before a quarter's own the accountability list looks back for feeds
 * still unfiled during the quarter: those due in the quarter before. An older gap is on that earlier
 * quarter's list already, and the system is not taken to have existed before it (a unit registered
 * today is not blamed for last year).
 */
export const ACCOUNTABILITY_FEED_LOOKBACK = 3;

/**
 * Every duty that was overdue on some day of [from, to) and on or before `today`: its overdue span
 * (the day after the due date up to the day it was done, or today) meets the range. Feeds are every
 * unit of a feed's unit types for each period due in the range or up to ACCOUNTABILITY_FEED_LOOKBACK
 * months before; done = the first filing that was not returned (as missingFeeds counts).
 */
export async function dutiesOverdueBetween(deps: Deps, range: { from: string; to: string; months: string[] }, today: string): Promise<DutyRecord[]> {
  const last = addDays(range.to, -1) < today ? addDays(range.to, -1) : today;
  const wasOverdue = (dueOn: string, doneOn: string | null) => {
    const first = addDays(dueOn, 1);
    const end = doneOn ?? last;
    return first <= last && end >= range.from && (doneOn === null || doneOn > dueOn);
  };
  const out: DutyRecord[] = [];
  const keep = (subject: DutySubject, unitId: string, dueOn: string, doneOn: string | null) => {
    if (wasOverdue(dueOn, doneOn)) out.push({ subject, ref: dutyRef(subject), unitId, dueOn, doneOn });
  };

  const periods: string[] = [];
  let p = range.months[range.months.length - 1]!;
  for (let i = 0; i < range.months.length + ACCOUNTABILITY_FEED_LOOKBACK; i++, p = previousPeriod(p)) periods.push(p);
  const units = await deps.db.prisma.unit.findMany({ select: { id: true, type: true, active: true } });
  for (const feed of FEED_TYPES) {
    const mine = units.filter((u) => (feed.unitTypes as readonly string[]).includes(u.type));
    if (mine.length === 0) continue;
    const due = periods.map((period) => ({ period, dueOn: feedDueDate(feed, period) })).filter((x) => x.dueOn < last);
    if (due.length === 0) continue;
    const filings = await deps.db.prisma.report.findMany({
      where: { type: feed.code, period: { in: due.map((x) => x.period) }, status: { not: "returned" } },
      select: { unitId: true, period: true, createdAt: true },
    });
    const firstFiled = new Map<string, string>();
    for (const f of filings) {
      const key = `${f.unitId}:${f.period}`;
      const on = cstDate(f.createdAt);
      if (!firstFiled.has(key) || on < firstFiled.get(key)!) firstFiled.set(key, on);
    }
    for (const { period, dueOn } of due) {
      for (const u of mine) {
        const doneOn = firstFiled.get(`${u.id}:${period}`) ?? null;
        // A deactivated unit is not blamed for what it no longer owes; what it filed late stays.
        if (!u.active && doneOn === null) continue;
        keep({ kind: "feed", type: feed.code, period }, u.id, dueOn, doneOn);
      }
    }
  }

  const tasks = await deps.db.prisma.meetingTask.findMany({
    where: { dueOn: { lt: last } },
    select: { id: true, unitId: true, title: true, dueOn: true, status: true, doneAt: true, meeting: { select: { heldOn: true } } },
  });
  for (const task of tasks) {
    const doneOn = task.status === "done" ? (task.doneAt ? cstDate(task.doneAt) : task.dueOn) : null;
    keep({ kind: "task", taskId: task.id, title: task.title, meetingOn: task.meeting.heldOn }, task.unitId, task.dueOn, doneOn);
  }

  const tips = await deps.db.prisma.tip.findMany({
    where: { unitId: { not: null }, acknowledgeBy: { lt: last } },
    select: { id: true, unitId: true, status: true, acknowledgeBy: true, concludeBy: true, acknowledgedOn: true, closedOn: true },
  });
  for (const tip of tips) {
    keep({ kind: "tip", tipId: tip.id, deadline: "ack" }, tip.unitId!, tip.acknowledgeBy, tip.status === "new" ? null : (tip.acknowledgedOn ?? tip.closedOn ?? tip.acknowledgeBy));
    // The conclude deadline binds once the tip was taken up (a new tip is late on its acknowledgement).
    if (tip.status !== "new" && tip.concludeBy < last) keep({ kind: "tip", tipId: tip.id, deadline: "conclude" }, tip.unitId!, tip.concludeBy, tip.closedOn);
  }
  return out;
}
