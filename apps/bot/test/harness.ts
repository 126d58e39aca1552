import type { Update, User } from "grammy/types";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { createFakeTransport, makeUpdate, makeMessage, makeCallbackQuery, makeUser, textUpdate, TEST_BOT_INFO, type FakeTransport } from "../../../test/factories/telegram.ts";
import { createBot, type XieshuiBot } from "../src/bot.ts";
import { testTips } from "../../../test/support/tips.ts";

/** A real bot over a real temp database with a fake Bot API transport. */
export interface BotHarness {
  t: TestDb;
  bot: XieshuiBot;
  api: FakeTransport;
  clock: ReturnType<typeof createFixedClock>;
  /** Sends a text from `from` and returns the texts the bot sent in answer. */
  say(from: User, text: string): Promise<string[]>;
  /** Handles any update and returns the texts the bot sent in answer. */
  handle(update: Update): Promise<string[]>;
  close(): Promise<void>;
}

export function createHarness(): BotHarness {
  const clock = createFixedClock("2026-11-26T02:00:00Z");
  const t = createTestDb({ clock });
  const api = createFakeTransport();
  const bot = createBot({ token: "42:TEST", deps: t.deps, tips: testTips(t.deps, t.dir), config: { botInfo: TEST_BOT_INFO, fetch: api.fetch } });
  async function handle(update: Update): Promise<string[]> {
    const before = api.texts().length;
    await bot.handleUpdate(update);
    return api.texts().slice(before);
  }
  return {
    t,
    bot,
    api,
    clock,
    handle,
    say: (from, text) => handle(textUpdate(from, text)),
    close: () => t.close(),
  };
}

let userSeq = 5000;
/** A fresh Telegram user (new chat) per call. */
export function tgUser(opts: Partial<User> = {}): User {
  return makeUser({ id: userSeq++, first_name: "小王", language_code: "zh-hans", ...opts });
}

export { makeUpdate, makeMessage, makeCallbackQuery };
