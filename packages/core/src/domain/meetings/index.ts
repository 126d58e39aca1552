import { z } from "zod";
import { hasControlChars, normalizeProse } from "../text.ts";
import { isCalendarDate } from "../time.ts";
import { UnitCodeSchema } from "../units.ts";
import { describeInput } from "../validation.ts";
import { SubmitReportSchema } from "../reports/registry.ts";

/**
 * Meetings of the coordination group (例会制度) and the tasks they assign to units. What must stay
 * true: a meeting names at least one attending unit, once each; a task is due on or after the day
 * of its meeting; a meeting is not recorded before it was held; completing a task needs a note.
 */

/** Longest title, decisions, people, task detail and completion note, in characters. */
export const MEETING_TITLE_MAX = 100;
export const MEETING_DECISIONS_MAX = 5000;
export const MEETING_PEOPLE_MAX = 200;
export const MEETING_TASK_DETAIL_MAX = 2000;
export const TASK_NOTE_MAX = 1000;
/** Most attending units and most tasks one meeting may carry (a district has a few dozen units). */
export const MEETING_ATTENDEES_MAX = 300;
export const MEETING_TASKS_MAX = 200;

/** A task is `open` until its unit marks it `done` with a note. */
export const MEETING_TASK_STATUSES = ["open", "done"] as const;
export type MeetingTaskStatus = (typeof MEETING_TASK_STATUSES)[number];

const noControl = (v: string) => !hasControlChars(v);

/** One line of text, spaces folded, 1..max characters. */
const line = (max: number, labelKey: Parameters<typeof describeInput>[1]["labelKey"]) =>
  describeInput(
    z
      .string()
      .max(max * 2)
      .overwrite((v) => normalizeProse(v))
      .min(1)
      .max(max)
      .refine(noControl, { message: "tip-control-chars" }),
    { kind: "text", labelKey },
  );

/** Multi-line prose kept as typed, 1..max characters. */
const prose = (max: number, labelKey: Parameters<typeof describeInput>[1]["labelKey"]) =>
  describeInput(
    z
      .string()
      .max(max * 2)
      .overwrite((v) => normalizeProse(v, { multiline: true }))
      .min(1)
      .max(max)
      .refine(noControl, { message: "tip-control-chars" }),
    { kind: "textarea", labelKey },
  );

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A CST calendar date as YYYY-MM-DD (2026-02-30 refused). */
const date = (labelKey: Parameters<typeof describeInput>[1]["labelKey"], notAfter?: string) =>
  describeInput(
    z
      .string()
      .trim()
      .min(1)
      .refine(isCalendarDate, { message: "meeting-date-format", abort: true })
      .refine((v) => notAfter === undefined || v <= notAfter, { message: "meeting-held-future" }),
    { kind: "date", labelKey },
  );

/** A unit picked by code; nothing picked ("" or missing) says 请选择…, not a length rule. */
const unitChoice = (labelKey: Parameters<typeof describeInput>[1]["labelKey"]) => z.preprocess(blankToUndefined, describeInput(UnitCodeSchema.clone(), { kind: "choice", labelKey }));

/** One task as a meeting (or a later addition) assigns it: the unit (code), what to do, by when. */
export const MeetingTaskInputSchema = z.strictObject({
  unit: unitChoice("meeting-task-unit"),
  title: line(MEETING_TITLE_MAX, "meeting-task-title"),
  detail: z.preprocess(blankToUndefined, prose(MEETING_TASK_DETAIL_MAX, "meeting-task-detail").optional()),
  dueOn: date("meeting-task-due"),
});
export type MeetingTaskInput = z.infer<typeof MeetingTaskInputSchema>;

/** An attending unit (code) and, optionally, who came for it. */
export const MeetingAttendeeInputSchema = z.strictObject({
  unit: unitChoice("meeting-attendee-unit"),
  people: z.preprocess(blankToUndefined, line(MEETING_PEOPLE_MAX, "meeting-attendee-people").optional()),
});

function meetingSchema(heldOn: z.ZodType<string>) {
  return z
    .strictObject({
      clientId: SubmitReportSchema.shape.clientId.optional(),
      heldOn,
      title: line(MEETING_TITLE_MAX, "meeting-title"),
      decisions: prose(MEETING_DECISIONS_MAX, "meeting-decisions"),
      attendees: describeInput(z.array(MeetingAttendeeInputSchema).min(1).max(MEETING_ATTENDEES_MAX), { kind: "choices", labelKey: "meeting-attendees" }),
      tasks: z.array(MeetingTaskInputSchema).max(MEETING_TASKS_MAX).optional(),
    })
    .superRefine((v, ctx) => {
      const seen = new Set<string>();
      v.attendees.forEach((a, i) => {
        if (seen.has(a.unit)) ctx.addIssue({ code: "custom", path: ["attendees", i, "unit"], message: "meeting-attendee-duplicate" });
        seen.add(a.unit);
      });
      v.tasks?.forEach((task, i) => {
        if (task.dueOn < v.heldOn) ctx.addIssue({ code: "custom", path: ["tasks", i, "dueOn"], message: "meeting-task-due-before-meeting", params: { date: v.heldOn } });
      });
    });
}

/**
 * `POST /meetings`, the CLI's `meetings record --file` and the mini-app form. `clientId` (optional,
 * made once per form on the device) makes a retry return the first meeting instead of a second.
 * Whether `heldOn` is in the future depends on the clock: use `recordMeetingSchemaFor(today)`.
 */
export const RecordMeetingSchema = meetingSchema(date("meeting-held-on"));
export type RecordMeetingInput = z.infer<typeof RecordMeetingSchema>;

/**
 * RecordMeetingSchema with the one rule that needs the clock: not held after `today` (CST
 * YYYY-MM-DD). The rule sits on the field, so it is said together with every other problem.
 */
export function recordMeetingSchemaFor(today: string) {
  return meetingSchema(date("meeting-held-on", today));
}

/**
 * `POST /meetings/:id/tasks`: one more task for a recorded meeting (due on or after its day, checked
 * by the use-case). `clientId` (optional) makes a retry return the first task instead of a second.
 */
export const AddMeetingTaskSchema = z.strictObject({ ...MeetingTaskInputSchema.shape, clientId: SubmitReportSchema.shape.clientId.optional() });
export type AddMeetingTaskInput = z.infer<typeof AddMeetingTaskSchema>;

/** `POST /tasks/:id/done`, the bot's and the mini-app's "mark done": what was done, in a note. */
export const CompleteTaskSchema = z.strictObject({ note: prose(TASK_NOTE_MAX, "task-note") });
export type CompleteTaskInput = z.infer<typeof CompleteTaskSchema>;

/** True when an open task is past its due day (due dates are inclusive: overdue from the next CST day). */
export function isTaskOverdue(task: { status: string; dueOn: string }, today: string): boolean {
  return task.status === "open" && task.dueOn < today;
}
