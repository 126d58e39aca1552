import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { testTips } from "../../../../../test/support/tips.ts";
import { createDb } from "../db.ts";
import { createDeps } from "../deps.ts";
import { renderOutboxPayload } from "../outbox.ts";
import { fileNilReport } from "../reports/feeds.ts";
import { createReminderScheduler } from "../reports/reminders.ts";
import { assignTip, changeTipStatus, fileTip, type TipContext } from "../tips/index.ts";
import type { Actor } from "../identity/actor.ts";
import { accountabilityList, accountabilityWorkbook, escalateOverdueDuties, overdueDuties } from "./index.ts";

/**
 * One district through November 2026, the escalation run once a day (11:00 CST):
 * - both feed units file April to September on time;
 * - 区住建局 (a-builder) never files October's construction permits (due 11-10); it has a reporter and an admin;
 * - 区自然资源局 (b-land) files October's land transfers late, on 11-12, after the first reminder; it has no admin;
 * - 东庄村委会 (c-village, no admin) has two tasks from the meeting of 10-20, due 11-05: one it never does, one done 11-07;
 * - 城关税务所 (d-tax) has two tips assigned: one never acknowledged, one accepted on 11-11, after the first reminder;
 * - two coordinators at the finance bureau.
 */
interface World {
  t: TestDb;
  clock: ReturnType<typeof createFixedClock>;
  tips: TipContext;
  u: Record<"builderReporter" | "builderAdmin" | "landReporter" | "clerk" | "checker" | "officer" | "taxAdmin" | "coord1" | "coord2" | "handler", Actor>;
  units: Record<"builder" | "land" | "village" | "tax", string>;
  tasks: { open: string; done: string };
  tipIds: { ignored: string; accepted: string };
  ackBy: string;
}

const at = (clock: World["clock"], day: string) => clock.set(`${day}T03:00:00Z`);

async function makeWorld(): Promise<World> {
  const clock = createFixedClock("2026-05-01T02:00:00Z");
  const t = createTestDb({ clock });
  const tips = testTips(t.deps, t.dir);
  const deps = t.deps;
  const town = await makeUnit(deps, { type: "town", code: "town", name: "红旗镇" });
  const units = {
    builder: await makeUnit(deps, { type: "construction_bureau", code: "a-builder", name: "区住建局" }),
    land: await makeUnit(deps, { type: "land_bureau", code: "b-land", name: "区自然资源局" }),
    village: await makeUnit(deps, { type: "village", code: "c-village", name: "东庄村委会", parent: town }),
    tax: await makeUnit(deps, { type: "tax_bureau", code: "d-tax", name: "城关税务所" }),
  };
  const finance = await makeUnit(deps, { type: "finance_bureau", code: "finance" });
  const supervision = await makeUnit(deps, { type: "supervision_office", code: "supervision" });
  const user = async (roles: Actor["roles"], unit: string, name: string) => (await makeUser(deps, { roles, unit, name })).actor;
  const u = {
    builderReporter: await user(["reporter"], units.builder, "住建统计员"),
    builderAdmin: await user(["admin"], units.builder, "住建管理员"),
    landReporter: await user(["reporter"], units.land, "国土统计员"),
    clerk: await user(["reporter"], units.village, "东庄文书"),
    checker: await user(["checker"], units.village, "东庄协管员"),
    officer: await user(["tax_officer"], units.tax, "城关税务员"),
    taxAdmin: await user(["admin"], units.tax, "城关管理员"),
    coord1: await user(["coordinator"], finance, "财政局协调人甲"),
    coord2: await user(["coordinator"], finance, "财政局协调人乙"),
    handler: await user(["tip_handler"], supervision, "监察办"),
  };
  // April to September filed on time by both feed units: only October is late.
  for (const month of ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]) {
    const day = `${month.slice(0, 5)}${String(Number(month.slice(5)) + 1).padStart(2, "0")}-05`;
    at(clock, day);
    await fileNilReport(deps, u.builderReporter, { type: "feed_construction_permits", period: month });
    await fileNilReport(deps, u.landReporter, { type: "feed_land_transfers", period: month });
  }
  at(clock, "2026-10-20");
  const village = await deps.db.prisma.unit.findUniqueOrThrow({ where: { code: units.village } });
  const meeting = await deps.db.prisma.meeting.create({ data: { heldOn: "2026-10-20", title: "第三季度协税护税例会", decisions: "清查出租房屋", createdAt: clock.now() } });
  const task = (title: string) => deps.db.prisma.meetingTask.create({ data: { meetingId: meeting.id, unitId: village.id, title, dueOn: "2026-11-05", createdAt: clock.now() } });
  const tasks = { open: (await task("清查辖区出租房屋")).id, done: (await task("上报流动人口台账")).id };
  at(clock, "2026-11-02");
  const tip = async (description: string) => {
    await fileTip(deps, tips, { category: "tax_evasion", description, subject: "幸福路老王饭店" }, { client: "203.0.113.9" });
    const row = await deps.db.prisma.tip.findFirstOrThrow({ where: { unitId: null } });
    await assignTip(deps, tips, u.handler, row.id, { unit: units.tax });
    return row;
  };
  const ignored = await tip("某饭店长期只收现金不开发票，营业额很大");
  const accepted = await tip("某商场出租柜台不申报房产税，已经好几年了");
  return { t, clock, tips, u, units, tasks, tipIds: { ignored: ignored.id, accepted: accepted.id }, ackBy: ignored.acknowledgeBy };
}

