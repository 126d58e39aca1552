import { createHash } from "node:crypto";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { AddMeetingTaskSchema, CompleteTaskSchema, isTaskOverdue, recordMeetingSchemaFor, type MeetingTaskInput, type MeetingTaskStatus } from "../../domain/meetings/index.ts";
import { addDays, cstDate, cstStartOfDay } from "../../domain/time.ts";
import type { UnitType } from "../../domain/units.ts";
import { parseInput, type FieldErrors } from "../../domain/validation.ts";
import { writeAudit } from "../audit.ts";
import type { Deps } from "../deps.ts";
import type { PrismaClient } from "../db.ts";
import { AppError } from "../errors.ts";
import { isSystemActor, requireRole, requireUser, type Actor, type Principal } from "../identity/actor.ts";
import { enqueueMessage, type OutboxPayload } from "../outbox.ts";
import { isUniqueViolation } from "../reports/common.ts";

/** A unit as meetings and tasks show it. */
export interface MeetingUnitView {
  code: string;
  name: string;
  type: UnitType;
}

/** A task as its unit and the coordinator see it. `overdue`: open and past its due day (CST). */
export interface MeetingTaskView {
  id: string;
  meeting: { id: string; heldOn: string; title: string };
  unit: MeetingUnitView;
  title: string;
  detail: string | null;
  dueOn: string;
  status: MeetingTaskStatus;
  overdue: boolean;
  doneAt: string | null;
  doneNote: string | null;
}

/** A recorded meeting with its attendees and tasks. */
export interface MeetingView {
  id: string;
  heldOn: string;
  title: string;
  decisions: string;
  createdAt: string;
  attendees: { unit: MeetingUnitView; people: string | null }[];
  tasks: MeetingTaskView[];
  /** counts of its tasks: open (overdue included), overdue, done */
  taskCounts: { open: number; overdue: number; done: number };
}

/** How long a done task stays in its unit's list (days since it was marked done). */
export const RECENTLY_DONE_DAYS = 30;

/** The roles that read meetings and every unit's tasks. */
const READERS = ["coordinator", "admin", "tax_officer"] as const;

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const invalid = (fields: FieldErrors) => new AppError("invalid_input", { fields });
const meetingNotFound = () => new AppError("not_found", { reason: "meeting_not_found", messageKey: "meeting-not-found" });
const taskNotFound = () => new AppError("not_found", { reason: "task_not_found", messageKey: "task-not-found" });

const taskInclude = { meeting: { select: { id: true, heldOn: true, title: true } } } as const;
type UnitRow = { id: string; code: string; name: string; type: string };

type TaskRow = {
  id: string;
  unitId: string;
  title: string;
  detail: string | null;
  dueOn: string;
  status: string;
  doneAt: Date | null;
  doneNote: string | null;
  meeting: { id: string; heldOn: string; title: string };
};

/** The units of some rows, by id (MeetingTask and MeetingAttendee keep only the unit id). */
async function unitsById(deps: Deps, ids: string[]): Promise<Map<string, UnitRow>> {
  if (ids.length === 0) return new Map();
  const rows = await deps.db.prisma.unit.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, code: true, name: true, type: true } });
  return new Map(rows.map((u) => [u.id, u]));
}

const unitView = (u: UnitRow | undefined): MeetingUnitView => (u ? { code: u.code, name: u.name, type: u.type as UnitType } : { code: "", name: "", type: "other" });

async function taskViews(deps: Deps, rows: TaskRow[], today: string): Promise<MeetingTaskView[]> {
  const units = await unitsById(deps, rows.map((r) => r.unitId));
  return rows.map((r) => toTaskView(r, units.get(r.unitId), today));
}

function toTaskView(row: TaskRow, unit: UnitRow | undefined, today: string): MeetingTaskView {
  return {
    id: row.id,
    meeting: row.meeting,
    unit: unitView(unit),
    title: row.title,
    detail: row.detail,
    dueOn: row.dueOn,
    status: row.status === "done" ? "done" : "open",
    overdue: isTaskOverdue(row, today),
    doneAt: row.doneAt?.toISOString() ?? null,
    doneNote: row.doneNote,
  };
}

/**
 * The meeting id of a client's retry: derived from who records it and their clientId, so the
 * primary key itself refuses a second meeting (no extra column; any process, any database).
 */
function meetingIdFor(actor: Principal, clientId: string, prefix = "mtg", scope = ""): string {
  const who = isSystemActor(actor) ? `system:${actor.label}` : actor.userId;
  return `${prefix}${createHash("sha256").update(`${who}\n${scope}\n${clientId}`).digest("hex").slice(0, 22)}`;
}

