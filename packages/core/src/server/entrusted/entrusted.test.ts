import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { TEST_ID, TEST_USCC } from "../../../../../test/factories/reports.ts";
import { describeReportType, entrustedCollectionFeed, FEED_TYPES, reportTypesForUnit } from "../../domain/reports/index.ts";
import { FIGURE_KEYS, FIGURES } from "../../domain/oversight/figures.ts";
import { t as translate } from "../../domain/i18n.ts";
import { systemActor, type Actor } from "../identity/actor.ts";
import { fileNilReport, listFeedRows, missingFeeds, reviewReport, scheduleReminders, unitFeedStatus, uploadFeed } from "../reports/index.ts";
import { oversightUnits } from "../oversight/units.ts";
import { seedDemo, seedEntrustedDemo } from "../seed.ts";
import { addAgent, completeFollowUp, deactivateAgent, listCollectors, listInspections, overdueFollowUps, recordInspection, registerCollector } from "./entrusted.ts";

// Issue 13 point 6: entrusted collection (委托代征) — the monthly return as one more feed, the
// registry of collectors and agents, inspections with follow-ups, and the oversight figure.

const clock = createFixedClock("2026-12-05T02:00:00Z"); // 2026-12-05 10:00 CST
let t: TestDb;
let officer: Actor;
let coordinator: Actor;
let rental: string;
let collectorUser: Actor;

const agreement = (unit: string, over: Record<string, unknown> = {}) => ({ unit, agreementNo: "WTDZ-2026-001", scope: "零星房屋出租税费", validFrom: "2026-01-01", validTo: "2026-12-31", ...over });

beforeEach(async () => {
  clock.set("2026-12-05T02:00:00Z");
  t = createTestDb({ clock });
  officer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).actor;
  rental = await makeUnit(t.deps, { type: "entrusted_collector", code: "entrusted-rental", name: "区房屋租赁服务中心（委托代征）" });
  collectorUser = (await makeUser(t.deps, { roles: ["reporter"], unit: rental })).actor;
});
afterEach(async () => {
  await t.close();
});

const CSV_HEADER = "代征凭证号,纳税人名称,纳税人识别号,税种,计税依据(元),代征税额(元),征收日期";