/** Runs the escalation once a day at 11:00 CST from `from` to `to`, with the day's events first. */
async function runDays(w: World, from: string, to: string, events: Record<string, () => Promise<unknown>> = {}) {
  const log: { day: string; steps: number; messages: number }[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    const day = d.toISOString().slice(0, 10);
    at(w.clock, day);
    await events[day]?.();
    const pass = await escalateOverdueDuties(w.t.deps);
    if (pass.steps) log.push({ day, ...pass });
  }
  return log;
}

async function steps(w: World, kind: string, ref: string) {
  const rows = await w.t.db.prisma.dutyEscalation.findMany({ where: { dutyKind: kind, dutyRef: ref }, orderBy: { stage: "asc" } });
  return rows.map((r) => ({ stage: r.stage, on: r.at.toISOString().slice(0, 10), recipients: r.recipients, dueOn: r.dueOn }));
}

async function inbox(w: World, actor: Actor) {
  const rows = await w.t.db.prisma.outbox.findMany({ where: { userId: actor.userId }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ zh: renderOutboxPayload(JSON.parse(r.payload), "zh-CN")!, en: renderOutboxPayload(JSON.parse(r.payload), "en")!, raw: r.payload }));
}

describe("escalating overdue duties through November", { timeout: 120_000 }, () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await runDays(w, "2026-11-01", "2026-12-05", {
      "2026-11-07": () => w.t.db.prisma.meetingTask.update({ where: { id: w.tasks.done }, data: { status: "done", doneAt: w.clock.now(), doneNote: "已上报" } }),
      "2026-11-11": () => changeTipStatus(w.t.deps, w.tips, w.u.handler, w.tipIds.accepted, { status: "accepted", reason: "线索具体，予以受理" }),
      "2026-11-12": () => fileNilReport(w.t.deps, w.u.landReporter, { type: "feed_land_transfers", period: "2026-10" }),
    });
  }, 120_000);
  afterAll(async () => w.t.close());

  it("reminds a feed's reporter on day 1, its admin on day 4 and every coordinator on day 8, once each", async () => {
    expect(await steps(w, "feed", "feed_construction_permits:2026-10")).toEqual([
      { stage: 1, on: "2026-11-11", recipients: 1, dueOn: "2026-11-10" },
      { stage: 2, on: "2026-11-14", recipients: 1, dueOn: "2026-11-10" },
      { stage: 3, on: "2026-11-18", recipients: 2, dueOn: "2026-11-10" },
    ]);
    const reporter = await inbox(w, w.u.builderReporter);
    expect(reporter.map((m) => m.zh)).toEqual(["逾期提醒：本单位“施工许可及容积率小于1.0项目（月报）”2026-10 期数据应于 2026-11-10 前报送，现已逾期 1 天。请尽快报送；没有数据也请报送“本期无”。"]);
    expect((await inbox(w, w.u.builderAdmin)).map((m) => m.en)).toEqual([
      "Overdue, please follow up: your unit's “Construction permits and plot ratio < 1.0 (monthly)” for 2026-10 was due by 2026-11-10. The staff were reminded, but it is now 4 day(s) late and still not filed.",
    ]);
    for (const c of [w.u.coord1, w.u.coord2]) {
      const zh = (await inbox(w, c)).map((m) => m.zh).filter((m) => m.includes("区住建局"));
      expect(zh).toEqual(["逾期通报：区住建局的“施工许可及容积率小于1.0项目（月报）”2026-10 期数据应于 2026-11-10 前报送，已逾期 8 天，提醒经办人员和单位管理员后仍未报送。此项将列入本季度责任追究名单。"]);
    }
  });

  it("gives a feed filed after the first reminder no further step", async () => {
    expect(await steps(w, "feed", "feed_land_transfers:2026-10")).toEqual([{ stage: 1, on: "2026-11-11", recipients: 1, dueOn: "2026-11-10" }]);
    expect(await inbox(w, w.u.landReporter)).toHaveLength(1);
  });

  it("reminds a task's unit, records the admin step with nobody to tell, then tells the coordinators", async () => {
    expect(await steps(w, "task", w.tasks.open)).toEqual([
      { stage: 1, on: "2026-11-06", recipients: 2, dueOn: "2026-11-05" },
      { stage: 2, on: "2026-11-09", recipients: 0, dueOn: "2026-11-05" },
      { stage: 3, on: "2026-11-13", recipients: 2, dueOn: "2026-11-05" },
    ]);
    expect(await steps(w, "task", w.tasks.done)).toEqual([{ stage: 1, on: "2026-11-06", recipients: 2, dueOn: "2026-11-05" }]);
    const clerk = (await inbox(w, w.u.clerk)).map((m) => m.zh);
    expect(clerk).toContain("逾期提醒：2026-10-20 例会交办本单位的任务“清查辖区出租房屋”应于 2026-11-05 前完成，现已逾期 1 天。完成后请标记完成并写明办理情况。");
    expect(await inbox(w, w.u.checker)).toHaveLength(2);
    expect((await inbox(w, w.u.coord1)).map((m) => m.zh)).toContain("逾期通报：2026-10-20 例会交办东庄村委会的任务“清查辖区出租房屋”应于 2026-11-05 前完成，已逾期 8 天，提醒该单位人员和管理员后仍未完成。此项将列入本季度责任追究名单。");
  });

  it("escalates a tip past its acknowledge deadline without a word of what it is about", async () => {
    expect(w.ackBy).toBe("2026-11-09");
    expect(await steps(w, "tip", `${w.tipIds.ignored}:ack`)).toEqual([
      { stage: 1, on: "2026-11-10", recipients: 1, dueOn: "2026-11-09" },
      { stage: 2, on: "2026-11-13", recipients: 1, dueOn: "2026-11-09" },
      { stage: 3, on: "2026-11-17", recipients: 2, dueOn: "2026-11-09" },
    ]);
    // Accepted on 11-11, after the first reminder: no admin step for it.
    expect(await steps(w, "tip", `${w.tipIds.accepted}:ack`)).toEqual([{ stage: 1, on: "2026-11-10", recipients: 1, dueOn: "2026-11-09" }]);
    const officer = await inbox(w, w.u.officer);
    expect(officer.map((m) => m.zh)).toEqual(Array(2).fill("逾期提醒：分派给本单位的一条举报线索已超过处理期限（2026-11-09），现已逾期 1 天。请尽快处理。"));
    const everyone = await w.t.db.prisma.outbox.findMany({ select: { payload: true } });
    for (const { payload } of everyone) {
      for (const secret of ["tax_evasion", "偷税", "饭店", "柜台", "老王", w.tipIds.ignored, w.tipIds.accepted]) expect(payload).not.toContain(secret);
    }
    expect((await inbox(w, w.u.taxAdmin)).map((m) => m.en)).toEqual([
      "Overdue, please follow up: a tip assigned to your unit is past its deadline (2026-11-09). Your unit's tax officers were reminded, but it is now 4 day(s) late.",
    ]);
  });

  it("sends nothing more once every step is taken, however often it runs", async () => {
    const before = await w.t.db.prisma.outbox.count();
    at(w.clock, "2026-12-06");
    expect(await escalateOverdueDuties(w.t.deps)).toEqual({ steps: 0, messages: 0 });
    expect(await escalateOverdueDuties(w.t.deps)).toEqual({ steps: 0, messages: 0 });
    expect(await w.t.db.prisma.outbox.count()).toBe(before);
  });

  it("lists the quarter's overdue duties most days late first, with the reminders sent", async () => {
    at(w.clock, "2026-12-05");
    const list = await accountabilityList(w.t.deps, w.u.coord1, { quarter: "2026Q4" });
    expect(list).toMatchObject({ quarter: "2026Q4", from: "2026-10-01", to: "2026-12-31", asOf: "2026-12-05", empty: false });
    const rows = list.items.map((i) => [i.unit.name, i.duty.text, i.dueOn, i.daysLate, i.done ? i.doneOn : "open", i.reminders.map((r) => `${r.stage}@${r.on}×${r.recipients}`).join(" ")]);
    expect(rows).toEqual([
      ["东庄村委会", "清查辖区出租房屋（2026-10-20 例会）", "2026-11-05", 30, "open", "1@2026-11-06×2 2@2026-11-09×0 3@2026-11-13×2"],
      ["城关税务所", "举报线索受理期限", "2026-11-09", 26, "open", "1@2026-11-10×1 2@2026-11-13×1 3@2026-11-17×2"],
      ["区住建局", "施工许可及容积率小于1.0项目（月报） 2026-10 期", "2026-11-10", 25, "open", "1@2026-11-11×1 2@2026-11-14×1 3@2026-11-18×2"],
      ["区自然资源局", "土地出让转让（月报） 2026-10 期", "2026-11-10", 2, "2026-11-12", "1@2026-11-11×1"],
      ["东庄村委会", "上报流动人口台账（2026-10-20 例会）", "2026-11-05", 2, "2026-11-07", "1@2026-11-06×2"],
      ["城关税务所", "举报线索受理期限", "2026-11-09", 2, "2026-11-11", "1@2026-11-10×1"],
    ]);
    expect(list.items[0]!.unit.town).toBe("红旗镇");
    expect(list.items[1]!.unit.town).toBeNull();
    expect(list.items[0]!.reminders[1]).toMatchObject({ label: "提醒单位管理员", text: "2026-11-09 提醒单位管理员：无人可通知" });
  });

  it("answers an empty list for a quarter in which nothing was overdue, in English on request", async () => {
    const list = await accountabilityList(w.t.deps, w.u.officer, { quarter: "2026Q3" }, { locale: "en" });
    expect(list).toMatchObject({ quarter: "2026Q3", empty: true, items: [] });
    expect(list.rule).toMatch(/^A duty is overdue from the day after its due date: on day 1/);
  });

  it("refuses a quarter not started, a malformed one (at the field), other roles and nobody", async () => {
    const future = await expectAppError(accountabilityList(w.t.deps, w.u.coord1, { quarter: "2027Q1" }));
    expect(future.code).toBe("invalid_input");
    expect(future.fields?.quarter).toContain("2027Q1 尚未开始");
    for (const quarter of ["2026Q5", "2026-11", "", 2026, "2026Q4'; DROP TABLE Unit;--", "２０２６Ｑ４x", "9".repeat(200)]) {
      const e = await expectAppError(accountabilityList(w.t.deps, w.u.coord1, { quarter }, { locale: "en" }));
      expect(e.code, String(quarter)).toBe("invalid_input");
      expect(e.fields?.quarter, String(quarter)).toBeTruthy();
    }
    expect((await expectAppError(accountabilityList(w.t.deps, w.u.clerk, { quarter: "2026Q4" }))).code).toBe("forbidden");
    expect((await expectAppError(accountabilityList(w.t.deps, null, { quarter: "2026Q4" }))).code).toBe("unauthorized");
  });

  it("exports the list as an A4 landscape workbook with Chinese headers repeated on every page", async () => {
    const list = await accountabilityList(w.t.deps, w.u.coord1, { quarter: "2026Q4" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await accountabilityWorkbook(list)) as never);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe("2026Q4 责任追究名单");
    expect(sheet.getRow(1).values).toEqual([undefined, "单位", "所属镇（街道）", "职责类别", "职责", "应完成日期", "逾期天数", "状态", "已发提醒"]);
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, printTitlesRow: "1:1" });
    expect(sheet.getRow(2).values).toEqual([undefined, "东庄村委会", "红旗镇", "例会交办任务", "清查辖区出租房屋（2026-10-20 例会）", "2026-11-05", 30, "尚未完成", "2026-11-06 提醒经办人员（2 人）\n2026-11-09 提醒单位管理员：无人可通知\n2026-11-13 通报协调人（2 人）"]);
    expect(sheet.getRow(5).getCell(7).value).toBe("已于 2026-11-12 完成");
  });

  it("makes an empty quarter's workbook say so", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await accountabilityWorkbook(await accountabilityList(w.t.deps, w.u.coord1, { quarter: "2026Q3" }))) as never);
    expect(wb.worksheets[0]!.getRow(2).getCell(1).value).toBe("2026Q3 没有逾期未履行的职责。");
  });
});