/** Resolves unit codes to ids; unknown codes answer 400 at every field path that named them. */
async function resolveUnits(deps: Deps, named: { path: string; code: string }[], locale: Locale): Promise<Map<string, string>> {
  const codes = [...new Set(named.map((n) => n.code))];
  const units = await deps.db.prisma.unit.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
  const ids = new Map(units.map((u) => [u.code, u.id]));
  const fields: FieldErrors = {};
  for (const n of named) if (!ids.has(n.code)) fields[n.path] = t(locale, "meeting-unit-unknown");
  if (Object.keys(fields).length) throw new AppError("invalid_input", { reason: "unknown_unit", fields });
  return ids;
}

/** Queues "a task for your unit" to each active user of the unit, inside the transaction that created it. */
async function notifyAssigned(tx: Tx, now: Date, task: { id: string; unitId: string; title: string; dueOn: string }, meeting: { heldOn: string; title: string }): Promise<void> {
  const users = await tx.user.findMany({ where: { unitId: task.unitId, active: true }, select: { id: true } });
  for (const u of users) {
    await enqueueMessage(tx, {
      userId: u.id,
      now,
      dedupeKey: `task-assigned:${task.id}:${u.id}`,
      payload: taskPayload("task-assigned", task, meeting),
    });
  }
}

/** A task message with its "mark done" button (the bot handles `task:done:<id>`). */
function taskPayload(key: "task-assigned" | "task-reminder-before" | "task-reminder-today", task: { id: string; title: string; dueOn: string }, meeting: { heldOn: string; title: string }): OutboxPayload {
  return {
    key,
    params: { title: task.title, due: task.dueOn, meeting: meeting.title, heldOn: meeting.heldOn },
    buttons: [[{ key: "task-mark-done", data: `task:done:${task.id}` }]],
  };
}

async function createTask(tx: Tx, deps: Deps, meeting: { id: string; heldOn: string; title: string }, unitId: string, task: MeetingTaskInput, now: Date, id?: string) {
  const created = await tx.meetingTask.create({
    data: { ...(id ? { id } : {}), meetingId: meeting.id, unitId, title: task.title, detail: task.detail ?? null, dueOn: task.dueOn, createdAt: now },
  });
  await notifyAssigned(tx, now, created, meeting);
  return created;
}

/**
 * A coordinator (or the CLI operator) records a meeting with its attendees and the tasks it
 * assigned, in one transaction, audited; each assigned unit's users are told (outbox). Admins may
 * not: the meeting is the finance bureau's record. A retry with the same `clientId` returns the
 * first meeting (`created: false`) and writes nothing.
 */
export async function recordMeeting(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<{ created: boolean; meeting: MeetingView }> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  requireRole(actor, "coordinator");
  const now = deps.clock.now();
  const parsed = parseInput(recordMeetingSchemaFor(cstDate(now)), input, locale);
  if (!parsed.ok) throw invalid(parsed.fields);
  const body = parsed.data;
  const id = body.clientId ? meetingIdFor(actor, body.clientId) : undefined;
  if (id && (await deps.db.prisma.meeting.findUnique({ where: { id }, select: { id: true } }))) {
    return { created: false, meeting: await getMeeting(deps, actor, id) };
  }
  const units = await resolveUnits(
    deps,
    [...body.attendees.map((a, i) => ({ path: `attendees.${i}.unit`, code: a.unit })), ...(body.tasks ?? []).map((task, i) => ({ path: `tasks.${i}.unit`, code: task.unit }))],
    locale,
  );
  try {
    const meetingId = await deps.db.prisma.$transaction(async (tx) => {
      const meeting = await tx.meeting.create({
        data: {
          ...(id ? { id } : {}),
          heldOn: body.heldOn,
          title: body.title,
          decisions: body.decisions,
          createdById: isSystemActor(actor) ? null : actor.userId,
          createdAt: now,
          attendees: { create: body.attendees.map((a) => ({ unitId: units.get(a.unit)!, people: a.people ?? null })) },
        },
      });
      for (const task of body.tasks ?? []) await createTask(tx, deps, meeting, units.get(task.unit)!, task, now);
      await writeAudit(tx, deps.clock, { actor, action: "meeting.record", subject: meeting.id, result: "ok", detail: { heldOn: body.heldOn, attendees: body.attendees.length, tasks: body.tasks?.length ?? 0 } });
      return meeting.id;
    });
    return { created: true, meeting: await getMeeting(deps, actor, meetingId) };
  } catch (e) {
    // Two retries raced: the primary key kept one meeting, the loser answers with it.
    if (id && isUniqueViolation(e)) return { created: false, meeting: await getMeeting(deps, actor, id) };
    throw e;
  }
}

