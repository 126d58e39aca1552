import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixedClock, createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { makeTelegramUser, makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { seedKnowledge } from "../knowledge/import.ts";
import { seedQuizQuestions } from "./questions.ts";
import { createQuiz, pushQuiz } from "./quizzes.ts";
import { answerQuizQuestion, myQuizzes, quizProgress } from "./answering.ts";
import { answerPractice, listMistakes, practiceRound, queuePracticeReminders, setPracticeReminder } from "./review.ts";
import { exportQuizResults, quizResults, remindQuiz } from "./results.ts";
import type { Actor } from "../identity/actor.ts";

const clock = createFixedClock("2026-12-07T02:00:00Z"); // 10:00 CST
let t: TestDb;
let trainer: Actor;
let village: string;
let town: string;
let reporterA: Actor;
let reporterB: Actor;
let checker: Actor;

const def = (over: Record<string, unknown> = {}) => ({
  title: "车船税协查测验",
  selection: { questionIds: ["Q001", "Q002", "Q003"] },
  passMark: 60,
  opensAt: "2026-12-07 09:00",
  closesAt: "2026-12-11 18:00",
  targets: { units: [village], roles: ["reporter"] },
  ...over,
});

async function rejects(p: Promise<unknown>): Promise<{ code: string; reason?: string; fields?: Record<string, string>; messageKey?: string }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  t = createTestDb({ clock });
  await seedKnowledge(t.deps);
  expect(await seedQuizQuestions(t.deps)).toBe(150);
  trainer = (await makeUser(t.deps, { roles: ["trainer"], unitType: "tax_bureau" })).actor;
  town = await makeUnit(t.deps, { type: "town" });
  village = await makeUnit(t.deps, { type: "village", parent: town });
  reporterA = await makeTelegramUser(t.deps, { roles: ["reporter"], unit: village, telegramId: 7001, name: "张三" });
  reporterB = (await makeUser(t.deps, { roles: ["reporter"], unit: village, name: "李四" })).actor;
  checker = (await makeUser(t.deps, { roles: ["checker"], unit: village })).actor;
}, 120_000);
afterAll(async () => t.close());

describe("building and pushing", () => {
  it("refuses non-trainers, bad definitions and pools too small, with field errors", async () => {
    expect((await rejects(createQuiz(t.deps, reporterA, def()))).code).toBe("forbidden");
    const bad = await rejects(createQuiz(t.deps, trainer, { ...def(), closesAt: "2026-12-06 18:00", targets: {} }));
    expect(bad.code).toBe("invalid_input");
    expect(Object.keys(bad.fields!)).toEqual(expect.arrayContaining(["closesAt", "targets.units"]));
    const small = await rejects(createQuiz(t.deps, trainer, def({ selection: { difficulties: ["hard"], types: ["judge"], articleIds: ["K001"] }, count: 40 })));
    expect(small.fields?.count ?? small.fields?.selection).toMatch(/符合条件的题目|没有符合条件/);
    const unknown = await rejects(createQuiz(t.deps, trainer, def({ targets: { units: ["no-such-unit"] } })));
    expect(unknown.fields?.["targets.units"]).toContain("no-such-unit");
  });

  it("draws N random questions by tag/difficulty and previews who it reaches", async () => {
    const q = await createQuiz(t.deps, trainer, def({ selection: { difficulties: ["easy"] }, count: 5 }));
    expect(q.items).toHaveLength(5);
    expect(new Set(q.items.map((i) => i.questionId)).size).toBe(5);
    expect(q.audience).toEqual({ units: 1, users: 2, withTelegram: 1, problem: null });
  });

  it("refuses a quiz with no eligible users before pushing, with the reason", async () => {
    const empty = await makeUnit(t.deps, { type: "venue" });
    const q1 = await createQuiz(t.deps, trainer, def({ targets: { units: [empty] } }));
    expect(q1.audience.problem).toContain("还没有在用的账号");
    const e1 = await rejects(pushQuiz(t.deps, trainer, q1.id));
    expect(e1.fields?.targets).toContain("测验没有推送");
    const q2 = await createQuiz(t.deps, trainer, def({ targets: { units: [village], roles: ["coordinator"] } }));
    expect((await rejects(pushQuiz(t.deps, trainer, q2.id))).fields?.targets).toContain("都没有所选的角色");
    expect(await t.db.prisma.quizAssignment.count({ where: { quizId: { in: [q1.id, q2.id] } } })).toBe(0);
  });

  it("pushes once: one assignment per target user, one bot message for those with Telegram; a second push adds nothing", async () => {
    const q = await createQuiz(t.deps, trainer, def());
    const first = await pushQuiz(t.deps, trainer, q.id);
    expect(first).toEqual({ quizId: q.id, assigned: 2, botQueued: 1, alreadyPushed: false });
    const [again, racing] = await Promise.all([pushQuiz(t.deps, trainer, q.id), pushQuiz(t.deps, trainer, q.id)]);
    expect(again).toMatchObject({ assigned: 2, alreadyPushed: true });
    expect(racing).toMatchObject({ assigned: 2, alreadyPushed: true });
    const msgs = await t.db.prisma.outbox.findMany({ where: { dedupeKey: { startsWith: "quiz-push:" } } });
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.userId).toBe(reporterA.userId);
    expect((await myQuizzes(t.deps, reporterB)).map((c) => c.title)).toContain("车船税协查测验");
    expect(await myQuizzes(t.deps, checker)).toEqual([]);
  });
});

