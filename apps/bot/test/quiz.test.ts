import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import { createQuiz, pushQuiz, seedKnowledge, seedQuizQuestions, systemActor, myQuizzes, type Actor } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit } from "../../../test/factories/identity.ts";
import { createFakeTransport, TEST_BOT_INFO, type ApiCall } from "../../../test/factories/telegram.ts";
import { createBot, type XieshuiBot } from "../src/bot.ts";
import { createOutboxWorker, createTelegramPacer } from "../src/outbox-worker.ts";
import { createHarness, makeCallbackQuery, makeUpdate, tgUser, type BotHarness } from "./harness.ts";

let h: BotHarness;
let unit: string;
let alice: User;
let aliceActor: Actor;
let bob: User;
let quizId: string;
const transcript: string[] = [];

function record(calls: ApiCall[], from: number) {
  for (const c of calls.slice(from)) {
    const p = c.payload;
    const buttons = (p.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard?.map((r) => r.map((b) => `[${b.text}]`).join(" ")).join(" / ");
    if (c.method === "sendMessage") transcript.push(`BOT  ${String(p.text).replace(/\n/g, "\n     ")}${buttons ? `\n     ${buttons}` : ""}`);
    else if (c.method === "sendPoll") transcript.push(`POLL ${String(p.question)}\n     ${(p.options as { text: string }[]).map((o, i) => `${"ABCD"[i]}. ${o.text}`).join("  ")}  (quiz, anonymous: ${String(p.is_anonymous)}, correct ${JSON.stringify(p.correct_option_ids)})`);
    else if (c.method === "editMessageReplyMarkup") transcript.push(`EDIT ${buttons ?? ""}`);
  }
}

async function act(bot: XieshuiBot, api: ReturnType<typeof createFakeTransport>, label: string, update: Parameters<XieshuiBot["handleUpdate"]>[0]): Promise<ApiCall[]> {
  transcript.push(`USER ${label}`);
  const before = api.calls.length;
  await bot.handleUpdate(update);
  record(api.calls, before);
  return api.calls.slice(before);
}
const tap = (from: User, data: string) => makeUpdate({ callback_query: makeCallbackQuery(from, data) });
const vote = (from: User, pollId: string, option_ids: number[]) => makeUpdate({ poll_answer: { poll_id: pollId, user: from, option_ids, option_persistent_ids: [] } as never });
beforeAll(async () => {
  h = createHarness();
  h.clock.set("2026-12-07T02:00:00Z");
  await seedKnowledge(h.t.deps);
  await seedQuizQuestions(h.t.deps);
  unit = await makeUnit(h.t.deps, { type: "traffic_police", name: "交警一中队" });
  alice = tgUser({ first_name: "Alice" });
  aliceActor = await makeTelegramUser(h.t.deps, { roles: ["reporter"], unit, telegramId: alice.id, name: "王警官" });
  bob = tgUser({ first_name: "Bob" });
  await makeTelegramUser(h.t.deps, { roles: ["reporter"], unit, telegramId: bob.id, name: "李警官" });
  const q = await createQuiz(h.t.deps, systemActor("test"), {
    title: "车船税协查",
    selection: { questionIds: ["Q001", "Q002", "Q003"] },
    passMark: 60,
    opensAt: "2026-12-07 09:00",
    closesAt: "2026-12-11 18:00",
    targets: { units: [unit] },
  });
  quizId = q.id;
}, 120_000);
afterAll(async () => {
  writeFileSync("/tmp/xieshui-quiz-bot-transcript.txt", transcript.join("\n") + "\n");
  await h.close();
});

describe("a quiz in the bot", () => {
  let assignment: string;
  const polls = (calls: ApiCall[]) => calls.filter((c) => c.method === "sendPoll");

  it("delivers the push with a start button; a blocked chat is recorded and the push goes on", async () => {
    expect(await pushQuiz(h.t.deps, systemActor("test"), quizId)).toMatchObject({ assigned: 2, botQueued: 2 });
    // Bob has blocked the bot: his message (whichever goes first, in push order) answers 403.
    const rows = await h.t.db.prisma.outbox.findMany({ orderBy: { id: "asc" } });
    const blocked = { status: 403, description: "Forbidden: bot was blocked by the user" };
    if (rows[0]!.userId === aliceActor.userId) {
      h.api.failNext("sendMessage", { result: { message_id: 1, date: 0, chat: { id: alice.id, type: "private" }, text: "…" } });
    }
    h.api.failNext("sendMessage", blocked);
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps, concurrency: 1, pacer: createTelegramPacer({ perChatMs: 0 }) });
    const before = h.api.calls.length;
    transcript.push("(push: the outbox worker drains)");
    expect(await worker.drain()).toEqual({ sent: 1, failed: 1 });
    record(h.api.calls, before);
    const statuses = await h.t.db.prisma.quizAssignment.findMany({ where: { quizId }, select: { userId: true, botStatus: true } });
    expect(statuses.find((x) => x.userId === aliceActor.userId)!.botStatus).toBe("sent");
    expect(statuses.find((x) => x.userId !== aliceActor.userId)!.botStatus).toBe("blocked");
    const [mine] = await myQuizzes(h.t.deps, aliceActor);
    assignment = mine!.assignmentId;
    const push = h.api.calls.find((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === alice.id)!;
    expect(String(push.payload.text)).toContain("新测验：车船税协查");
    expect(push.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: "开始答题", callback_data: `qz:go:${assignment}` }]] });
  });

  it("asks single and true/false questions as non-anonymous quiz polls, scored from poll_answer, with explanation and article after each", async () => {
    const calls = await act(h.bot, h.api, "taps 开始答题", tap(alice, `qz:go:${assignment}`));
    expect(calls.find((c) => c.method === "sendMessage")!.payload.text).toContain("共 3 题，60 分及格");
    const [poll] = polls(calls);
    expect(poll!.payload).toMatchObject({ type: "quiz", is_anonymous: false, correct_option_ids: [2] });
    expect(String(poll!.payload.question)).toMatch(/^\(1\/3\) /);
    const pollId = await h.t.db.prisma.quizPoll.findFirstOrThrow({ where: { position: 1 } });
    const answered = await act(h.bot, h.api, "votes C", vote(alice, pollId.pollId, [2]));
    expect(String(answered[0]!.payload.text)).toMatch(/^✅ 回答正确\n征管法第二十九条/);
    expect(answered[0]!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: expect.stringContaining("📖 相关条目："), callback_data: "kn:a:K001" }]] });
    expect(polls(answered)[0]!.payload).toMatchObject({ correct_option_ids: [0] });
  });

  it("ignores a poll_answer for an unknown poll, from someone else, or a retracted vote", async () => {
    const p2 = await h.t.db.prisma.quizPoll.findFirstOrThrow({ where: { position: 2 } });
    expect(await act(h.bot, h.api, "(unknown poll)", vote(alice, "poll-does-not-exist", [0]))).toEqual([]);
    expect(await act(h.bot, h.api, "(Bob votes on Alice's poll)", vote(bob, p2.pollId, [0]))).toEqual([]);
    expect(await act(h.bot, h.api, "(retracts)", vote(alice, p2.pollId, []))).toEqual([]);
    expect(await h.t.db.prisma.quizAnswer.count({ where: { assignmentId: assignment } })).toBe(1);
  });

  it("stops for now and continues where it stopped", async () => {
    const stopped = await act(h.bot, h.api, "taps 暂停", tap(alice, `qz:s:${assignment}`));
    const msg = stopped.find((c) => c.method === "sendMessage")!;
    expect(String(msg.payload.text)).toBe("已暂停。已答 1/3 题，发送 /quiz 或点“继续答题”接着答。");
    expect(msg.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: "继续答题", callback_data: `qz:go:${assignment}` }]] });
    const list = await act(h.bot, h.api, "/quiz", makeUpdate({ message: { message_id: 2, date: 0, chat: { id: alice.id, type: "private", first_name: "Alice" }, from: alice, text: "/quiz", entities: [{ type: "bot_command", offset: 0, length: 5 }] } as never }));
    expect(list[0]!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: "车船税协查 (1/3)", callback_data: `qz:go:${assignment}` }]] });
    const again = await act(h.bot, h.api, "taps 继续答题", tap(alice, `qz:go:${assignment}`));
    expect(again.map((c) => c.method)).toContain("sendPoll");
    expect(String(again.find((c) => c.method === "sendPoll")!.payload.question)).toMatch(/^\(2\/3\) /);
  });

  it("survives a bot restart: a new bot process scores the old poll, then asks multiple choice with toggles and a confirm", async () => {
    transcript.push("(bot restarted: a new process, same database)");
    const api = createFakeTransport();
    const bot = createBot({ token: "42:TEST", deps: h.t.deps, config: { botInfo: TEST_BOT_INFO, fetch: api.fetch } });
    const p2 = await h.t.db.prisma.quizPoll.findFirstOrThrow({ where: { position: 2 } });
    const after = await act(bot, api, "votes B (错误)", vote(alice, p2.pollId, [1]));
    expect(String(after[0]!.payload.text)).toMatch(/^❌ 回答错误，正确答案是 A/);
    const multi = after[1]!;
    expect(String(multi.payload.text)).toContain("(3/3) 【多选】");
    const kb = (multi.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(kb[0]!.map((b) => b.text)).toEqual(["☐ A", "☐ B", "☐ C", "☐ D"]);
    const confirmEmpty = await act(bot, api, "confirms with nothing ticked", tap(alice, kb[1]![0]!.callback_data));
    expect(confirmEmpty.find((c) => c.method === "answerCallbackQuery")!.payload).toMatchObject({ show_alert: true, text: "请至少选择一项" });
    const t1 = await act(bot, api, "ticks A", tap(alice, kb[0]![0]!.callback_data));
    const kb1 = (t1.find((c) => c.method === "editMessageReplyMarkup")!.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(kb1[0]!.map((b) => b.text)).toEqual(["☑ A", "☐ B", "☐ C", "☐ D"]);
    const t2 = await act(bot, api, "ticks C", tap(alice, kb1[0]![2]!.callback_data));
    const kb2 = (t2.find((c) => c.method === "editMessageReplyMarkup")!.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    const t3 = await act(bot, api, "ticks D", tap(alice, kb2[0]![3]!.callback_data));
    const kb3 = (t3.find((c) => c.method === "editMessageReplyMarkup")!.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    expect(kb3[0]!.map((b) => b.text)).toEqual(["☑ A", "☐ B", "☑ C", "☑ D"]);
    const done = await act(bot, api, "confirms ACD", tap(alice, kb3[1]![0]!.callback_data));
    const texts = done.filter((c) => c.method === "sendMessage").map((c) => String(c.payload.text));
    expect(texts[0]).toMatch(/^✅ 回答正确/);
    expect(texts[1]).toContain("测验完成：车船税协查\n答对 2/3 题，得分 67（及格）");
    expect(texts[1]).toContain("答错的题：\n2.");
    // A double tap on the old confirm button counts nothing twice.
    const twice = await act(bot, api, "taps confirm again", tap(alice, kb3[1]![0]!.callback_data));
    expect(String(twice.find((c) => c.method === "sendMessage")!.payload.text)).toBe("这道题您已经答过了（在 Telegram 中），以第一次的答案为准");
    expect(await h.t.db.prisma.quizAnswer.count({ where: { assignmentId: assignment } })).toBe(3);
  });

  it("refuses answers after the close time with a clear message", async () => {
    const bobAssignment = (await h.t.db.prisma.quizAssignment.findFirstOrThrow({ where: { quizId, userId: { not: aliceActor.userId } } })).id;
    h.clock.set("2026-12-11T10:30:00Z");
    const calls = await act(h.bot, h.api, "(Bob, after the close) taps 开始答题", tap(bob, `qz:go:${bobAssignment}`));
    expect(String(calls.find((c) => c.method === "sendMessage")!.payload.text)).toBe("测验已于 2026-12-11 18:00 截止，不能再答题，答案没有计入");
    h.clock.set("2026-12-07T02:00:00Z");
  });

  it("runs /practice with due and new questions and updates the mistakes book", async () => {
    h.clock.set("2026-12-08T02:00:00Z");
    const calls = await act(h.bot, h.api, "/practice", makeUpdate({ message: { message_id: 1, date: 0, chat: { id: alice.id, type: "private", first_name: "Alice" }, from: alice, text: "/practice", entities: [{ type: "bot_command", offset: 0, length: 9 }] } as never }));
    expect(String(calls[0]!.payload.text)).toContain("今日练习：5 题");
    expect(calls.filter((c) => c.method === "sendPoll" || (c.method === "sendMessage" && String(c.payload.text).includes("【多选】")))).toHaveLength(1);
    const round = await h.t.db.prisma.practiceRound.findFirstOrThrow();
    expect((JSON.parse(round.questionIds) as string[])[0]).toBe("Q002");
    const poll = await h.t.db.prisma.quizPoll.findFirstOrThrow({ where: { kind: "practice" } });
    const answered = await act(h.bot, h.api, "votes A", vote(alice, poll.pollId, [0]));
    expect(String(answered[0]!.payload.text)).toMatch(/^✅ 回答正确/);
    expect(await h.t.db.prisma.quizReview.findUniqueOrThrow({ where: { userId_questionId: { userId: aliceActor.userId, questionId: "Q002" } } })).toMatchObject({ mistakeOpen: false, wrongCount: 1 });
    h.clock.set("2026-12-07T02:00:00Z");
  });
});