/**
 * Adds one task to a recorded meeting (coordinator or operator), due on or after the meeting's day;
 * audited, the unit told. A retry with the same `clientId` returns the first task (`created: false`).
 */
export async function addMeetingTask(deps: Deps, actor: Principal | null, meetingId: string, input: unknown, opts: { locale?: Locale } = {}): Promise<{ created: boolean; task: MeetingTaskView }> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  requireRole(actor, "coordinator");
  const parsed = parseInput(AddMeetingTaskSchema, input, locale);
  const meeting = await deps.db.prisma.meeting.findUnique({ where: { id: meetingId }, select: { id: true, heldOn: true, title: true } });
  if (!meeting) throw meetingNotFound();
  if (!parsed.ok) throw invalid(parsed.fields);
  const task = parsed.data;
  const now = deps.clock.now();
  const taskId = task.clientId ? meetingIdFor(actor, task.clientId, "mtk", meeting.id) : undefined;
  const view = async (id: string) => (await taskViews(deps, [await deps.db.prisma.meetingTask.findUniqueOrThrow({ where: { id }, include: taskInclude })], cstDate(now)))[0]!;
  if (taskId && (await deps.db.prisma.meetingTask.findUnique({ where: { id: taskId }, select: { id: true } }))) return { created: false, task: await view(taskId) };
  if (task.dueOn < meeting.heldOn) throw invalid({ dueOn: t(locale, "meeting-task-due-before-meeting", { date: meeting.heldOn }) });
  const units = await resolveUnits(deps, [{ path: "unit", code: task.unit }], locale);
  try {
    const id = await deps.db.prisma.$transaction(async (tx) => {
      const created = await createTask(tx, deps, meeting, units.get(task.unit)!, task, now, taskId);
      await writeAudit(tx, deps.clock, { actor, action: "meeting.task.add", subject: created.id, result: "ok", detail: { meeting: meeting.id, unit: task.unit, dueOn: task.dueOn } });
      return created.id;
    });
    return { created: true, task: await view(id) };
  } catch (e) {
    if (taskId && isUniqueViolation(e)) return { created: false, task: await view(taskId) };
    throw e;
  }
}

async function meetingViews(deps: Deps, where: { id?: string }, take?: number): Promise<MeetingView[]> {
  const rows = await deps.db.prisma.meeting.findMany({
    where,
    orderBy: [{ heldOn: "desc" }, { createdAt: "desc" }],
    ...(take ? { take } : {}),
    include: {
      attendees: true,
      tasks: { orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }] },
    },
  });
  const units = await unitsById(deps, rows.flatMap((m) => [...m.attendees.map((a) => a.unitId), ...m.tasks.map((x) => x.unitId)]));
  const today = cstDate(deps.clock.now());
  return rows.map((m) => {
    const tasks = m.tasks.map((task) => toTaskView({ ...task, meeting: { id: m.id, heldOn: m.heldOn, title: m.title } }, units.get(task.unitId), today));
    return {
      id: m.id,
      heldOn: m.heldOn,
      title: m.title,
      decisions: m.decisions,
      createdAt: m.createdAt.toISOString(),
      attendees: m.attendees
        .flatMap((a) => {
          const u = units.get(a.unitId);
          return u ? [{ unit: unitView(u), people: a.people }] : [];
        })
        .sort((a, b) => a.unit.code.localeCompare(b.unit.code)),
      tasks,
      taskCounts: {
        open: tasks.filter((x) => x.status === "open").length,
        overdue: tasks.filter((x) => x.overdue).length,
        done: tasks.filter((x) => x.status === "done").length,
      },
    };
  });
}

/** Meetings, newest first (at most `limit`, default 50), with their tasks' status: coordinators, admins and tax officers. */
export async function listMeetings(deps: Deps, actor: Principal | null, opts: { limit?: number } = {}): Promise<MeetingView[]> {
  requireRole(actor, ...READERS);
  return meetingViews(deps, {}, Math.min(Math.max(1, Math.floor(opts.limit ?? 50)), 200));
}

