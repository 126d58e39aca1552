import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkClearance, createDb, createDeps, importClearances, isAppError, systemActor, type Deps } from "@xieshui/core/server";
import { makeTelegramUser } from "../../../test/factories/identity.ts";
import { TEST_BOT_INFO, textUpdate } from "../../../test/factories/telegram.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../test/factories/paths.ts";
import { createBot } from "../src/bot.ts";
import { createHarness, tgUser, type BotHarness } from "./harness.ts";

// Issue 7 point 3 in the bot: the bot calls the same checkClearance as the API, so the limit must
// hold for updates handled concurrently: in one bot (which serialises a chat's updates), across two
// bot instances (which do not see each other's queue), and between the bot and the mini-app.

const LIMIT = 5;
let h: BotHarness;
beforeEach(async () => {
  h = createHarness();
  await importClearances(h.t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
});
afterEach(async () => {
  await h.close();
});

function limitedBot(deps: Deps = h.t.deps) {
  return createBot({ token: "42:TEST", deps, config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch, checkRateLimitPerHour: LIMIT } });
}

const answered = (texts: string[]) => texts.filter((t) => t.includes("凭证齐全")).length;
const refused = (texts: string[]) => texts.filter((t) => t.includes(`每人每小时最多 ${LIMIT} 次`)).length;

describe("/check under concurrent updates", () => {
  it("answers 5 of 30 checks handled at once and refuses the other 25 with the limit's message", async () => {
    const bot = limitedBot();
    const officer = tgUser();
    await makeTelegramUser(h.t.deps, { roles: ["checker"], telegramId: officer.id, unitType: "traffic_police" });
    await Promise.all(Array.from({ length: 30 }, () => bot.handleUpdate(textUpdate(officer, "/check 豫HMC8R6"))));
    const texts = h.api.texts();
    expect(texts).toHaveLength(30);
    expect({ answered: answered(texts), refused: refused(texts) }).toEqual({ answered: LIMIT, refused: 30 - LIMIT });
  });

  it("holds for two bot instances (webhook mode behind a balancer) over their own connections", async () => {
    // Each instance serialises a chat's updates only within itself, so the two race on one person.
    const second = createDb(h.t.url);
    try {
      const bots = [limitedBot(), limitedBot(createDeps(second, { clock: h.clock }))];
      const officer = tgUser();
      await makeTelegramUser(h.t.deps, { roles: ["checker"], telegramId: officer.id, unitType: "traffic_police" });
      await Promise.all(Array.from({ length: 30 }, (_, i) => bots[i % 2]!.handleUpdate(textUpdate(officer, "/check 豫HMC8R6"))));
      const texts = h.api.texts();
      expect(texts).toHaveLength(30);
      expect({ answered: answered(texts), refused: refused(texts) }).toEqual({ answered: LIMIT, refused: 30 - LIMIT });
    } finally {
      await second.close();
    }
  });

  it("shares one allowance between the bot and the mini-app's checks running at the same time", async () => {
    const bot = limitedBot();
    const officer = tgUser();
    const actor = await makeTelegramUser(h.t.deps, { roles: ["checker"], telegramId: officer.id, unitType: "traffic_police" });
    const viaApi = Array.from({ length: 10 }, () => checkClearance(h.t.deps, actor, { kind: "vehicle_vessel", key: "豫HMC8R6" }, { rateLimitPerHour: LIMIT }));
    const viaBot = Array.from({ length: 10 }, () => bot.handleUpdate(textUpdate(officer, "/check 豫HMC8R6")));
    const apiResults = await Promise.allSettled(viaApi);
    await Promise.all(viaBot);
    const apiAnswered = apiResults.filter((r) => r.status === "fulfilled").length;
    const apiRefused = apiResults.filter((r) => r.status === "rejected" && isAppError(r.reason) && r.reason.code === "rate_limited").length;
    const texts = h.api.texts();
    expect(apiAnswered + apiRefused).toBe(10);
    expect(apiAnswered + answered(texts)).toBe(LIMIT);
    expect(apiRefused + refused(texts)).toBe(20 - LIMIT);
  });
});