describe("the monthly collection return is one more feed", () => {
  it("is in the registry for entrusted collectors only, due on the 15th, with Chinese headers and labels in both languages", () => {
    expect(FEED_TYPES).toContain(entrustedCollectionFeed);
    expect(reportTypesForUnit("entrusted_collector").map((r) => r.code)).toEqual(["feed_entrusted_collection"]);
    expect(reportTypesForUnit("village").map((r) => r.code)).not.toContain("feed_entrusted_collection");
    const view = describeReportType(entrustedCollectionFeed);
    expect(view).toMatchObject({ code: "feed_entrusted_collection", kind: "feed", title: { "zh-CN": "代征税款月度报表" } });
    expect(JSON.stringify(view)).toContain("代征税额");
    expect(entrustedCollectionFeed.columns.map((c) => c.header).join(",")).toBe(CSV_HEADER);
    for (const c of entrustedCollectionFeed.columns) {
      expect(translate("zh-CN", c.labelKey)).not.toBe(c.labelKey);
      expect(translate("en", c.labelKey)).not.toBe(c.labelKey);
    }
    // its amount is not the electricity feed's 电费
    expect(translate("zh-CN", entrustedCollectionFeed.columns.find((c) => c.name === "amount")!.labelKey)).toBe("代征税额（元）");
  });

  it("takes a CSV through the existing upload, with taxes by their Chinese names; and reviews it", async () => {
    const csv = [CSV_HEADER, `DZ2026110001,张三,${TEST_ID},房产税,120000,1440,2026-11-03`, `DZ2026110002,某某商贸有限公司,${TEST_USCC},印花税,,35.5,2026/11/20`].join("\n");
    const r = await uploadFeed(t.deps, collectorUser, { type: "feed_entrusted_collection", period: "2026-11", fileName: "11月代征.csv", bytes: Buffer.from(csv) }, { locale: "zh-CN" });
    expect(r).toMatchObject({ created: true, rows: 2, format: "csv" });
    expect(r.report.timeliness).toBe("on_time"); // due 2026-12-15
    const rows = await listFeedRows(t.deps, officer, r.report.id);
    expect(rows.rows[0]!.data).toMatchObject({ receiptNo: "DZ2026110001", tax: "property", amount: 1440, collectedOn: "2026-11-03" });
    expect(rows.rows[1]!.data).toMatchObject({ tax: "stamp", amount: 35.5, collectedOn: "2026-11-20" });
    const status = await unitFeedStatus(t.deps, collectorUser, "2026-11");
    expect(status).toEqual([expect.objectContaining({ type: "feed_entrusted_collection", dueDate: "2026-12-15", filed: expect.objectContaining({ rowCount: 2 }) })]);
    // a reviewer sees the taxpayer; another collector's user does not see the filing at all
    expect(rows.rows[0]!.data.taxpayerName).toBe("张三");
    const stranger = (await makeUser(t.deps, { roles: ["reporter"], unitType: "entrusted_collector" })).actor;
    expect((await expectAppError(listFeedRows(t.deps, stranger, r.report.id))).code).toBe("not_found");
    expect((await reviewReport(t.deps, officer, r.report.id, { decision: "accept" })).status).toBe("accepted");
  });

  it("refuses bad rows with line numbers and the column's own words, saving nothing", async () => {
    const csv = [CSV_HEADER, "DZ1,张三,,契税,100,-1,2026-11-03", ",李四,,房产税,100,10,2026-11-31"].join("\n");
    const e = await expectAppError(uploadFeed(t.deps, collectorUser, { type: "feed_entrusted_collection", period: "2026-11", bytes: Buffer.from(csv) }, { locale: "zh-CN" }));
    expect(e.reason).toBe("rows_invalid");
    expect(Object.keys(e.fields!).sort()).toEqual(["rows.2.amount", "rows.2.tax", "rows.3.collectedOn", "rows.3.receiptNo"]);
    expect(e.fields!["rows.2.tax"]).toContain("房产税");
    expect(e.fields!["rows.3.receiptNo"]).toBe("请填写代征凭证号");
    expect(await t.db.prisma.report.count()).toBe(0);
  });

  it("accepts 本期无, lists a collector that filed nothing as missing, and reminds it before the 15th", async () => {
    const other = await makeUnit(t.deps, { type: "entrusted_collector" });
    const otherUser = (await makeUser(t.deps, { roles: ["reporter"], unit: other })).actor;
    expect((await fileNilReport(t.deps, collectorUser, { type: "feed_entrusted_collection", period: "2026-11" })).report).toMatchObject({ nil: true });
    const missing = (await missingFeeds(t.deps, officer, "2026-11")).filter((m) => m.type === "feed_entrusted_collection");
    expect(missing.map((m) => m.unit.code)).toEqual([other]);
    clock.set("2026-12-12T02:00:00Z");
    await scheduleReminders(t.deps);
    const outbox = await t.db.prisma.outbox.findMany({ where: { dedupeKey: { startsWith: "reminder:feed_entrusted_collection:" } } });
    expect(outbox.map((o) => o.userId)).toEqual([otherUser.userId]);
  });
});

