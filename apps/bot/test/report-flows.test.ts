import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InlineKeyboardButton, User } from "grammy/types";
import { importClearances, reviewReport, systemActor } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { SAMPLE_CLEARANCES_CSV, REPO_ROOT } from "../../../test/factories/paths.ts";
import { TEST_ID, TEST_USCC } from "../../../test/factories/reports.ts";
import { createOutboxWorker } from "../src/outbox-worker.ts";
import { createHarness, makeCallbackQuery, makeUpdate, tgUser, type BotHarness } from "./harness.ts";

// Issue 8 points 4 and 5 in the bot: a checker (no reporter role) reports the vehicle of a failed
// check in four taps, and a returned report is corrected from the return notice's 修改后重新提交.
// Each test writes its whole conversation to test-results/bot-transcripts/ for reading.
let h: BotHarness;
let transcript: string[];
beforeEach(async () => {
  h = createHarness();
  transcript = [];
  await importClearances(h.t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
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
function saveTranscript(name: string) {
  const dir = join(REPO_ROOT, "test-results/bot-transcripts");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.txt`), transcript.join("\n"));
}

async function checkerOnly(): Promise<User> {
  const u = tgUser();
  const unit = await makeUnit(h.t.deps, { type: "traffic_police", name: "交警一中队" });
  await h.t.db.prisma.unit.update({ where: { code: unit }, data: { address: "人民路 88 号检查站" } });
  await makeTelegramUser(h.t.deps, { roles: ["checker"], telegramId: u.id, unit, name: "李警官" });
  return u;
}

describe("a checker reports the vehicle of a failed check", () => {
  it("offers the report to a checker without the reporter role and files it in four taps", async () => {
    const u = await checkerOnly();
    await say(u, "/check 豫BYTY80");
    let taps = 0;
    const start = await press(u, "一键报告税务局");
    taps++;
    const text = start.join("\n");
    expect(text).toContain("已根据核验结果预填");
    expect(text).toContain("豫BYTY80");
    expect(text).toContain("小型汽车");
    expect(text).toContain("人民路 88 号检查站");
    expect(text).toContain("请填写：车主姓名");
    await say(u, "闫兰志");
    await press(u, "跳过"); // owner ID
    taps++;
    const summary = await press(u, "跳过"); // note
    taps++;
    expect(summary.at(-1)).toContain("发现地点：人民路 88 号检查站");
    expect(summary.at(-1)).toContain("未完税年度：2026");
    const done = await press(u, "确认提交");
    taps++;
    expect(done.at(-1)).toContain("✅ 已提交“车船税未完税报告”");
    expect(taps).toBeLessThanOrEqual(4);
    const row = await h.t.db.prisma.report.findFirstOrThrow();
    expect(row.sourceCheckId).not.toBeNull();
    expect(JSON.parse(row.data)).toEqual({ plate: "豫BYTY80", vehicleType: "小型汽车", ownerName: "闫兰志", missingYears: [2026], place: "人民路 88 号检查站" });
    saveTranscript("checker-reports-vehicle");
  });

  it("refuses a forged report button for a plate the checker did not check, saying why", async () => {
    const u = await checkerOnly();
    const out = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(u, "chk:report:豫A12345:2025,2026") }));
    log("[forged chk:report:豫A12345]", out);
    expect(out.join("\n")).toContain("只能上报您本人在 24 小时内核验未通过的车辆");
    expect(await h.t.db.prisma.report.count()).toBe(0);
    const nothing = await say(u, "/report");
    expect(nothing.join("\n")).toContain("先核验");
    saveTranscript("checker-forged-button");
  });
});

describe("a returned report corrected in the bot", () => {
  it("offers 修改后重新提交 on the return notice and walks the named field with the old answer as default", async () => {
    const u = tgUser();
    const clerk = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: u.id, unitType: "village", name: "王村干" });
    const { submitReport } = await import("@xieshui/core/server");
    const data = { address: "幸福镇东村 3 组 12 号", landlordName: "张三", landlordIdNo: TEST_ID, tenantName: "李四", tenantIdNo: TEST_USCC, use: "residential", monthlyRent: 1200, area: 85.5, leaseStart: "2026-11-01", leaseEnd: "2026-12-01" };
    const { report } = await submitReport(h.t.deps, clerk, { type: "rental", clientId: "bot-fix-0001", data });
    const officer = await makeUser(h.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" });
    await reviewReport(h.t.deps, officer.actor, report.id, { decision: "return", comment: "与合同不符", fields: ["leaseEnd"] });
    await createOutboxWorker({ bot: h.bot, deps: h.t.deps }).drain();
    const notice = h.api.lastText();
    log("(outbox)", [notice]);
    expect(notice).toContain("被退回，原因：与合同不符");
    expect(notice).toContain("租期结束");
    const fix = await press(u, "修改后重新提交");
    const asked = fix.join("\n");
    expect(asked).toContain("与合同不符");
    expect(asked).toContain("请填写：租期结束");
    expect(asked).toContain("2026-12-01");
    expect(keyboard().map((b) => b.text)).toContain("保留原值");
    const summary = await say(u, "2027-10-31");
    expect(summary.at(-1)).toContain("租期结束：2027-10-31");
    expect(summary.at(-1)).toContain("地址：幸福镇东村 3 组 12 号");
    const done = await press(u, "确认提交");
    expect(done.at(-1)).toContain("第 2 版");
    const row = await h.t.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } });
    expect(row).toMatchObject({ version: 2, status: "submitted" });
    expect(JSON.parse(row.data).leaseEnd).toBe("2027-10-31");
    await expect(h.t.db.prisma.reportVersion.count()).resolves.toBe(1);
    // A second tap on the old notice's button after the fix: nothing is filed twice.
    const stale = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(u, `rpt:fix:${report.id}`) }));
    log("[修改后重新提交 again]", stale);
    expect(stale.join("\n")).toContain("已重新提交");
    expect(await h.t.db.prisma.reportVersion.count()).toBe(1);
    saveTranscript("returned-report-fixed");
  });

  it("keeps the old answer with 保留原值 and refuses someone else's report", async () => {
    const u = tgUser();
    const clerk = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: u.id, unitType: "village" });
    const { submitReport } = await import("@xieshui/core/server");
    const data = { address: "幸福镇东村 3 组 12 号", landlordName: "张三", landlordIdNo: TEST_ID, tenantName: "李四", tenantIdNo: TEST_USCC, use: "residential", monthlyRent: 1200, area: 85.5, leaseStart: "2026-11-01", leaseEnd: "2027-10-31" };
    const { report } = await submitReport(h.t.deps, clerk, { type: "rental", clientId: "bot-fix-0002", data });
    const officer = await makeUser(h.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" });
    await reviewReport(h.t.deps, officer.actor, report.id, { decision: "return", comment: "请补充照片", fields: ["monthlyRent"] });
    await createOutboxWorker({ bot: h.bot, deps: h.t.deps }).drain();
    await press(u, "修改后重新提交");
    const summary = await press(u, "保留原值");
    expect(summary.at(-1)).toContain("月租金（元）：1200");
    await press(u, "确认提交");
    expect((await h.t.db.prisma.report.findUniqueOrThrow({ where: { id: report.id } })).version).toBe(2);

    const stranger = tgUser();
    await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: stranger.id, unitType: "village" });
    const out = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(stranger, `rpt:fix:${report.id}`) }));
    log("[stranger presses 修改后重新提交]", out);
    expect(out.join("\n")).toContain("找不到");
    saveTranscript("returned-report-kept");
  });
});
