import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { seedOversightDistrict, type OversightDistrict } from "../../../../../test/factories/oversight.ts";
import { checkClearance } from "../clearances/check.ts";
import type { Actor } from "../identity/actor.ts";
import { addEvaluationAdjustment, annualEvaluation, evaluationEvidence, evaluationWorkbook, setEvaluationWeights } from "./evaluation.ts";

const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
let d: OversightDistrict;
let coordinator: Actor;
beforeAll(async () => {
  t = createTestDb({ clock });
  d = await seedOversightDistrict(t.deps, clock);
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau", name: "陈协调" })).actor;
});
afterAll(async () => {
  await t.close();
});

const row = (e: Awaited<ReturnType<typeof annualEvaluation>>, code: string) => e.rows.find((r) => r.unit.code === code)!;

describe("annual evaluation", () => {
  it("scores every unit by the default 20/20/20/20/10/10 rules and ranks them, towns by their villages' total", async () => {
    const e = await annualEvaluation(t.deps, d.officer, { year: 2026 });
    expect(e.weightsSet).toBe(false);
    expect(e.weights).toEqual({ organisation: 20, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 10 });
    // East: 2 of 3 filed on time, all filed, its one reviewed report returned.
    // No quiz pushed and nothing assigned fell due: training and cooperation give full points.
    expect(row(e, d.east)).toMatchObject({ points: { organisation: 20, timeliness: 13.3, completeness: 20, accuracy: 0, training: 10, cooperation: 10 }, total: 73.3, max: 100, town: "红旗镇" });
    expect(row(e, d.west)).toMatchObject({ total: 100 });
    expect(row(e, d.town).points).toMatchObject({ timeliness: 16.7, accuracy: 10 });
    // The construction bureau filed 1 of 10 feeds due by December 5.
    expect(row(e, d.builder).points.completeness).toBe(2);
    const ranks = e.rows.map((r) => r.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(row(e, d.west).rank).toBe(row(e, d.police).rank); // 100 and 100 share a rank
    expect(e.rules.map((r) => r.weight)).toEqual([20, 20, 20, 20, 10, 10]);
  });

  it("uses a coordinator's weights and refuses weights that do not add up to 100, saying the sum", async () => {
    const bad = await expectAppError(setEvaluationWeights(t.deps, coordinator, { year: 2026, weights: { organisation: 30, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 10 } }));
    expect(bad).toMatchObject({ code: "invalid_input", reason: "weights_sum" });
    expect(bad.fields?.weights).toBe("各项分值合计应为 100 分，现在是 110 分");
    for (const weights of [{ organisation: 100 }, { organisation: 20.5, timeliness: 19.5, completeness: 20, accuracy: 20, training: 10, cooperation: 10 }, { organisation: -10, timeliness: 50, completeness: 20, accuracy: 20, training: 10, cooperation: 10 }, "all"]) {
      expect((await expectAppError(setEvaluationWeights(t.deps, coordinator, { year: 2026, weights }))).code).toBe("invalid_input");
    }
    await setEvaluationWeights(t.deps, coordinator, { year: 2026, weights: { organisation: 10, timeliness: 30, completeness: 20, accuracy: 20, training: 10, cooperation: 10 } });
    const e = await annualEvaluation(t.deps, d.officer, { year: 2026 });
    expect(e.weightsSet).toBe(true);
    expect(row(e, d.east).points).toMatchObject({ organisation: 10, timeliness: 20 });
    expect(await t.db.prisma.auditLog.count({ where: { action: "evaluation.weights" } })).toBe(1);
    await setEvaluationWeights(t.deps, coordinator, { year: 2026, weights: { organisation: 20, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 10 } });
  });

  it("adds a coordinator's adjustment with its reason to the total, audited; refuses one without a reason", async () => {
    const noReason = await expectAppError(addEvaluationAdjustment(t.deps, coordinator, { year: 2026, unit: d.east, points: 5 }));
    expect(noReason.fields?.reason).toContain("调整原因");
    expect((await expectAppError(addEvaluationAdjustment(t.deps, coordinator, { year: 2026, unit: d.east, points: 5, reason: "   " }))).fields?.reason).toBeTruthy();
    expect((await expectAppError(addEvaluationAdjustment(t.deps, coordinator, { year: 2026, unit: d.east, points: 0, reason: "没有理由的零分" }))).fields?.points).toBe("调整分值不能为 0");
    expect((await expectAppError(addEvaluationAdjustment(t.deps, coordinator, { year: 2026, unit: d.east, points: 50, reason: "太多了太多了" }))).fields?.points).toBeTruthy();
    expect((await expectAppError(addEvaluationAdjustment(t.deps, coordinator, { year: 2026, unit: "nowhere", points: 5, reason: "协助查处偷税案件" }))).code).toBe("not_found");
    expect((await expectAppError(addEvaluationAdjustment(t.deps, coordinator, { year: 2027, unit: d.east, points: 5, reason: "协助查处偷税案件" }))).reason).toBe("period_not_started");
    expect((await expectAppError(addEvaluationAdjustment(t.deps, d.officer, { year: 2026, unit: d.east, points: 5, reason: "协助查处偷税案件" }))).code).toBe("forbidden");
    const a = await addEvaluationAdjustment(t.deps, coordinator, { year: 2026, unit: d.east, points: 5, reason: "协助查处一起偷税案件" });
    expect(a).toMatchObject({ points: 5, reason: "协助查处一起偷税案件", by: "陈协调" });
    const e = await annualEvaluation(t.deps, d.officer, { year: 2026 });
    expect(row(e, d.east)).toMatchObject({ adjustment: 5, total: 78.3 });
    expect(e.adjustments).toEqual([expect.objectContaining({ unit: expect.objectContaining({ code: d.east }), points: 5, by: "陈协调" })]);
    const audit = await t.db.prisma.auditLog.findFirstOrThrow({ where: { action: "evaluation.adjust" } });
    expect(audit).toMatchObject({ userId: coordinator.userId, subject: `unit:${d.east}` });
    expect(JSON.parse(audit.detail!)).toMatchObject({ points: 5, reason: "协助查处一起偷税案件" });
  });

  it("shows the evidence behind a unit's points: its people, late and returned reports, missing feeds", async () => {
    const east = await evaluationEvidence(t.deps, coordinator, { year: 2026, unit: d.east });
    expect(east.items.filter((i) => i.criterion === "organisation").map((i) => i.text)).toEqual(["负责人员：东庄文书"]);
    const late = east.items.find((i) => i.criterion === "timeliness" && i.effect === "cost")!;
    expect(late.text).toBe("逾期补报：承租房屋登记（2026-11-20）");
    expect(JSON.stringify(east.items)).not.toContain("李四"); // summaries hold names: never in evidence
    expect(late.reportId).toBeTruthy();
    expect(east.items.find((i) => i.criterion === "accuracy" && i.effect === "cost")!.text).toMatch(/^被退回：/);
    const builder = await evaluationEvidence(t.deps, coordinator, { year: 2026, unit: d.builder });
    expect(builder.items.filter((i) => i.criterion === "completeness")).toHaveLength(9);
    const town = await evaluationEvidence(t.deps, coordinator, { year: 2026, unit: d.town });
    expect(town.items.filter((i) => i.criterion === "organisation")).toHaveLength(2);
    expect((await expectAppError(evaluationEvidence(t.deps, coordinator, { year: 2026, unit: "nowhere" }))).code).toBe("not_found");
  });

  it("lists people with outstanding contributions as commendation candidates", async () => {
    expect((await annualEvaluation(t.deps, coordinator, { year: 2026 })).candidates).toEqual([]);
    for (let i = 0; i < 100; i++) await checkClearance(t.deps, d.checker, { kind: "vehicle_vessel", key: `豫A${String(10000 + i)}` }, { rateLimitPerHour: 0 });
    const e = await annualEvaluation(t.deps, coordinator, { year: 2026 });
    expect(e.candidates).toEqual([{ name: "二中队民警", unit: "交警二中队", acceptedReports: 0, checks: 103, quizzes: 0, quizAverage: null }]);
  });

  it("exports ranking, adjustments, candidates and rules as XLSX", async () => {
    const e = await annualEvaluation(t.deps, coordinator, { year: 2026 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await evaluationWorkbook(e)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["2026 年度协税护税工作考核", "调整记录", "表彰候选人", "评分规则"]);
    const rank = wb.worksheets[0]!;
    expect(rank.getRow(1).values).toContain("组织领导（20）");
    expect(rank.rowCount).toBe(e.rows.length + 1);
    expect(wb.worksheets[1]!.getRow(2).values).toContain("协助查处一起偷税案件");
  });

  it("refuses a year not started, a bad year, and other roles", async () => {
    expect((await expectAppError(annualEvaluation(t.deps, coordinator, { year: 2027 }))).reason).toBe("period_not_started");
    for (const year of ["abc", 1999, 3000, null]) expect((await expectAppError(annualEvaluation(t.deps, coordinator, { year }))).code).toBe("invalid_input");
    const { actor } = await makeUser(t.deps, { roles: ["reporter"] });
    expect((await expectAppError(annualEvaluation(t.deps, actor, { year: 2026 }))).code).toBe("forbidden");
    expect((await expectAppError(setEvaluationWeights(t.deps, d.officer, { year: 2026, weights: {} }))).code).toBe("forbidden");
  });
});