describe("registry of collectors and agents", () => {
  it("registers an agreement (upsert by unit), audited, and lists it with its validity", async () => {
    const first = await registerCollector(t.deps, officer, agreement(rental));
    expect(first.created).toBe(true);
    expect(first.collector).toMatchObject({ unit: { code: rental }, agreement: { agreementNo: "WTDZ-2026-001", expired: false }, agents: [], lastInspection: null, openFollowUps: [] });
    const again = await registerCollector(t.deps, officer, agreement(rental, { validTo: "2026-11-30", scope: "零星出租房屋税费" }));
    expect(again).toMatchObject({ created: false, collector: { agreement: { validTo: "2026-11-30", expired: true } } });
    expect(await t.db.prisma.entrustedCollector.count()).toBe(1);
    expect(await t.db.prisma.auditLog.count({ where: { action: "entrusted.register" } })).toBe(2);
  });

  it("refuses bad agreements next to the field, in both languages", async () => {
    const e = await expectAppError(registerCollector(t.deps, officer, agreement(rental, { validFrom: "2026-12-01", validTo: "2026-11-30" }), { locale: "zh-CN" }));
    expect(e.fields).toEqual({ validTo: "截止日期不能早于生效日期" });
    const en = await expectAppError(registerCollector(t.deps, officer, { unit: rental, agreementNo: "", validFrom: "2026-02-30" }, { locale: "en" }));
    expect(Object.keys(en.fields!).sort()).toEqual(["agreementNo", "scope", "validFrom", "validTo"]);
    expect(JSON.stringify(en.fields)).not.toMatch(/zod|invalid_|string|undefined/);
    const village = await makeUnit(t.deps, { type: "village" });
    expect((await expectAppError(registerCollector(t.deps, officer, agreement(village)))).fields).toEqual({ unit: "该单位不是委托代征单位" });
    expect((await expectAppError(registerCollector(t.deps, officer, agreement("no-such-unit")))).fields).toEqual({ unit: "单位代码不存在" });
    const injection = await expectAppError(registerCollector(t.deps, officer, agreement("x'; DROP TABLE Unit;--")));
    expect(injection.fields?.unit).toBeDefined();
    const other = await makeUnit(t.deps, { type: "entrusted_collector" });
    await registerCollector(t.deps, officer, agreement(rental));
    const taken = await expectAppError(registerCollector(t.deps, officer, agreement(other)));
    expect(taken).toMatchObject({ code: "conflict", fields: { agreementNo: "该协议编号已登记给其他单位" } });
  });

  it("lets only admins and tax officers register; a reporter gets 403", async () => {
    expect((await expectAppError(registerCollector(t.deps, collectorUser, agreement(rental)))).code).toBe("forbidden");
    expect((await expectAppError(registerCollector(t.deps, coordinator, agreement(rental)))).code).toBe("forbidden");
    expect((await expectAppError(registerCollector(t.deps, null, agreement(rental)))).code).toBe("unauthorized");
    expect((await registerCollector(t.deps, systemActor("cli"), agreement(rental))).created).toBe(true);
  });

  it("adds agents with unique certificate numbers (409 on the field), validates phones, deactivates idempotently", async () => {
    const a = await addAgent(t.deps, officer, { unit: rental, name: "王五", certificateNo: "dz-0001", phone: "138 0013 8000" });
    expect(a).toMatchObject({ name: "王五", certificateNo: "DZ-0001", phone: "13800138000", active: true });
    const dup = await expectAppError(addAgent(t.deps, officer, { unit: rental, name: "赵六", certificateNo: " dz-0001 " }));
    expect(dup).toMatchObject({ code: "conflict", fields: { certificateNo: "该证件号已登记" } });
    const phone = await expectAppError(addAgent(t.deps, officer, { unit: rental, name: "赵六", certificateNo: "DZ0002", phone: "12345" }, { locale: "en" }));
    expect(phone.fields).toEqual({ phone: "Enter an 11-digit mobile number or a landline with its area code" });
    const landline = await addAgent(t.deps, officer, { unit: rental, name: "赵六", certificateNo: "DZ0002", phone: "0371-66668888" });
    expect(landline.phone).toBe("0371-66668888");
    expect((await expectAppError(addAgent(t.deps, officer, { unit: rental, name: "", certificateNo: "DZ0003" }))).fields).toEqual({ name: "请填写代征人员姓名" });
    // odd Unicode and oversize input: control characters, full-width digits, a 41-character certificate
    expect((await expectAppError(addAgent(t.deps, officer, { unit: rental, name: "王\u0007五", certificateNo: "DZ0003" }))).fields?.name).toBeDefined();
    expect((await expectAppError(addAgent(t.deps, officer, { unit: rental, name: "王五", certificateNo: "D".repeat(41) }))).fields?.certificateNo).toBe("太长了，最多 40 个字");
    expect((await addAgent(t.deps, officer, { unit: rental, name: "孙八", certificateNo: "ＤＺ００１０", phone: "＋86 139 0000 0000" })).phone).toBe("13900000000");
    expect((await deactivateAgent(t.deps, officer, a.id)).active).toBe(false);
    expect((await deactivateAgent(t.deps, officer, a.id)).active).toBe(false);
    expect(await t.db.prisma.auditLog.count({ where: { action: "entrusted.agent_deactivate" } })).toBe(1);
    expect((await expectAppError(deactivateAgent(t.deps, officer, "nope"))).code).toBe("not_found");
    // the audit trail never holds the agent's name or phone
    const audit = await t.db.prisma.auditLog.findMany({ where: { action: { startsWith: "entrusted." } } });
    expect(JSON.stringify(audit)).not.toMatch(/王五|赵六|13800138000|66668888/);
  });

  it("shows agents to officers, admins and coordinators, and to the collector's own users for their unit only", async () => {
    const other = await makeUnit(t.deps, { type: "entrusted_collector" });
    await addAgent(t.deps, officer, { unit: rental, name: "王五", certificateNo: "DZ0001" });
    await addAgent(t.deps, officer, { unit: other, name: "钱七", certificateNo: "DZ0009" });
    expect((await listCollectors(t.deps, coordinator)).map((c) => c.unit.code).sort()).toEqual([rental, other].sort());
    const own = await listCollectors(t.deps, collectorUser);
    expect(own.map((c) => c.unit.code)).toEqual([rental]);
    expect(own[0]!.agents.map((a) => a.name)).toEqual(["王五"]);
    const villager = (await makeUser(t.deps, { roles: ["reporter"], unitType: "village" })).actor;
    expect((await expectAppError(listCollectors(t.deps, villager))).code).toBe("forbidden");
    expect((await expectAppError(listInspections(t.deps, villager))).code).toBe("forbidden");
    expect((await expectAppError(listInspections(t.deps, collectorUser, { unit: other }))).code).toBe("forbidden");
  });
});

