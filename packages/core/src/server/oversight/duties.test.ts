import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { seedOversightDistrict, type OversightDistrict } from "../../../../../test/factories/oversight.ts";
import type { Actor } from "../identity/actor.ts";
import { annualEvaluation, evaluationEvidence } from "./evaluation.ts";
import { oversightUnits, type OversightRow } from "./units.ts";

// Quiz, tip and meeting-task figures and the two criteria they score (training, cooperation), over
// rows as the quiz push/answers, the tip handlers and the meetings write them.
const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
let d: OversightDistrict;
let coordinator: Actor;
const at = (s: string) => new Date(s);

async function quiz(title: string, closesAt: string, results: { actor: Actor; score: number | null }[]) {
  const q = await t.db.prisma.quiz.create({
    data: { title, definition: "{}", status: "pushed", passMark: 60, opensAt: at("2026-11-01T00:00:00Z"), closesAt: at(closesAt), createdAt: at("2026-11-01T00:00:00Z"), updatedAt: at("2026-11-01T00:00:00Z"), pushedAt: at("2026-11-01T00:00:00Z") },
  });
  for (const r of results) {
    await t.db.prisma.quizAssignment.create({
      data: { quizId: q.id, userId: r.actor.userId, unitId: r.actor.unitId, assignedAt: at("2026-11-01T01:00:00Z"), botStatus: "none", ...(r.score === null ? {} : { finishedAt: at("2026-11-10T01:00:00Z"), score: r.score, correct: r.score / 10, passed: r.score >= 60 }) },
    });
  }
}

async function tip(n: number, unitId: string, filedOn: string, concludeBy: string, closedOn: string | null) {
  await t.db.prisma.tip.create({
    data: { receiptHash: `hash-${n}`, category: "tax_evasion", status: closedOn ? "closed" : "investigating", body: "k:x", filedOn, acknowledgeBy: filedOn, concludeBy, acknowledgedOn: filedOn, closedOn, unitId },
  });
}

beforeAll(async () => {
  t = createTestDb({ clock });
  d = await seedOversightDistrict(t.deps, clock);
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau", name: "陈协调" })).actor;
  const units = new Map((await t.db.prisma.unit.findMany()).map((u) => [u.code, u.id]));
  // Quizzes: the west clerk finishes three at 90+; the east clerk one at 80 and misses one that
  // closed; the squad's checker misses the first. A fourth quiz is still open: not due yet.
  await quiz("十一月车船税测验", "2026-11-30T10:00:00Z", [{ actor: d.westClerk, score: 100 }, { actor: d.eastClerk, score: 80 }, { actor: d.checker, score: null }]);
  await quiz("租赁登记要点", "2026-11-30T10:00:00Z", [{ actor: d.westClerk, score: 90 }, { actor: d.eastClerk, score: null }]);
  await quiz("契税基础", "2026-11-30T10:00:00Z", [{ actor: d.westClerk, score: 95 }]);
  await quiz("十二月测验", "2026-12-31T10:00:00Z", [{ actor: d.checker, score: null }]);
  // Tips assigned to the town: one concluded in time, one past its deadline, one not yet due.
  const town = units.get(d.town)!;
  await tip(1, town, "2026-10-10", "2026-11-09", "2026-11-01");
  await tip(2, town, "2026-10-20", "2026-11-19", null);
  await tip(3, town, "2026-11-30", "2026-12-30", null);
  // A Q4 meeting: the east village's task done in time, the west village's overdue, the squad's not yet due.
  const meeting = await t.db.prisma.meeting.create({ data: { heldOn: "2026-10-15", title: "第三季度例会", decisions: "加强出租房屋信息报送", createdAt: at("2026-10-15T08:00:00Z") } });
  const task = (unit: string, title: string, dueOn: string, doneAt?: string) =>
    t.db.prisma.meetingTask.create({ data: { meetingId: meeting.id, unitId: units.get(unit)!, title, dueOn, createdAt: at("2026-10-15T08:00:00Z"), ...(doneAt ? { status: "done", doneAt: at(doneAt), doneNote: "已完成" } : {}) } });
  await task(d.east, "摸排出租房屋", "2026-11-15", "2026-11-10T03:00:00Z");
  await task(d.west, "补报十月数据", "2026-11-30");
  await task(d.police, "年检站查验培训", "2026-12-20");
  // Another unit's activity must not leak into these.
  const other = await makeUnit(t.deps, { type: "village", name: "别的村", code: "bie-cun" });
  await t.db.prisma.meetingTask.create({ data: { meetingId: meeting.id, unitId: (await t.db.prisma.unit.findUniqueOrThrow({ where: { code: other } })).id, title: "别的任务", dueOn: "2026-11-01", createdAt: at("2026-10-15T08:00:00Z") } });
});
afterAll(async () => {
  await t.close();
});

const find = (rows: OversightRow[], code: string) => rows.flatMap((r) => [r, ...(r.members ?? [])]).find((r) => r.unit.code === code)!;

