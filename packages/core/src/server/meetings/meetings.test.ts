import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { parseInput } from "../../domain/validation.ts";
import { CompleteTaskSchema, RecordMeetingSchema } from "../../domain/meetings/index.ts";
import { renderOutboxPayload } from "../outbox.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import { createReminderScheduler } from "../reports/reminders.ts";
import { addMeetingTask, completeTask, getMeeting, listMeetings, myTasks, recordMeeting, scheduleTaskReminders } from "./meetings.ts";

// 2026-12-02 10:00 CST
const clock = createFixedClock("2026-12-02T02:00:00Z");
let t: TestDb;
let coordinator: Actor;
let admin: Actor;
let officer: Actor;
let east: string;
let west: string;
let eastClerk: Actor;
let eastHead: Actor;
let westClerk: Actor;
beforeAll(async () => {
  t = createTestDb({ clock });
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).actor;
  admin = (await makeUser(t.deps, { roles: ["admin"], unitType: "finance_bureau" })).actor;
  officer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
  east = await makeUnit(t.deps, { code: "east-village", name: "东村村委会" });
  west = await makeUnit(t.deps, { code: "west-village", name: "西村村委会" });
  eastClerk = (await makeUser(t.deps, { roles: ["reporter"], unit: east, name: "东村文书" })).actor;
  eastHead = (await makeUser(t.deps, { roles: ["admin"], unit: east, name: "东村主任" })).actor;
  westClerk = (await makeUser(t.deps, { roles: ["reporter"], unit: west })).actor;
});
afterAll(async () => {
  await t.close();
});

const meeting = (over: Record<string, unknown> = {}) => ({
  heldOn: "2026-11-30",
  title: "2026年第四季度协税护税例会",
  decisions: "一、各村按月报送出租房屋登记\n二、年底前完成车船税清查",
  attendees: [{ unit: east, people: "张三" }, { unit: west }],
  tasks: [
    { unit: east, title: "核查辖区出租房屋", dueOn: "2026-12-04" },
    { unit: west, title: "报送演出场所名单", detail: "含联系人", dueOn: "2026-12-20" },
  ],
  ...over,
});

const outboxFor = (userId: string) => t.db.prisma.outbox.findMany({ where: { userId }, orderBy: { id: "asc" } });