/** One meeting with its attendees and tasks: coordinators, admins and tax officers; unknown -> 404. */
export async function getMeeting(deps: Deps, actor: Principal | null, id: string): Promise<MeetingView> {
  requireRole(actor, ...READERS);
  const [meeting] = await meetingViews(deps, { id });
  if (!meeting) throw meetingNotFound();
  return meeting;
}

/**
 * The tasks of the actor's own unit (whatever their role): open ones, nearest due first, then those
 * done in the last RECENTLY_DONE_DAYS days, latest first. Never another unit's.
 */
export async function myTasks(deps: Deps, actor: Actor | null): Promise<MeetingTaskView[]> {
  requireUser(actor);
  const now = deps.clock.now();
  const today = cstDate(now);
  const since = cstStartOfDay(addDays(today, -RECENTLY_DONE_DAYS));
  const [open, done] = await Promise.all([
    deps.db.prisma.meetingTask.findMany({ where: { unitId: actor.unitId, status: "open" }, orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }], include: taskInclude, take: 500 }),
    deps.db.prisma.meetingTask.findMany({ where: { unitId: actor.unitId, status: "done", doneAt: { gte: since } }, orderBy: { doneAt: "desc" }, include: taskInclude, take: 100 }),
  ]);
  return taskViews(deps, [...open, ...done], today);
}

/**
 * A user of the task's unit marks it done with a note (audited). Idempotent: a task already done
 * answers as it is (the first note kept), with no second write. Another unit's task is 404, as an
 * unknown one: a unit does not learn what others were assigned.
 */
export async function completeTask(deps: Deps, actor: Actor | null, id: string, input: unknown, opts: { locale?: Locale } = {}): Promise<{ changed: boolean; task: MeetingTaskView }> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  requireUser(actor);
  const task = await deps.db.prisma.meetingTask.findUnique({ where: { id }, include: taskInclude });
  if (!task || task.unitId !== actor.unitId) throw taskNotFound();
  const parsed = parseInput(CompleteTaskSchema, input, locale);
  if (!parsed.ok) throw invalid(parsed.fields);
  const now = deps.clock.now();
  if (task.status === "done") return { changed: false, task: (await taskViews(deps, [task], cstDate(now)))[0]! };
  const changed = await deps.db.prisma.$transaction(async (tx) => {
    // Only the first of two racing completions writes (and is audited).
    const { count } = await tx.meetingTask.updateMany({ where: { id, status: "open" }, data: { status: "done", doneAt: now, doneById: actor.userId, doneNote: parsed.data.note } });
    if (count === 1) await writeAudit(tx, deps.clock, { actor, action: "meeting.task.done", subject: id, result: "ok" });
    return count === 1;
  });
  const row = await deps.db.prisma.meetingTask.findUniqueOrThrow({ where: { id }, include: taskInclude });
  return { changed, task: (await taskViews(deps, [row], cstDate(now)))[0]! };
}

/**
 * Queues task reminders to every active user of the task's unit: "due soon" from three days before
 * the due day, "due today" on it (09:00 CST or later), like the feed reminders. Each carries an
 * Outbox.dedupeKey, so running it often (the reminder pass) sends each once. Overdue tasks are the
 * escalation's business, not this. Returns how many were queued.
 */
export async function scheduleTaskReminders(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const today = cstDate(now);
  const morning = new Date(cstStartOfDay(today).getTime() + 9 * 3600_000);
  const sendAfter = morning > now ? morning : now;
  const tasks = await deps.db.prisma.meetingTask.findMany({
    where: { status: "open", dueOn: { gte: today, lte: addDays(today, 3) } },
    select: { id: true, unitId: true, title: true, dueOn: true, meeting: { select: { heldOn: true, title: true } } },
  });
  if (tasks.length === 0) return 0;
  const users = await deps.db.prisma.user.findMany({ where: { unitId: { in: [...new Set(tasks.map((x) => x.unitId))] }, active: true }, select: { id: true, unitId: true } });
  let queued = 0;
  for (const task of tasks) {
    const kind = task.dueOn === today ? "d0" : "d-3";
    for (const u of users) {
      if (u.unitId !== task.unitId) continue;
      const dedupeKey = `task-reminder:${task.id}:${u.id}:${kind}`;
      const exists = await deps.db.prisma.outbox.findUnique({ where: { dedupeKey }, select: { id: true } });
      if (exists) continue;
      await enqueueMessage(deps.db.prisma, { userId: u.id, now, sendAfter, dedupeKey, payload: taskPayload(kind === "d0" ? "task-reminder-today" : "task-reminder-before", task, task.meeting) });
      queued++;
    }
  }
  return queued;
}
