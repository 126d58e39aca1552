import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { seedOversightDistrict, type OversightDistrict } from "../../../../../test/factories/oversight.ts";
import { parseOversightPeriod, previousOversightPeriod, combineFigures, emptyFigures } from "../../domain/oversight/index.ts";
import { systemActor } from "../identity/actor.ts";
import { oversightUnits, type OversightRow } from "./units.ts";

const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
let d: OversightDistrict;
beforeAll(async () => {
  t = createTestDb({ clock });
  d = await seedOversightDistrict(t.deps, clock);
});
afterAll(async () => {
  await t.close();
});

const find = (rows: OversightRow[], code: string) => rows.find((r) => r.unit.code === code);

describe("oversight periods", () => {
  it("reads months, quarters and years and steps back one of the same kind", () => {
    expect(parseOversightPeriod("2026-11")).toMatchObject({ kind: "month", from: "2026-11-01", to: "2026-12-01", months: ["2026-11"] });
    expect(parseOversightPeriod("2026q4")).toMatchObject({ kind: "quarter", code: "2026Q4", from: "2026-10-01", to: "2027-01-01", months: ["2026-10", "2026-11", "2026-12"] });
    expect(parseOversightPeriod("2026")).toMatchObject({ kind: "year", from: "2026-01-01", to: "2027-01-01" });
    expect(previousOversightPeriod(parseOversightPeriod("2026Q1")!).code).toBe("2025Q4");
    expect(previousOversightPeriod(parseOversightPeriod("2026-01")!).code).toBe("2025-12");
    for (const bad of ["2026Q5", "2026-13", "26Q4", "2026-1", "", "1999", "2026Q4; DROP TABLE Unit", "２０２６Q4"]) expect(parseOversightPeriod(bad)).toBeNull();
  });

  it("forms a town's average weighted by participants and keeps unavailable figures unknown", () => {
    const a = { ...emptyFigures(), quizParticipants: 3, quizAverage: 90, onTime: 1 };
    const b = { ...emptyFigures(), quizParticipants: 1, quizAverage: 50, onTime: 2 };
    const total = combineFigures([a, b]);
    expect(total.quizAverage).toBe(80);
    expect(total.onTime).toBe(3);
    expect(total.tipsAssigned).toBeNull();
  });
});

describe("oversightUnits", () => {
  it("counts a quarter per unit: on time, late, missing feeds, reviews and checks", async () => {
    const r = await oversightUnits(t.deps, d.officer, { period: "2026Q4" });
    expect(r.period).toEqual({ code: "2026Q4", kind: "quarter", from: "2026-10-01", to: "2027-01-01" });
    const town = find(r.rows, d.town)!;
    const east = town.members!.find((m) => m.unit.code === d.east)!;
    const west = town.members!.find((m) => m.unit.code === d.west)!;
    expect(east.figures).toMatchObject({ onTime: 0, late: 1, overdue: 0, returned: 1, accepted: 0 });
    expect(west.figures).toMatchObject({ onTime: 2, late: 0, accepted: 1, returned: 0 });
    expect(find(r.rows, d.police)!.figures).toMatchObject({ checks: 3, checksWithoutClearance: 3 });
    expect(find(r.rows, d.builder)!.figures).toMatchObject({ onTime: 1, missingFeeds: 0, overdue: 0 });
    const q3 = await oversightUnits(t.deps, d.officer, { period: "2026Q3" });
    expect(find(q3.rows, d.builder)!.figures).toMatchObject({ onTime: 0, missingFeeds: 3, overdue: 3 });
  });

  it("sums a town's villages into its total and lists them one by one", async () => {
    const r = await oversightUnits(t.deps, d.officer, { period: "2026Q4" });
    const town = find(r.rows, d.town)!;
    expect(town.members!.map((m) => m.unit.code).sort()).toEqual([d.east, d.west].sort());
    expect(town.total).toMatchObject({ onTime: 2, late: 1, accepted: 1, returned: 1 });
    expect(find(r.rows, d.east)).toBeUndefined();
  });

  it("counts no quizzes, tips or tasks as 0 (and no quiz average), with no figure left unavailable", async () => {
    const r = await oversightUnits(t.deps, d.officer, { period: "2026Q4" }, { locale: "en" });
    const police = find(r.rows, d.police)!;
    expect(police.figures).toMatchObject({ quizParticipants: 0, quizAverage: null, tipsAssigned: 0, tipsHandledInTime: 0, openTasks: 0 });
    expect(r.notes).toEqual([]);
  });

  it("counts a month and a year over the same facts", async () => {
    const aug = await oversightUnits(t.deps, d.officer, { period: "2026-08" });
    expect(find(aug.rows, d.town)!.total).toMatchObject({ onTime: 3, late: 0 });
    const year = await oversightUnits(t.deps, d.officer, { period: "2026" });
    expect(find(year.rows, d.town)!.total).toMatchObject({ onTime: 5, late: 1 });
    expect(year.district.onTime).toBe(6);
  });

  it("narrows to one unit: a town with its villages, a village alone", async () => {
    const town = await oversightUnits(t.deps, d.officer, { period: "2026Q4", unit: d.town });
    expect(town.rows).toHaveLength(1);
    expect(town.rows[0]!.members).toHaveLength(2);
    const east = await oversightUnits(t.deps, d.officer, { period: "2026Q4", unit: d.east });
    expect(east.rows.map((x) => x.unit.code)).toEqual([d.east]);
  });

  it("refuses an unknown unit, a bad period and a period that has not started", async () => {
    expect((await expectAppError(oversightUnits(t.deps, d.officer, { period: "2026Q4", unit: "no-such-unit" }))).code).toBe("not_found");
    const bad = await expectAppError(oversightUnits(t.deps, d.officer, { period: "2026Q5" }));
    expect(bad.code).toBe("invalid_input");
    expect(bad.fields?.period).toContain("2026Q4");
    const future = await expectAppError(oversightUnits(t.deps, d.officer, { period: "2027Q1" }));
    expect(future.reason).toBe("period_not_started");
    expect(future.fields?.period).toContain("2027Q1");
    expect((await expectAppError(oversightUnits(t.deps, d.officer, { period: 2026 }))).code).toBe("invalid_input");
    expect((await expectAppError(oversightUnits(t.deps, d.officer, {}))).code).toBe("invalid_input");
  });

  it("lets coordinators, admins, tax officers and the operator read, and nobody else", async () => {
    for (const role of ["coordinator", "admin"] as const) {
      const { actor } = await makeUser(t.deps, { roles: [role], unitType: "finance_bureau" });
      expect((await oversightUnits(t.deps, actor, { period: "2026Q4" })).rows.length).toBeGreaterThan(0);
    }
    expect((await oversightUnits(t.deps, systemActor("test"), { period: "2026Q4" })).rows.length).toBeGreaterThan(0);
    for (const role of ["reporter", "checker", "trainer", "tip_handler"] as const) {
      const { actor } = await makeUser(t.deps, { roles: [role] });
      expect((await expectAppError(oversightUnits(t.deps, actor, { period: "2026Q4" }))).code).toBe("forbidden");
    }
    expect((await expectAppError(oversightUnits(t.deps, null, { period: "2026Q4" }))).code).toBe("unauthorized");
  });
});
