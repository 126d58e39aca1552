import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InlineKeyboardButton, Update, User } from "grammy/types";
import { fieldSensitivity, getReportType, t, type EventReportType, type UnitType } from "@xieshui/core";
import { createDeps, createLogger } from "@xieshui/core/server";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { makeTelegramUser } from "../../../test/factories/identity.ts";
import { createFakeTransport, makeMessage, makeUpdate, TEST_BOT_INFO, type FakeTransport } from "../../../test/factories/telegram.ts";
import { FEEDS_WITH_UNITS, PERSONAL, PERSONAL_VALUES, personalEventData, personalFeedCsv } from "../../../test/factories/personal.ts";
import { createBot, type XieshuiBot } from "../src/bot.ts";
import { FEATURES } from "../src/features/index.ts";
import { createReportFeature } from "../src/features/report.ts";
import { makeCallbackQuery, tgUser } from "./harness.ts";

let db: TestDb;
let api: FakeTransport;
let bot: XieshuiBot;
let lines: string[];
const files = new Map<string, Buffer>();

beforeEach(() => {
  lines = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const clock = createFixedClock("2026-11-26T02:00:00Z");
  db = createTestDb({ clock });
  const deps = createDeps(db.db, { clock, logger: createLogger({ level: "trace", destination: sink }) });
  api = createFakeTransport();
  const report = createReportFeature({
    downloadFile: async (fileId) => {
      const bytes = files.get(fileId);
      if (!bytes) throw new Error(`no such file ${fileId}`);
      return bytes;
    },
  });
  bot = createBot({ token: "42:TEST", deps, config: { botInfo: TEST_BOT_INFO, fetch: api.fetch }, features: FEATURES.map((f) => (f.name === "report" ? report : f)) });
});
afterEach(async () => {
  await db.close();
});

const send = (update: Update) => bot.handleUpdate(update);
const say = (u: User, text: string) => send(makeUpdate({ message: makeMessage(u, { text }) as Update["message"] }));
const press = (u: User, data: string) => send(makeUpdate({ callback_query: makeCallbackQuery(u, data) }));
function button(label: string): string {
  const last = api.calls.filter((c) => c.method === "sendMessage").at(-1);
  const markup = last?.payload.reply_markup as { inline_keyboard?: InlineKeyboardButton.CallbackButton[][] } | undefined;
  const b = (markup?.inline_keyboard ?? []).flat().find((x) => x.text === label);
  if (!b) throw new Error(`no button ${label} in: ${String(last?.payload.text)}`);
  return b.callback_data;
}

async function member(unitType: UnitType): Promise<User> {
  const u = tgUser();
  await makeTelegramUser(db.deps, { roles: ["reporter"], telegramId: u.id, unitType, name: "王村干" });
  return u;
}

describe("personal data in bot logs", () => {
  it("writes no ID number, credit code or name to any log line while every report type is filed, with bad answers and failing sends", async () => {
    for (const { type: code, unitType, data } of personalEventData()) {
      const u = await member(unitType);
      const type = getReportType(code) as EventReportType;
      await say(u, `/report ${code}`);
      for (const f of type.fields) {
        const value = data[f.name];
        if (f.kind === "enum") await press(u, button(t("zh-CN", f.options!.find((o) => o.value === value)!.labelKey)));
        else if (value === undefined) await press(u, button("跳过"));
        else {
          // A wrong answer first: it is re-asked, and neither answer is logged.
          if (fieldSensitivity(f) === "identifier") await say(u, PERSONAL.badIdNo);
          await say(u, Array.isArray(value) ? value.join("，") : String(value));
        }
      }
      expect(api.lastText(), code).toContain("请核对");
      // The confirmation cannot be delivered the first time (Telegram down): the error is logged, the data is not.
      api.failNext("sendMessage", { status: 400, description: "Bad Request: message is too long" });
      api.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" });
      await press(u, button("确认提交"));
    }
    expect(await db.db.prisma.report.count()).toBe(3);

    for (const { feed, unitType } of FEEDS_WITH_UNITS) {
      const u = await member(unitType);
      const doc = (id: string) =>
        send(makeUpdate({ message: makeMessage(u, { document: { file_id: id, file_unique_id: id, file_name: `${PERSONAL.feedName}.csv`, mime_type: "text/csv", file_size: 500 } }) as Update["message"] }));
      files.set(`${feed.code}-bad`, Buffer.from(personalFeedCsv(feed, { badRow: true })));
      files.set(`${feed.code}-good`, Buffer.from(personalFeedCsv(feed)));
      await doc(`${feed.code}-bad`);
      expect(api.lastText(), feed.code).toContain("整个文件未保存");
      await doc(`${feed.code}-good`);
      expect(api.lastText(), feed.code).toContain("✅");
    }
    expect(await db.db.prisma.report.count()).toBe(3 + FEEDS_WITH_UNITS.length);

    const log = lines.join("");
    expect(log).toContain("bot could not send the error reply");
    expect(PERSONAL_VALUES.filter((v) => log.includes(v))).toEqual([]);
  }, 60_000);
});
