import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update, User } from "grammy/types";
import { join } from "node:path";
import { createTipContext, type TipContext } from "@xieshui/core/server";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { createFakeTransport, makeCallbackQuery, makeUpdate, makeUser, textUpdate, TEST_BOT_INFO, type FakeTransport } from "../../../test/factories/telegram.ts";
import { makeTelegramUser } from "../../../test/factories/identity.ts";
import { createBot, type XieshuiBot } from "../src/bot.ts";

// A registered staff member files a tip in the bot exactly like a citizen: nothing links it to them.
let t: TestDb;
let api: FakeTransport;
let bot: XieshuiBot;
let tips: TipContext;
const STAFF_TG = 7_770_003_333;
const staff: User = makeUser({ id: STAFF_TG, username: "clerk_wang", first_name: "王" });

beforeAll(async () => {
  t = createTestDb({ clock: createFixedClock("2026-12-01T02:00:00Z") });
  tips = createTipContext(t.deps, { keyFile: join(t.dir, "tip-keys.json"), generateKey: true });
  api = createFakeTransport();
  bot = createBot({ token: "42:TEST", deps: t.deps, tips, config: { botInfo: TEST_BOT_INFO, fetch: api.fetch } });
}, 60_000);
afterAll(async () => t.close());

const say = async (text: string) => {
  const before = api.texts().length;
  await bot.handleUpdate(textUpdate(staff, text));
  return api.texts().slice(before).join("\n");
};
const tap = async (data: string) => {
  const before = api.texts().length;
  await bot.handleUpdate(makeUpdate({ callback_query: makeCallbackQuery(staff, data) }) as Update);
  return api.texts().slice(before).join("\n");
};

describe("a registered staff member's tip", () => {
  it("is filed through the same anonymous flow and stored with nothing of their account", async () => {
    const actor = await makeTelegramUser(t.deps, { roles: ["reporter"], telegramId: STAFF_TG, name: "王芳" });
    const auditBefore = await t.db.prisma.auditLog.count();
    const sessionsBefore = await t.db.prisma.botSession.count();
    await say("/tip");
    await tap("tip:c:tax_evasion");
    await say("/skip");
    await say("/skip");
    await say("村里一家工厂长期使用个人账户收款逃避申报");
    await say("/skip");
    await tap("tip:skip");
    await tap("tip:anon");
    const done = await tap("tip:submit");
    expect(done).toMatch(/\d{4} \d{4} \d{4} \d{4}/);
    expect(await t.db.prisma.auditLog.count()).toBe(auditBefore);
    expect(await t.db.prisma.botSession.count()).toBe(sessionsBefore);
    for (const table of ["Tip", "TipMessage", "TipEvent", "TipAttachment"]) {
      const rows = JSON.stringify(await tipTableRows(table));
      expect(rows).not.toContain(actor.userId);
      expect(rows).not.toContain(String(STAFF_TG));
    }
  });
});

/** Every row of a tip table, through Prisma (the same on both databases). */
async function tipTableRows(table: string): Promise<unknown[]> {
  const p = t.db.prisma;
  if (table === "Tip") return p.tip.findMany();
  if (table === "TipMessage") return p.tipMessage.findMany();
  if (table === "TipEvent") return p.tipEvent.findMany();
  return p.tipAttachment.findMany();
}