describe("inspections and follow-ups", () => {
  it("records an inspection with a follow-up, once on retry, and completes it idempotently", async () => {
    const input = { unit: rental, inspectedOn: "2026-11-20", findings: "代征凭证未按月结报", followUp: "补交 10 月结报", followUpBy: "2026-12-01" };
    const r = await recordInspection(t.deps, officer, input);
    expect(r).toMatchObject({ created: true, inspection: { unit: { code: rental }, followUpBy: "2026-12-01", overdue: true } });
    expect((await recordInspection(t.deps, officer, input)).created).toBe(false);
    expect(await t.db.prisma.entrustedInspection.count()).toBe(1);
    const list = await listCollectors(t.deps, officer);
    expect(list[0]).toMatchObject({ lastInspection: { id: r.inspection.id }, openFollowUps: [{ id: r.inspection.id, overdue: true }] });
    expect((await listInspections(t.deps, officer, { overdue: "true" })).map((i) => i.id)).toEqual([r.inspection.id]);
    expect((await expectAppError(completeFollowUp(t.deps, officer, r.inspection.id, { note: "" }))).fields).toEqual({ note: "请填写整改情况" });
    const done = await completeFollowUp(t.deps, officer, r.inspection.id, { note: "已补交" });
    expect(done).toMatchObject({ followUpDoneOn: "2026-12-05", followUpNote: "已补交", overdue: false });
    clock.set("2026-12-08T02:00:00Z");
    expect(await completeFollowUp(t.deps, officer, r.inspection.id, { note: "又一次" })).toMatchObject({ followUpDoneOn: "2026-12-05", followUpNote: "已补交" });
    expect(await t.db.prisma.auditLog.count({ where: { action: "entrusted.follow_up_done" } })).toBe(1);
    expect(await listInspections(t.deps, officer, { overdue: "true" })).toEqual([]);
    expect((await listCollectors(t.deps, officer))[0]!.openFollowUps).toEqual([]);
  });

  it("refuses a future date, a follow-up without a date (and the reverse), and a due date before the inspection", async () => {
    const base = { unit: rental, findings: "正常" };
    expect((await expectAppError(recordInspection(t.deps, officer, { ...base, inspectedOn: "2026-12-06" }))).fields).toEqual({ inspectedOn: "检查日期不能晚于今天" });
    expect((await expectAppError(recordInspection(t.deps, officer, { ...base, inspectedOn: "2026-12-05", followUp: "整改" }))).fields).toEqual({ followUpBy: "有整改要求时，请填写整改期限" });
    expect((await expectAppError(recordInspection(t.deps, officer, { ...base, inspectedOn: "2026-12-05", followUpBy: "2026-12-31" }))).fields).toEqual({ followUp: "填写了整改期限，请同时写明整改要求" });
    const before = await expectAppError(recordInspection(t.deps, officer, { ...base, inspectedOn: "2026-12-05", followUp: "整改", followUpBy: "2026-12-04" }, { locale: "en" }));
    expect(before.fields).toEqual({ followUpBy: "The follow-up cannot be due before the inspection" });
    const wrong = await expectAppError(recordInspection(t.deps, officer, { unit: rental, inspectedOn: 20261205, findings: "x".repeat(2001), extra: 1 }));
    expect(wrong.fields).toMatchObject({ inspectedOn: expect.any(String), findings: "太长了，最多 2000 个字" });
    expect(await t.db.prisma.entrustedInspection.count()).toBe(0);
  });

  it("is for tax officers: a coordinator, a reporter or the collector cannot record or complete", async () => {
    const input = { unit: rental, inspectedOn: "2026-12-01", findings: "正常" };
    for (const who of [coordinator, collectorUser]) expect((await expectAppError(recordInspection(t.deps, who, input))).code).toBe("forbidden");
    const r = await recordInspection(t.deps, officer, { ...input, followUp: "补材料", followUpBy: "2026-12-10" });
    expect((await expectAppError(completeFollowUp(t.deps, collectorUser, r.inspection.id, { note: "好了" }))).code).toBe("forbidden");
    const none = await recordInspection(t.deps, officer, { ...input, findings: "另一次，正常" });
    expect((await expectAppError(completeFollowUp(t.deps, officer, none.inspection.id, { note: "好了" }))).code).toBe("conflict");
    expect((await expectAppError(completeFollowUp(t.deps, officer, "missing", { note: "好了" }))).code).toBe("not_found");
  });

  it("finds follow-ups overdue on a day: due before it and not done by it", async () => {
    const a = await recordInspection(t.deps, officer, { unit: rental, inspectedOn: "2026-10-10", findings: "问题一", followUp: "整改一", followUpBy: "2026-10-31" });
    await recordInspection(t.deps, officer, { unit: rental, inspectedOn: "2026-11-10", findings: "问题二", followUp: "整改二", followUpBy: "2026-12-05" });
    await recordInspection(t.deps, officer, { unit: rental, inspectedOn: "2026-11-11", findings: "正常" });
    expect((await overdueFollowUps(t.deps, "2026-12-05")).map((f) => f.id)).toEqual([a.inspection.id]);
    expect(await overdueFollowUps(t.deps, "2026-10-31")).toEqual([]);
    expect((await overdueFollowUps(t.deps, "2026-12-06")).length).toBe(2);
    await completeFollowUp(t.deps, officer, a.inspection.id, { note: "已整改" }); // done 2026-12-05
    expect(await overdueFollowUps(t.deps, "2026-12-05")).toEqual([]);
    // judged on an earlier day, it was still overdue then
    expect((await overdueFollowUps(t.deps, "2026-11-30")).map((f) => f.id)).toEqual([a.inspection.id]);
  });
});

