import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InlineKeyboardButton, Update, User } from "grammy/types";
import { makeTelegramUser } from "../../../test/factories/identity.ts";
import { TEST_ID } from "../../../test/factories/reports.ts";
import { TEST_BOT_INFO } from "../../../test/factories/telegram.ts";
import { createBot, type XieshuiBot } from "../src/bot.ts";
import { FEATURES } from "../src/features/index.ts";
import { createReportFeature } from "../src/features/report.ts";
import { createHarness, makeCallbackQuery, makeMessage, makeUpdate, tgUser, type BotHarness } from "./harness.ts";

// Issue 13 point 6: the entrusted collector's monthly return (代征税款月度报表) is one more entry in
// the report-type registry; the bot's /feeds offers it with no code of its own. The whole exchange.

let h: BotHarness;
let bot: XieshuiBot;
let files: Map<string, Buffer>;

beforeEach(() => {
  h = createHarness();
  files = new Map();
  const report = createReportFeature({
    downloadFile: async (fileId) => {
      const bytes = files.get(fileId);
      if (!bytes) throw new Error("no such file");
      return bytes;
    },
  });
  bot = createBot({ token: "42:TEST", deps: h.t.deps, config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch }, features: FEATURES.map((f) => (f.name === "report" ? report : f)) });
});
afterEach(async () => {
  await h.close();
});

async function handle(update: Update): Promise<string[]> {
  const before = h.api.texts().length;
  await bot.handleUpdate(update);
  return h.api.texts().slice(before);
}
const say = (u: User, text: string) => handle(makeUpdate({ message: makeMessage(u, { text }) as Update["message"] }));
const press = (u: User, data: string) => handle(makeUpdate({ callback_query: makeCallbackQuery(u, data) }));
function button(label: string): string {
  const last = h.api.calls.filter((c) => c.method === "sendMessage").at(-1);
  const markup = last?.payload.reply_markup as { inline_keyboard?: InlineKeyboardButton.CallbackButton[][] } | undefined;
  const b = (markup?.inline_keyboard ?? []).flat().find((x) => x.text === label);
  if (!b) throw new Error(`no button ${label}`);
  return b.callback_data;
}

describe("/feeds for an entrusted collection unit", { timeout: 30_000 }, () => {
  it("offers 代征税款月度报表, takes its CSV and says what was received, in the registry's words", async () => {
    const u = tgUser();
    await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: u.id, unitType: "entrusted_collector", name: "赵代征" });
    const list = await say(u, "/feeds");
    expect(list[0]).toContain("2026-10 期定期数据");
    expect(list[0]).toContain("代征税款月度报表：未报送，已超过截止日 2026-11-15");
    expect(list[0]).not.toMatch(/feed_entrusted_collection|entrusted_collector/);
    await press(u, button("上传 代征税款月度报表"));
    expect(h.api.lastText()).toContain("请发送“代征税款月度报表”2026-10 期");
    const header = "代征凭证号,纳税人名称,纳税人识别号,税种,计税依据(元),代征税额(元),征收日期";
    files.set("bad", Buffer.from(`${header}\nDZ1,张三,${TEST_ID},契税,100,10,2026-10-03\n`));
    files.set("good", Buffer.from(`${header}\nDZ1,张三,${TEST_ID},房产税,12000,144,2026-10-03\nDZ2,李四,,印花税,,5.5,2026-10-20\n`));
    const doc = (id: string) => handle(makeUpdate({ message: makeMessage(u, { document: { file_id: id, file_unique_id: id, file_name: "10月代征.csv", mime_type: "text/csv", file_size: 300 } }) as Update["message"] }));
    const bad = await doc("bad");
    expect(bad[0]).toContain("整个文件未保存");
    expect(bad[0]).toContain("第 2 行 · 税种：请从 房产税 / 城镇土地使用税 / 印花税 / 个人所得税 / 增值税 / 城市维护建设税 / 其他 中选择");
    const good = await doc("good");
    expect(good[0]).toContain("✅ 已收到“代征税款月度报表”2026-10 期数据：2 行（迟报）");
    expect((await say(u, "/feeds"))[0]).toContain("✅ 代征税款月度报表：已报送（2 行，迟报，待审核）");
  });
});
