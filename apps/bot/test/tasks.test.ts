import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InlineKeyboardButton, User } from "grammy/types";
import { recordMeeting, scheduleTaskReminders, systemActor } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit } from "../../../test/factories/identity.ts";
import { REPO_ROOT } from "../../../test/factories/paths.ts";
import { createOutboxWorker } from "../src/outbox-worker.ts";
import { createHarness, makeCallbackQuery, makeUpdate, tgUser, type BotHarness } from "./harness.ts";

// Issue 13 point 3 in the bot: a village clerk lists the unit's meeting tasks with /tasks, marks one
// done with a note, and receives the assignment and reminder messages in their own language. Each
// test writes its whole conversation to test-results/bot-transcripts/ for reading.
// The harness clock: 2026-11-26 10:00 CST.
let h: BotHarness;
let transcript: string[];
let unit: string;
beforeEach(async () => {
  h = createHarness();
  transcript = [];
  unit = await makeUnit(h.t.deps, { name: "东村村委会" });
});
afterEach(async () => {
  await h.close();
});

function keyboard(): InlineKeyboardButton.CallbackButton[] {
  const last = h.api.calls.filter((c) => c.method === "sendMessage").at(-1);
  const markup = last?.payload.reply_markup as { inline_keyboard?: InlineKeyboardButton.CallbackButton[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat();
}
function button(label: string): string {
  const b = keyboard().find((x) => x.text === label);
  if (!b) throw new Error(`no button ${label}: ${keyboard().map((x) => x.text).join(", ")}`);
  return b.callback_data;
}
function log(who: string, lines: string[]) {
  transcript.push(`> ${who}`, ...lines.map((l) => `< ${l}`), "");
}
async function say(u: User, text: string): Promise<string[]> {
  const out = await h.say(u, text);
  log(text, out);
  return out;
}
async function press(u: User, label: string): Promise<string[]> {
  const out = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(u, button(label)) }));
  log(`[${label}]`, out);
  return out;
}
async function pushed(): Promise<string[]> {
  const before = h.api.texts().length;
  await createOutboxWorker({ bot: h.bot, deps: h.t.deps }).drain();
  const out = h.api.texts().slice(before);
  log("(outbox)", out);
  return out;
}
function saveTranscript(name: string) {
  const dir = join(REPO_ROOT, "test-results/bot-transcripts");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.txt`), transcript.join("\n"));
}

async function clerk(opts: Partial<User> = {}): Promise<User> {
  const u = tgUser(opts);
  await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: u.id, unit, name: "王文书" });
  return u;
}

async function meeting(tasks: { title: string; dueOn: string; unit?: string }[]) {
  return recordMeeting(h.t.deps, systemActor("test"), {
    heldOn: "2026-10-15",
    title: "三季度工作总结会",
    decisions: "加强出租房屋登记",
    attendees: [{ unit }],
    tasks: tasks.map((x) => ({ unit, ...x })),
  });
}

describe("/tasks", () => {
  it("lists the unit's open tasks with overdue marked, asks for the note on 标记完成, and marks it done once", async () => {
    const u = await clerk();
    await meeting([
      { title: "核查辖区出租房屋", dueOn: "2026-11-15" },
      { title: "报送演出场所名单", dueOn: "2026-12-10" },
    ]);
    const other = await makeUnit(h.t.deps, { name: "西村村委会" });
    await meeting([{ title: "别的村的任务", dueOn: "2026-12-01", unit: other }]);

    const [list] = await say(u, "/tasks");
    expect(list).toBe(
      ["东村村委会 未完成的会议任务：", "1. 核查辖区出租房屋", "   会议：2026-10-15　期限：2026-11-15（⚠️ 已逾期）", "2. 报送演出场所名单", "   会议：2026-10-15　期限：2026-12-10"].join("\n"),
    );
    expect(keyboard().map((b) => b.text)).toEqual(["标记完成 1", "标记完成 2"]);

    expect(await press(u, "标记完成 1")).toEqual(["任务“核查辖区出租房屋”：请简要写下办理情况（1000 字以内）。发送 /cancel 取消。"]);
    expect(await say(u, "   ")).toEqual(["请填写办理情况"]);
    expect(await say(u, "长".repeat(1001))).toEqual(["太长了，最多 1000 个字"]);
    expect(await say(u, "已核查 12 户，名单已报税务所")).toEqual(["✅ 已标记完成：核查辖区出租房屋"]);

    const [after] = await say(u, "/tasks");
    expect(after).not.toContain("核查辖区出租房屋");
    expect(after).toContain("1. 报送演出场所名单");
    saveTranscript("tasks-mark-done");
  });

  it("says so when a stale button is pressed again, and /cancel leaves the task open", async () => {
    const u = await clerk();
    await meeting([{ title: "核查辖区出租房屋", dueOn: "2026-12-15" }]);
    await say(u, "/tasks");
    const data = button("标记完成 1");
    await press(u, "标记完成 1");
    expect(await say(u, "/cancel")).toEqual(["已取消，任务仍为未完成。"]);
    await say(u, "/tasks");
    await press(u, "标记完成 1");
    expect(await say(u, "已办结")).toEqual(["✅ 已标记完成：核查辖区出租房屋"]);
    const again = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(u, data) }));
    log("[标记完成 1] (again)", again);
    expect(again).toEqual(["这项任务已于 2026-11-26 标记完成。"]);
    expect(await h.t.db.prisma.auditLog.count({ where: { action: "meeting.task.done" } })).toBe(1);
    // A forged button for another unit's task says nothing about it.
    const forged = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(u, "task:done:someone-elses") }));
    expect(forged).toEqual(["这项任务不是本单位的，或已不存在。"]);
    saveTranscript("tasks-stale-cancel");
  });

  it("tells a guest to register and a unit without tasks that there are none", async () => {
    expect(await say(tgUser(), "/tasks")).toHaveLength(1);
    const u = await clerk();
    expect(await say(u, "/tasks")).toEqual(["本单位目前没有未完成的会议任务。"]);
  });
});

describe("task messages", () => {
  it("delivers the assignment and the reminders in the user's language, with a working Mark done button", async () => {
    const en = await clerk({ language_code: "en" });
    await say(en, "/lang en");
    const { meeting: m } = await meeting([{ title: "Check rented housing", dueOn: "2026-11-28" }]);
    const assigned = await pushed();
    expect(assigned).toContain("📌 New task: Check rented housing\nFrom “三季度工作总结会” on 2026-10-15. Please finish it by 2026-11-28, then tap “Mark done” and say what was done.");
    expect(keyboard().map((b) => b.text)).toEqual(["Mark done"]);
    h.clock.set("2026-11-28T01:30:00Z"); // 09:30 CST on the due day
    expect(await scheduleTaskReminders(h.t.deps)).toBe(1);
    expect(await pushed()).toEqual(["Reminder: today (2026-11-28) is the due date of the task “Check rented housing”."]);
    expect(await press(en, "Mark done")).toEqual(["Task “Check rented housing”: briefly say what was done (at most 1000 characters). Send /cancel to stop."]);
    expect(await say(en, "Done: 12 households checked")).toEqual(["✅ Marked done: Check rented housing"]);
    expect(m.tasks[0]!.title).toBe("Check rented housing");
    saveTranscript("tasks-messages-en");
  });
});