describe("escalation edge cases", { timeout: 120_000 }, () => {
  it("takes one step per pass when it first runs late, waiting the gap before the next", async () => {
    const w = await makeWorld();
    try {
      // Nothing ran in November until the 20th: the construction permits are 10 days late.
      const log = await runDays(w, "2026-11-20", "2026-11-30");
      const ref = "feed_construction_permits:2026-10";
      expect((await steps(w, "feed", ref)).map((s) => `${s.stage}@${s.on}`)).toEqual(["1@2026-11-20", "2@2026-11-23", "3@2026-11-27"]);
      expect(log[0]!.day).toBe("2026-11-20");
      // overdueDuties names every duty overdue that day, tips by id only.
      const duties = await overdueDuties(w.t.deps, "2026-11-30");
      expect(duties.map((d) => `${d.subject.kind}:${d.daysOverdue}`).sort()).toEqual(["feed:20", "feed:20", "task:25", "task:25", "tip:21", "tip:21"]);
      expect(JSON.stringify(duties)).not.toMatch(/饭店|tax_evasion/);
    } finally {
      await w.t.close();
    }
  });

  it("takes each step once when two processes run it at the same moment (two database handles)", async () => {
    const w = await makeWorld();
    const db2 = createDb(w.t.url);
    const deps2 = createDeps(db2, { clock: w.clock });
    try {
      for (const day of ["2026-11-06", "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-13", "2026-11-14", "2026-11-17", "2026-11-18"]) {
        at(w.clock, day);
        const [a, b] = await Promise.all([escalateOverdueDuties(w.t.deps), escalateOverdueDuties(deps2)]);
        const again = await escalateOverdueDuties(deps2);
        expect(again, day).toEqual({ steps: 0, messages: 0 });
        expect(a.steps + b.steps, day).toBeGreaterThan(0);
      }
      const rows = await w.t.db.prisma.dutyEscalation.findMany();
      // 2 tasks x 3 + 2 tips x 3 + 2 feeds x 3 steps, each once.
      expect(rows).toHaveLength(18);
      const keys = await w.t.db.prisma.outbox.findMany({ select: { dedupeKey: true } });
      expect(new Set(keys.map((k) => k.dedupeKey)).size).toBe(keys.length);
      expect(keys.length).toBe(rows.reduce((n, r) => n + r.recipients, 0));
    } finally {
      await db2.close();
      await w.t.close();
    }
  });

  it("runs in the periodic reminder pass, which counts its messages", async () => {
    const w = await makeWorld();
    try {
      at(w.clock, "2026-11-06");
      const scheduler = createReminderScheduler(w.t.deps);
      expect(await scheduler.runOnce()).toBe(4); // two tasks, two people each
      expect(await w.t.db.prisma.dutyEscalation.count({ where: { dutyKind: "task", stage: 1 } })).toBe(2);
    } finally {
      await w.t.close();
    }
  });
});