describe("quiz, tip and meeting-task figures", () => {
  it("counts quizzes finished and their mean per unit, and weighs a town's mean by participants", async () => {
    const r = await oversightUnits(t.deps, d.officer, { period: "2026Q4" });
    expect(find(r.rows, d.west).figures).toMatchObject({ quizParticipants: 3, quizAverage: 95 });
    expect(find(r.rows, d.east).figures).toMatchObject({ quizParticipants: 1, quizAverage: 80 });
    expect(find(r.rows, d.police).figures).toMatchObject({ quizParticipants: 0, quizAverage: null });
    expect(find(r.rows, d.town).total).toMatchObject({ quizParticipants: 4, quizAverage: 91.3 });
    expect((await oversightUnits(t.deps, d.officer, { period: "2026Q3" })).district.quizParticipants).toBe(0);
  });

  it("counts tips assigned by the day filed, and those concluded by their deadline", async () => {
    const r = await oversightUnits(t.deps, d.officer, { period: "2026Q4" });
    expect(find(r.rows, d.town).figures).toMatchObject({ tipsAssigned: 3, tipsHandledInTime: 1 });
    const oct = await oversightUnits(t.deps, d.officer, { period: "2026-10" });
    expect(find(oct.rows, d.town).figures).toMatchObject({ tipsAssigned: 2, tipsHandledInTime: 1 });
  });

  it("counts meeting tasks open at the end of the period, or now for the running one", async () => {
    const r = await oversightUnits(t.deps, d.officer, { period: "2026Q4" });
    expect(find(r.rows, d.west).figures.openTasks).toBe(1);
    expect(find(r.rows, d.east).figures.openTasks).toBe(0);
    expect(find(r.rows, d.police).figures.openTasks).toBe(1);
    expect(find(r.rows, d.town).total!.openTasks).toBe(1);
    // At the end of October the east task was still open; in Q3 none had been assigned.
    expect(find((await oversightUnits(t.deps, d.officer, { period: "2026-10" })).rows, d.east).figures.openTasks).toBe(1);
    expect((await oversightUnits(t.deps, d.officer, { period: "2026Q3" })).district.openTasks).toBe(0);
  });
});

describe("training and cooperation in the annual evaluation", () => {
  it("scores training by participation and mean score, cooperation by duties met in time", async () => {
    const e = await annualEvaluation(t.deps, coordinator, { year: 2026 });
    const row = (code: string) => e.rows.find((r) => r.unit.code === code)!;
    // West: 3 of 3 finished, mean 95 -> 10 × (0.5 + 0.475) = 9.8; its one task is overdue -> 0.
    expect(row(d.west).points).toMatchObject({ training: 9.8, cooperation: 0 });
    // East: 1 of 2 due finished at 80 -> 10 × (0.5 × 0.5 + 0.5 × 0.8) = 6.5; its task done in time -> 10.
    expect(row(d.east).points).toMatchObject({ training: 6.5, cooperation: 10 });
    // Squad: its only due quiz missed -> 0 (the open December quiz is not due); its task is not due -> 10.
    expect(row(d.police).points).toMatchObject({ training: 0, cooperation: 10 });
    // Town total: quizzes 4 of 5 due finished, mean 91.25 -> 8.6; duties: tip 1 met, tip 2 missed,
    // east task met, west task missed -> 2 of 4 -> 5.
    expect(row(d.town).points).toMatchObject({ training: 8.6, cooperation: 5 });
    expect(row(d.town).max).toBe(100);
  });

  it("names a person with three quizzes at 90+ among the commendation candidates", async () => {
    const e = await annualEvaluation(t.deps, coordinator, { year: 2026 });
    expect(e.candidates).toContainEqual({ name: "西庄文书", unit: "红旗镇西庄村委会", acceptedReports: 1, checks: 0, quizzes: 3, quizAverage: 95 });
    expect(e.candidates.map((c) => c.name)).not.toContain("东庄文书");
  });

  it("shows the evidence: quizzes done and missed, tasks on time and late, tips by count only", async () => {
    const east = await evaluationEvidence(t.deps, coordinator, { year: 2026, unit: d.east });
    const texts = (criterion: string) => east.items.filter((i) => i.criterion === criterion).map((i) => `${i.effect}:${i.text}`);
    expect(texts("training")).toEqual(["earned:完成测验 1 次，平均 80 分", "cost:未完成测验：租赁登记要点（截止 2026-11-30，1 人未完成）"]);
    expect(texts("cooperation")).toEqual(["earned:会议任务按期完成：摸排出租房屋（截止 2026-11-15）"]);
    const town = await evaluationEvidence(t.deps, coordinator, { year: 2026, unit: d.town }, { locale: "en" });
    const coop = town.items.filter((i) => i.criterion === "cooperation").map((i) => i.text);
    expect(coop).toContain("2 tips assigned fell due, 1 concluded in time");
    expect(coop).toContain("Meeting task late: 补报十月数据 (due 2026-11-30)");
    expect(JSON.stringify(town.items)).not.toMatch(/tax_evasion|hash-/);
    const police = await evaluationEvidence(t.deps, coordinator, { year: 2026, unit: d.police });
    expect(police.items.filter((i) => i.criterion === "cooperation").map((i) => i.text)).toEqual(["本年度没有到期的交办举报或会议任务"]);
  });
});