describe("recordMeeting", () => {
  it("records the meeting, its attendees and tasks at once, audited, and tells each assigned unit's users", async () => {
    const r = await recordMeeting(t.deps, coordinator, meeting());
    expect(r.created).toBe(true);
    expect(r.meeting).toMatchObject({ heldOn: "2026-11-30", title: "2026年第四季度协税护税例会", taskCounts: { open: 2, overdue: 0, done: 0 } });
    expect(r.meeting.attendees.map((a) => [a.unit.name, a.people])).toEqual([["东村村委会", "张三"], ["西村村委会", null]]);
    expect(r.meeting.tasks.map((x) => [x.unit.code, x.title, x.dueOn, x.status])).toEqual([
      [east, "核查辖区出租房屋", "2026-12-04", "open"],
      [west, "报送演出场所名单", "2026-12-20", "open"],
    ]);
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: "meeting.record", subject: r.meeting.id } });
    expect(audit).toHaveLength(1);
    // Everyone of the east village (any role) hears of its task, nobody else of it.
    for (const who of [eastClerk, eastHead]) {
      const msgs = await outboxFor(who.userId);
      expect(msgs).toHaveLength(1);
      expect(renderOutboxPayload(JSON.parse(msgs[0]!.payload), "zh-CN")).toBe(
        "📌 新任务：核查辖区出租房屋\n来自 2026-11-30 “2026年第四季度协税护税例会”，请在 2026-12-04 前完成，完成后点“标记完成”并填写办理情况。",
      );
      expect(JSON.parse(msgs[0]!.payload).buttons[0][0].data).toBe(`task:done:${r.meeting.tasks[0]!.id}`);
    }
    expect(renderOutboxPayload(JSON.parse((await outboxFor(westClerk.userId))[0]!.payload), "en")).toContain("New task: 报送演出场所名单");
  });

  it("records a retry with the same clientId once, even two at the same time", async () => {
    const body = meeting({ clientId: "client-retry-0001", title: "重试的会议" });
    const [a, b] = await Promise.all([recordMeeting(t.deps, coordinator, body), recordMeeting(t.deps, coordinator, body)]);
    const again = await recordMeeting(t.deps, coordinator, body);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(again.created).toBe(false);
    expect(new Set([a.meeting.id, b.meeting.id, again.meeting.id]).size).toBe(1);
    expect(await t.db.prisma.meeting.count({ where: { title: "重试的会议" } })).toBe(1);
    expect(await t.db.prisma.meetingTask.count({ where: { meetingId: a.meeting.id } })).toBe(2);
    expect(await t.db.prisma.auditLog.count({ where: { action: "meeting.record", subject: a.meeting.id } })).toBe(1);
  });

  it("lets only coordinators and the operator record: not an admin, not a unit", async () => {
    expect((await expectAppError(recordMeeting(t.deps, admin, meeting()))).code).toBe("forbidden");
    expect((await expectAppError(recordMeeting(t.deps, eastClerk, meeting()))).code).toBe("forbidden");
    expect((await expectAppError(recordMeeting(t.deps, null, meeting()))).code).toBe("unauthorized");
    expect((await recordMeeting(t.deps, systemActor("test"), meeting({ title: "命令行记录的会议", tasks: [] }))).created).toBe(true);
  });

  it("refuses unknown units at their field paths and writes nothing", async () => {
    const before = await t.db.prisma.meeting.count();
    const e = await expectAppError(
      recordMeeting(t.deps, coordinator, meeting({ attendees: [{ unit: east }, { unit: west }, { unit: "nowhere" }], tasks: [{ unit: "ghost-town", title: "x", dueOn: "2026-12-05" }] }), { locale: "en" }),
    );
    expect(e.code).toBe("invalid_input");
    expect(e.fields).toEqual({ "attendees.2.unit": "No such unit: pick one from the unit list", "tasks.0.unit": "No such unit: pick one from the unit list" });
    expect(await t.db.prisma.meeting.count()).toBe(before);
  });

  it("refuses a future meeting, a due date before the meeting, duplicate or no attendees, blank and oversize text", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ heldOn: "2026-12-03" }, "heldOn", /不能晚于今天/],
      [{ heldOn: "2026-02-30" }, "heldOn", /2026-10-15/],
      [{ heldOn: "" }, "heldOn", /请填写会议日期/],
      [{ tasks: [{ unit: east, title: "x", dueOn: "2026-11-29" }] }, "tasks.0.dueOn", /不能早于会议日期（2026-11-30）/],
      [{ attendees: [{ unit: east }, { unit: east }] }, "attendees.1.unit", /已在参会单位中/],
      [{ attendees: [] }, "attendees", /参会单位/],
      [{ title: "   " }, "title", /请填写会议名称/],
      [{ decisions: "长".repeat(5001) }, "decisions", /5000/],
      [{ title: "bad\u0000title" }, "title", /控制字符/],
      [{ attendees: [{ unit: "'; DROP TABLE unit;--" }] }, "attendees.0.unit", /.+/],
      [{ extra: 1 }, "extra", /.+/],
    ];
    for (const [over, field, message] of cases) {
      const e = await expectAppError(recordMeeting(t.deps, coordinator, meeting(over)));
      expect(e.code, field).toBe("invalid_input");
      expect(e.fields?.[field], JSON.stringify(over).slice(0, 80)).toMatch(message);
    }
    expect((await expectAppError(recordMeeting(t.deps, coordinator, "not an object"))).code).toBe("invalid_input");
  });

  it("shares the schema with the forms: the base schema has no clock, so the future rule is the use-case's", () => {
    expect(parseInput(RecordMeetingSchema, meeting({ heldOn: "2099-01-01", tasks: [] }), "zh-CN").ok).toBe(true);
    expect(parseInput(CompleteTaskSchema, { note: "  \n " }, "zh-CN")).toMatchObject({ ok: false, fields: { note: "请填写办理情况" } });
  });
});