describe("oversight figure", () => {
  it("is the last column, labelled in both languages", () => {
    expect(FIGURE_KEYS.at(-1)).toBe("overdueFollowUps");
    const spec = FIGURES.at(-1)!;
    expect(spec).toMatchObject({ key: "overdueFollowUps", group: "entrusted", aggregate: "sum" });
    expect([translate("zh-CN", spec.labelKey), translate("en", spec.labelKey)]).toEqual(["逾期未整改", "Overdue follow-ups"]);
  });

  it("counts follow-ups overdue at the end of a past period, and today for the running one", async () => {
    const a = await recordInspection(t.deps, officer, { unit: rental, inspectedOn: "2026-10-10", findings: "问题一", followUp: "整改一", followUpBy: "2026-10-20" });
    await recordInspection(t.deps, officer, { unit: rental, inspectedOn: "2026-11-10", findings: "问题二", followUp: "整改二", followUpBy: "2026-12-10" });
    await completeFollowUp(t.deps, officer, a.inspection.id, { note: "已整改" }); // on 2026-12-05
    const row = async (period: string) => (await oversightUnits(t.deps, coordinator, { period })).rows.find((r) => r.unit.code === rental)!.figures;
    expect((await row("2026-10")).overdueFollowUps).toBe(1); // overdue on 10-31, put right only in December
    expect((await row("2026-11")).overdueFollowUps).toBe(1);
    expect((await row("2026-12")).overdueFollowUps).toBe(0); // today: the first is done, the second not yet due
    clock.set("2026-12-20T02:00:00Z");
    expect((await row("2026Q4")).overdueFollowUps).toBe(1);
    const other = await makeUnit(t.deps, { type: "entrusted_collector" });
    const quiet = (await oversightUnits(t.deps, coordinator, { period: "2026Q4" })).rows.find((r) => r.unit.code === other)!;
    expect(quiet.figures.overdueFollowUps).toBe(0);
  });
});

