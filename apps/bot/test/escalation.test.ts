import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReminderScheduler, fileNilReport, setLocale } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit } from "../../../test/factories/identity.ts";
import { createOutboxWorker, createTelegramPacer } from "../src/outbox-worker.ts";
import { createHarness, tgUser, type BotHarness } from "./harness.ts";

let h: BotHarness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.close();
});

describe("an overdue feed escalates through the bot", () => {
  it("reaches the reporter, then the unit's admin, then the coordinator, each once, over the days", async () => {
    const builder = await makeUnit(h.t.deps, { type: "construction_bureau", name: "区住建局" });
    const finance = await makeUnit(h.t.deps, { type: "finance_bureau", name: "区财政局" });
    const reporterChat = tgUser();
    const adminChat = tgUser({ language_code: "en" });
    const coordinatorChat = tgUser();
    const reporter = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: reporterChat.id, unit: builder, name: "住建统计员" });
    const admin = await makeTelegramUser(h.t.deps, { roles: ["admin"], telegramId: adminChat.id, unit: builder, name: "Admin Li" });
    await setLocale(h.t.deps, admin, "en");
    await makeTelegramUser(h.t.deps, { roles: ["coordinator"], telegramId: coordinatorChat.id, unit: finance, name: "财政局协调人" });
    // August and September were filed on time; October (due 2026-11-10) never is.
    for (const [period, day] of [["2026-08", "2026-09-05"], ["2026-09", "2026-10-05"]] as const) {
      h.clock.set(`${day}T02:00:00Z`);
      await fileNilReport(h.t.deps, reporter, { type: "feed_construction_permits", period });
    }

    const scheduler = createReminderScheduler(h.t.deps);
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps, pacer: createTelegramPacer({ perChatMs: 0 }) });
    const sentOn: Record<string, string[]> = {};
    for (let day = 10; day <= 25; day++) {
      // 10:00 CST, after the reminders' 09:00 send time; the pass runs twice a day to prove it sends once.
      h.clock.set(`2026-11-${day}T02:00:00Z`);
      await scheduler.runOnce();
      h.clock.advance(6 * 3600_000);
      await scheduler.runOnce();
      const before = h.api.texts().length;
      await worker.drain();
      const texts = h.api.texts().slice(before);
      if (texts.length) sentOn[`11-${day}`] = texts;
    }

    expect(h.api.texts(reporterChat.id)).toEqual([
      "提醒：今天（2026-11-10）是“施工许可及容积率小于1.0项目（月报）”2026-10 期数据的报送截止日。没有数据也请报送“本期无”。",
      "逾期提醒：本单位“施工许可及容积率小于1.0项目（月报）”2026-10 期数据应于 2026-11-10 前报送，现已逾期 1 天。请尽快报送；没有数据也请报送“本期无”。",
    ]);
    expect(h.api.texts(adminChat.id)).toEqual([
      "Overdue, please follow up: your unit's “Construction permits and plot ratio < 1.0 (monthly)” for 2026-10 was due by 2026-11-10. The staff were reminded, but it is now 4 day(s) late and still not filed.",
    ]);
    expect(h.api.texts(coordinatorChat.id)).toEqual([
      "逾期通报：区住建局的“施工许可及容积率小于1.0项目（月报）”2026-10 期数据应于 2026-11-10 前报送，已逾期 8 天，提醒经办人员和单位管理员后仍未报送。此项将列入本季度责任追究名单。",
    ]);
    expect(Object.keys(sentOn)).toEqual(["11-10", "11-11", "11-14", "11-18"]);
    // No message shows an internal word: keys, enum literals, ids.
    for (const text of h.api.texts()) expect(text).not.toMatch(/escalation-|feed_|reporter|admin\b|coordinator|undefined|\{ ?\$/);
  });
});