describe("reading meetings and adding tasks", () => {
  it("lists meetings newest first with task counts for coordinators, admins and tax officers, not units", async () => {
    const list = await listMeetings(t.deps, officer);
    expect(list.length).toBeGreaterThan(0);
    expect(list.map((m) => m.heldOn)).toEqual([...list.map((m) => m.heldOn)].sort().reverse());
    expect((await listMeetings(t.deps, admin)).length).toBe(list.length);
    expect((await expectAppError(listMeetings(t.deps, eastClerk))).code).toBe("forbidden");
    expect((await expectAppError(getMeeting(t.deps, coordinator, "nope"))).code).toBe("not_found");
  });

  it("adds a task to a recorded meeting, due on or after its day, and tells the unit", async () => {
    const { meeting: m } = await recordMeeting(t.deps, coordinator, meeting({ title: "补充任务的会议", tasks: [] }));
    const before = (await outboxFor(westClerk.userId)).length;
    const body = { unit: west, title: "补报十一月数据", dueOn: "2026-12-10", clientId: "add-task-000001" };
    const { created, task } = await addMeetingTask(t.deps, coordinator, m.id, body);
    expect(created).toBe(true);
    expect(task).toMatchObject({ unit: { code: west }, meeting: { id: m.id }, status: "open", overdue: false });
    expect(await addMeetingTask(t.deps, coordinator, m.id, body)).toEqual({ created: false, task });
    expect((await outboxFor(westClerk.userId)).length).toBe(before + 1);
    expect((await getMeeting(t.deps, officer, m.id)).tasks.map((x) => x.id)).toEqual([task.id]);
    expect((await expectAppError(addMeetingTask(t.deps, coordinator, m.id, { unit: west, title: "x", dueOn: "2026-11-01" }))).fields).toEqual({ dueOn: "完成期限不能早于会议日期（2026-11-30）" });
    expect((await expectAppError(addMeetingTask(t.deps, coordinator, m.id, { unit: "nowhere", title: "x", dueOn: "2026-12-11" }))).fields).toEqual({ unit: "没有这个单位，请从单位列表中选择" });
    expect((await expectAppError(addMeetingTask(t.deps, coordinator, "missing", { unit: west, title: "x", dueOn: "2026-12-11" }))).code).toBe("not_found");
    expect((await expectAppError(addMeetingTask(t.deps, admin, m.id, { unit: west, title: "x", dueOn: "2026-12-11" }))).code).toBe("forbidden");
  });
});