describe("demo data", () => {
  it("seeds one collector with its agreement, two agents and an overdue follow-up, once", async () => {
    const empty = createTestDb({ clock });
    try {
      await seedDemo(empty.deps);
      await seedDemo(empty.deps);
      const [c, ...rest] = await listCollectors(empty.deps, systemActor("test"));
      expect(rest).toEqual([]);
      expect(c).toMatchObject({ unit: { code: "entrusted-rental", name: "区房屋租赁服务中心（委托代征）" }, agreement: { agreementNo: "WTDZ-2026-001", expired: false } });
      expect(c!.agents).toHaveLength(2);
      expect(c!.openFollowUps).toEqual([expect.objectContaining({ overdue: true, followUpBy: "2026-11-30" })]);
      expect(await overdueFollowUps(empty.deps, "2026-12-05")).toHaveLength(1);
    } finally {
      await empty.close();
    }
  });

  it("survives two processes seeding the same fresh database at once", async () => {
    const fresh = createTestDb({ clock });
    try {
      await makeUnit(fresh.deps, { type: "entrusted_collector", code: "entrusted-rental" });
      await Promise.all([seedEntrustedDemo(fresh.deps), seedEntrustedDemo(fresh.deps)]);
      expect(await fresh.db.prisma.entrustedCollector.count()).toBe(1);
      expect(await fresh.db.prisma.entrustedAgent.count()).toBe(2);
      expect(await fresh.db.prisma.entrustedInspection.count()).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