describe("answering", () => {
  let aA: string;
  let aB: string;
  beforeAll(async () => {
    const q = await createQuiz(t.deps, trainer, def({ title: "答题测验" }));
    await pushQuiz(t.deps, trainer, q.id);
    const cards = async (actor: Actor) => (await myQuizzes(t.deps, actor)).find((c) => c.title === "答题测验")!.assignmentId;
    aA = await cards(reporterA);
    aB = await cards(reporterB);
  });

  it("scores each answer with the explanation and finishes with the score and wrong questions", async () => {
    const p0 = await quizProgress(t.deps, reporterA, aA);
    expect(p0.next).toMatchObject({ position: 1, total: 3, type: "single" });
    expect(p0.next).not.toHaveProperty("answer");
    const r1 = await answerQuizQuestion(t.deps, reporterA, aA, { position: 1, chosen: "C" }, { channel: "bot" });
    expect(r1.feedback).toMatchObject({ correct: true, answer: "C", articleId: "K001" });
    expect(r1.feedback.articleTitle).toBeTruthy();
    const r2 = await answerQuizQuestion(t.deps, reporterA, aA, { position: 2, chosen: "b" }, { channel: "miniapp" });
    expect(r2.feedback.correct).toBe(false);
    const r3 = await answerQuizQuestion(t.deps, reporterA, aA, { position: 3, chosen: "D,C,A" }, { channel: "bot" });
    expect(r3.feedback.correct).toBe(true);
    expect(r3.progress.result).toMatchObject({ correct: 2, total: 3, score: 67, passed: true });
    expect(r3.progress.result!.wrong.map((w) => w.position)).toEqual([2]);
  });

  it("counts only the first answer to a question, whichever channel, even when two race", async () => {
    const results = await Promise.allSettled([
      answerQuizQuestion(t.deps, reporterB, aB, { position: 1, chosen: "A" }, { channel: "bot" }),
      answerQuizQuestion(t.deps, reporterB, aB, { position: 1, chosen: "C" }, { channel: "miniapp" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: "conflict", reason: "quiz_already_answered" });
    const again = await rejects(answerQuizQuestion(t.deps, reporterB, aB, { position: 1, chosen: "C" }, { channel: "miniapp" }));
    expect(again.reason).toBe("quiz_already_answered");
    expect(await t.db.prisma.quizAnswer.count({ where: { assignmentId: aB, position: 1 } })).toBe(1);
  });

  it("refuses bad answers, other people's quizzes and answers after the close time", async () => {
    expect((await rejects(answerQuizQuestion(t.deps, reporterB, aB, { position: 2, chosen: "AB" }, { channel: "miniapp" }))).fields?.chosen).toBe("这道题只能选一项");
    expect((await rejects(answerQuizQuestion(t.deps, reporterB, aB, { position: 2, chosen: "Z" }, { channel: "miniapp" }))).code).toBe("invalid_input");
    expect((await rejects(answerQuizQuestion(t.deps, reporterB, aB, { position: 3, chosen: "" }, { channel: "miniapp" }))).code).toBe("invalid_input");
    expect((await rejects(answerQuizQuestion(t.deps, reporterB, aB, { position: 9, chosen: "A" }, { channel: "miniapp" }))).code).toBe("invalid_input");
    expect((await rejects(answerQuizQuestion(t.deps, reporterB, aB, { position: "1; DROP TABLE", chosen: "A" }, { channel: "miniapp" }))).code).toBe("invalid_input");
    expect((await rejects(answerQuizQuestion(t.deps, checker, aB, { position: 2, chosen: "A" }, { channel: "miniapp" }))).reason).toBe("quiz_not_assigned");
    expect((await rejects(answerQuizQuestion(t.deps, null, aB, { position: 2, chosen: "A" }, { channel: "miniapp" }))).code).toBe("unauthorized");
    clock.set("2026-12-11T10:00:01Z");
    try {
      const late = await rejects(answerQuizQuestion(t.deps, reporterB, aB, { position: 2, chosen: "A" }, { channel: "bot" }));
      expect(late).toMatchObject({ code: "conflict", reason: "quiz_closed", messageKey: "quiz-closed" });
      expect((await quizProgress(t.deps, reporterB, aB)).state).toBe("closed");
    } finally {
      clock.set("2026-12-07T02:00:00Z");
    }
  });

  it("shows results per user, unit and question, exports CSV and XLSX, and reminds those not finished once a day", async () => {
    const quizId = (await t.db.prisma.quizAssignment.findUniqueOrThrow({ where: { id: aA } })).quizId;
    const r = await quizResults(t.deps, trainer, quizId);
    expect(r.users.find((u) => u.name === "张三")).toMatchObject({ status: "finished", score: 67, passed: true, wrong: [2] });
    expect(r.users.find((u) => u.name === "李四")).toMatchObject({ status: "in_progress", answered: 1 });
    expect(r.units).toEqual([expect.objectContaining({ invited: 2, started: 2, finished: 1, passed: 1, averageScore: 67 })]);
    expect(r.questions[1]).toMatchObject({ position: 2, answered: 1, wrongShare: 100, topWrong: "B" });
    expect((await rejects(quizResults(t.deps, reporterA, quizId))).code).toBe("forbidden");
    const csv = await exportQuizResults(t.deps, trainer, quizId, { format: "csv" });
    const text = csv.body.toString("utf8");
    expect(text.startsWith("\uFEFF姓名,单位,状态")).toBe(true);
    expect(text).toContain("张三");
    const xlsx = await exportQuizResults(t.deps, trainer, quizId, { format: "xlsx" }, { locale: "en" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["By person", "By unit", "By question"]);
    expect((await rejects(exportQuizResults(t.deps, trainer, quizId, { format: "pdf" }))).code).toBe("invalid_input");
    // Only 李四 is unfinished, and has no Telegram: the card on the mini-app home is the reminder.
    expect(await remindQuiz(t.deps, trainer, quizId)).toEqual({ queued: 0, unfinished: 1 });
  });
});

describe("mistakes book and practice", () => {
  it("keeps wrong answers in the 错题本 with explanation and article until answered right in practice", async () => {
    const book = await listMistakes(t.deps, reporterA);
    expect(book.map((m) => m.questionId)).toEqual(["Q002"]);
    expect(book[0]).toMatchObject({ lastWrong: "B", answer: "A", articleId: "K001" });
    expect(book[0]!.explanation.length).toBeGreaterThan(0);
    clock.set("2026-12-09T02:00:00Z"); // two days on: Q002 (Again) is due
    try {
      const round = await practiceRound(t.deps, reporterA);
      expect(round.total).toBe(5);
      expect(round.next?.questionId).toBe("Q002");
      expect((await practiceRound(t.deps, reporterA)).roundId).toBe(round.roundId);
      const r = await answerPractice(t.deps, reporterA, round.roundId, { position: 1, chosen: "A" }, { channel: "bot" });
      expect(r.feedback.correct).toBe(true);
      expect(r.round.answered).toBe(1);
      expect(await listMistakes(t.deps, reporterA)).toEqual([]);
      expect((await rejects(answerPractice(t.deps, reporterA, round.roundId, { position: 1, chosen: "B" }, { channel: "miniapp" }))).reason).toBe("quiz_already_answered");
      expect((await rejects(answerPractice(t.deps, reporterB, round.roundId, { position: 2, chosen: "A" }, { channel: "miniapp" }))).code).toBe("not_found");
      clock.set("2026-12-10T02:00:00Z");
      expect((await rejects(answerPractice(t.deps, reporterA, round.roundId, { position: 2, chosen: "A" }, { channel: "miniapp" }))).reason).toBe("practice_day_over");
    } finally {
      clock.set("2026-12-07T02:00:00Z");
    }
  });

  it("sends the daily practice reminder only to those who turned it on, once a day", async () => {
    expect(await queuePracticeReminders(t.deps)).toBe(0);
    expect((await rejects(setPracticeReminder(t.deps, reporterA, { enabled: true, hour: 3 }))).code).toBe("invalid_input");
    await setPracticeReminder(t.deps, reporterA, { enabled: true, hour: 9 });
    expect(await queuePracticeReminders(t.deps)).toBe(1);
    await queuePracticeReminders(t.deps);
    expect(await t.db.prisma.outbox.count({ where: { dedupeKey: { startsWith: "practice-remind:" } } })).toBe(1);
  });
});