describe("myTasks and completeTask", () => {
  it("shows a unit only its own tasks, open ones nearest due first, with overdue marked", async () => {
    await recordMeeting(t.deps, coordinator, meeting({ heldOn: "2026-10-15", title: "三季度例会", attendees: [{ unit: east }], tasks: [{ unit: east, title: "已逾期的任务", dueOn: "2026-11-15" }] }));
    const mine = await myTasks(t.deps, eastHead);
    expect(mine.every((x) => x.unit.code === east)).toBe(true);
    const open = mine.filter((x) => x.status === "open");
    expect(open.map((x) => x.dueOn)).toEqual([...open.map((x) => x.dueOn)].sort());
    expect(open[0]).toMatchObject({ title: "已逾期的任务", overdue: true, meeting: { heldOn: "2026-10-15", title: "三季度例会" } });
    expect((await myTasks(t.deps, westClerk)).some((x) => x.unit.code === east)).toBe(false);
    expect((await expectAppError(myTasks(t.deps, null))).code).toBe("unauthorized");
  });

  it("marks a task done with its note once: again is the same answer without a second write; another unit gets 404", async () => {
    const task = (await myTasks(t.deps, eastClerk)).find((x) => x.status === "open")!;
    expect((await expectAppError(completeTask(t.deps, westClerk, task.id, { note: "不是我们的" }))).code).toBe("not_found");
    expect((await expectAppError(completeTask(t.deps, eastClerk, task.id, { note: "" }))).fields).toEqual({ note: "请填写办理情况" });
    expect((await expectAppError(completeTask(t.deps, eastClerk, task.id, { note: "长".repeat(1001) }))).fields?.note).toMatch(/1000/);
    const first = await completeTask(t.deps, eastClerk, task.id, { note: "  已核查 12 户，名单已报税务所  " });
    expect(first.changed).toBe(true);
    expect(first.task).toMatchObject({ status: "done", overdue: false, doneNote: "已核查 12 户，名单已报税务所", doneAt: clock.now().toISOString() });
    const again = await completeTask(t.deps, eastHead, task.id, { note: "另一条说明" });
    expect(again).toEqual({ changed: false, task: first.task });
    expect(await t.db.prisma.auditLog.count({ where: { action: "meeting.task.done", subject: task.id } })).toBe(1);
    const row = await t.db.prisma.meetingTask.findUniqueOrThrow({ where: { id: task.id } });
    expect(row.doneById).toBe(eastClerk.userId);
    // Still listed, as recently done, after the open ones.
    const mine = await myTasks(t.deps, eastClerk);
    expect(mine.at(-1)).toMatchObject({ id: task.id, status: "done" });
    expect((await expectAppError(completeTask(t.deps, eastClerk, "no-such-task", { note: "x" }))).code).toBe("not_found");
  });
});

describe("scheduleTaskReminders", () => {
  it("queues 'due soon' within three days and 'due today' on the day, once each, to the unit's users, in the feed reminder pass", async () => {
    const u = await makeUnit(t.deps, { name: "南村村委会" });
    const clerk = (await makeUser(t.deps, { roles: ["reporter"], unit: u })).actor;
    await recordMeeting(t.deps, coordinator, meeting({
      heldOn: "2026-12-01",
      title: "提醒测试会议",
      attendees: [{ unit: u }],
      tasks: [
        { unit: u, title: "今天到期", dueOn: "2026-12-02" },
        { unit: u, title: "三天后到期", dueOn: "2026-12-05" },
        { unit: u, title: "下周到期", dueOn: "2026-12-09" },
      ],
    }));
    await t.db.prisma.outbox.deleteMany({ where: { userId: clerk.userId } });
    const first = await scheduleTaskReminders(t.deps);
    expect(first).toBeGreaterThanOrEqual(2);
    const texts = (await outboxFor(clerk.userId)).map((m) => renderOutboxPayload(JSON.parse(m.payload), "zh-CN"));
    expect(texts).toEqual(["提醒：今天（2026-12-02）是任务“今天到期”的完成期限。", "提醒：任务“三天后到期”须在 2026-12-05 前完成，截止日临近。"]);
    expect(await scheduleTaskReminders(t.deps)).toBe(0);
    // Done tasks are not reminded of.
    await t.db.prisma.outbox.deleteMany({ where: { userId: clerk.userId } });
    const today = (await myTasks(t.deps, clerk)).find((x) => x.title === "今天到期")!;
    await completeTask(t.deps, clerk, today.id, { note: "已办" });
    await t.db.prisma.outbox.deleteMany({ where: { dedupeKey: { startsWith: "task-reminder:" } } });
    await createReminderScheduler(t.deps).runOnce();
    const after = (await outboxFor(clerk.userId)).map((m) => renderOutboxPayload(JSON.parse(m.payload), "en"));
    expect(after).toEqual(["Reminder: the task “三天后到期” is due by 2026-12-05, in a few days."]);
  });
});
