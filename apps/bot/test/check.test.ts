import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Role } from "@xieshui/core";
import { importClearances, systemActor } from "@xieshui/core/server";
import { makeTelegramUser } from "../../../test/factories/identity.ts";
import { TEST_BOT_INFO } from "../../../test/factories/telegram.ts";
import { createBot } from "../src/bot.ts";
import { createHarness, makeCallbackQuery, makeUpdate, tgUser, type BotHarness } from "./harness.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../test/factories/paths.ts";

const SAMPLE = SAMPLE_CLEARANCES_CSV;

let h: BotHarness;
beforeEach(async () => {
  h = createHarness();
  await importClearances(h.t.deps, systemActor("test"), SAMPLE);
});
afterEach(async () => {
  await h.close();
});

async function member(roles: Role[], opts: { language_code?: string } = {}) {
  const user = tgUser(opts);
  await makeTelegramUser(h.t.deps, { roles, telegramId: user.id, name: "李警官", unitType: "traffic_police" });
  return user;
}

describe("/check", () => {
  it("answers a vehicle check with this year and last year, masked", async () => {
    const [reply] = await h.say(await member(["checker"]), "/check 豫hmc8r6");
    expect(reply).toContain("豫HMC8R6");
    expect(reply).toContain("2026 年度：已完税（凭证 264100000000027，黎*燕）");
    expect(reply).toContain("2025 年度：已免税");
    expect(reply).toContain("凭证齐全");
    expect(reply).not.toContain("黎志燕");
  });

  it("treats a plate number sent on its own as a check, in any typed form", async () => {
    const checker = await member(["checker"]);
    for (const typed of ["豫ＢＹＴＹ８０", "豫B·YTY80", "豫b ytY80"]) {
      const [reply] = await h.say(checker, typed);
      expect(reply).toContain("豫BYTY80");
      expect(reply).toContain("2026 年度：未查到");
    }
  });

  it("explains politely what is missing (K040)", async () => {
    const [reply] = await h.say(await member(["checker"]), "/check 豫BYTY80");
    expect(reply).toContain("缺少完（免）税凭证");
    expect(reply).toContain("您跑一趟不容易");
    expect(reply).toContain("车船税法");
  });

  it("offers the people who check one tap to the vehicle report when clearance is missing", async () => {
    const officer = await member(["checker", "reporter"]);
    await h.say(officer, "/check 豫BYTY80");
    const sent = h.api.calls.filter((c) => c.method === "sendMessage").at(-1)!;
    const markup = sent.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    const button = markup.inline_keyboard[0]![0]!;
    expect(button.text).toBe("一键报告税务局");
    // 豫BYTY80 has only a paid 2025 row in the sample: this year is missing.
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    expect(button.callback_data).toBe(`chk:report:豫BYTY80:${year}`);
    const replies = (await h.handle(makeUpdate({ callback_query: makeCallbackQuery(officer, button.callback_data) }))).join("\n");
    expect(replies).toContain("已根据核验结果预填");
    expect(replies).toContain("豫BYTY80");
    expect(replies).not.toMatch(/请填写：车牌号/);
    // A forged button cannot smuggle a bad plate in: it is simply asked again.
    const other = await member(["checker", "reporter"]);
    const forged = (await h.handle(makeUpdate({ callback_query: makeCallbackQuery(other, `chk:report:XX123:${year}`) }))).join("\n");
    expect(forged).toContain("已根据核验结果预填：未完税年度");
    expect(forged).toMatch(/请填写：车牌号/);
    // A checker without the reporter role is offered it too (their failed check is the authority),
    // but not after a check by VIN, which does not say which plate to report.
    const onlyChecker = await member(["checker"]);
    await h.say(onlyChecker, "/check 豫BYTY80");
    expect(h.api.calls.filter((c) => c.method === "sendMessage").at(-1)!.payload.reply_markup).toBeDefined();
    await h.say(onlyChecker, "/check LSVZ1E51X8P6RV31F");
    expect(h.api.calls.filter((c) => c.method === "sendMessage").at(-1)!.payload.reply_markup).toBeUndefined();
  });

  it("checks a property contract, one line per tax, in English when asked", async () => {
    const [reply] = await h.say(await member(["checker"], { language_code: "en" }), "/check HT202610000039");
    expect(reply).toContain("property transfer taxes");
    expect(reply).toContain("契税: Paid");
    expect(reply).toContain("城市维护建设税: Paid");
  });

  it("refuses a non-checker with a clear reply and audits the attempt", async () => {
    const [reply] = await h.say(await member(["reporter"]), "/check 豫A12345");
    expect(reply).toContain("只有凭证核验员");
    const [guest] = await h.say(tgUser(), "/check 豫A12345");
    expect(guest).toContain("只有凭证核验员");
    expect(await h.t.db.prisma.auditLog.count({ where: { action: "clearance.check", result: "denied" } })).toBe(1);
  });

  it("lets a reporter's plate-shaped text go on to the other features", async () => {
    const [reply] = await h.say(await member(["reporter"]), "豫A12345");
    expect(reply).not.toContain("只有凭证核验员");
    expect(await h.t.db.prisma.auditLog.count({ where: { action: "clearance.check" } })).toBe(0);
  });

  it("explains bad keys and an empty /check", async () => {
    const checker = await member(["checker"]);
    expect((await h.say(checker, "/check"))[0]).toContain("/check 豫A12345");
    expect((await h.say(checker, "/check LSV3E28J197KB6CP6"))[0]).toContain("校验码");
    expect((await h.say(checker, "/check 豫I12345"))[0]).toContain("车牌号格式不正确");
  });

  it("applies the hourly rate limit with a clear message", async () => {
    const bot = createBot({
      token: "42:TEST",
      deps: h.t.deps,
      config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch, checkRateLimitPerHour: 2 },
    });
    const checker = await member(["checker"]);
    const { textUpdate } = await import("../../../test/factories/telegram.ts");
    for (let i = 0; i < 3; i++) await bot.handleUpdate(textUpdate(checker, "/check 豫A12345"));
    expect(h.api.texts().at(-1)).toContain("每人每小时最多 2 次");
  });
});
