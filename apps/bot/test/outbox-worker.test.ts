import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { claimDueMessages, createDb, createDeps, createTipContext, enqueueMessage, enqueueMessages, setLocale } from "@xieshui/core/server";
import { TEST_BOT_INFO } from "../../../test/factories/telegram.ts";
import { makeTelegramUser, makeUser } from "../../../test/factories/identity.ts";
import { createOutboxWorker, createTelegramPacer } from "../src/outbox-worker.ts";
import { createBot, syncCommandMenu } from "../src/bot.ts";
import { createHarness, tgUser, type BotHarness } from "./harness.ts";

let h: BotHarness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.close();
});

async function enqueue(userId: string, key: string, params?: Record<string, string | number>) {
  await enqueueMessage(h.t.db.prisma, { userId, payload: { key: key as never, ...(params ? { params } : {}) }, now: h.clock.now() });
}

describe("outbox worker", () => {
  it("delivers due messages in the recipient's language and marks them sent", async () => {
    const zhUser = tgUser();
    const zh = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: zhUser.id, name: "王小明" });
    const enUser = tgUser();
    const en = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: enUser.id, name: "Lily" });
    await setLocale(h.t.deps, en, "en");
    await enqueue(zh.userId, "bot-start-member", { name: "王小明" });
    await enqueue(en.userId, "bot-start-member", { name: 2026 });
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps });
    expect(await worker.drain()).toEqual({ sent: 2, failed: 0 });
    expect(h.api.texts(zhUser.id)).toEqual(["欢迎回来，王小明！发送 /help 查看您可以使用的命令。"]);
    expect(h.api.texts(enUser.id)).toEqual(["Welcome back, 2026! Send /help to see the commands you can use."]);
    expect(await h.t.db.prisma.outbox.count({ where: { sentAt: null } })).toBe(0);
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
  });

  it("retries a failed delivery with backoff and then delivers it", async () => {
    const user = tgUser();
    const actor = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: user.id });
    await enqueue(actor.userId, "bot-error");
    h.api.failNext("sendMessage", { status: 500 });
    // The retry comes within a real second here: let the per-chat pace (1/s) not hold it back.
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps, pacer: createTelegramPacer({ perChatMs: 0 }) });
    expect(await worker.drain()).toEqual({ sent: 0, failed: 1 });
    const row = await h.t.db.prisma.outbox.findFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.sentAt).toBeNull();
    expect(row.sendAfter.getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
    h.clock.advance(2 * 60_000);
    expect(await worker.drain()).toEqual({ sent: 1, failed: 0 });
    // Two attempts reached the API: the refused one and the delivered one.
    expect(h.api.texts(user.id)).toHaveLength(2);
    expect((await h.t.db.prisma.outbox.findFirstOrThrow()).sentAt).not.toBeNull();
  });

  it("keeps messages for users without Telegram pending, backing off", async () => {
    const { actor } = await makeUser(h.t.deps, { roles: ["reporter"] });
    await enqueue(actor.userId, "bot-error");
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps });
    expect(await worker.drain()).toEqual({ sent: 0, failed: 1 });
    const row = await h.t.db.prisma.outbox.findFirstOrThrow();
    expect(row.lastError).toBe("recipient has no Telegram chat");
    expect(row.sentAt).toBeNull();
    expect(h.api.calls).toHaveLength(0);
  });

  it("does not send a payload with an unknown key", async () => {
    const user = tgUser();
    const actor = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: user.id });
    await enqueue(actor.userId, "no-such-key");
    expect(await createOutboxWorker({ bot: h.bot, deps: h.t.deps }).drain()).toEqual({ sent: 0, failed: 1 });
    expect(h.api.calls).toHaveLength(0);
  });

  it("polls on its own after start() and stops cleanly", async () => {
    const user = tgUser();
    const actor = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: user.id });
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps, intervalMs: 20 });
    worker.start();
    await enqueue(actor.userId, "bot-error");
    await expect.poll(() => h.api.texts(user.id).length, { timeout: 2_000 }).toBe(1);
    await worker.stop();
  });
});

describe("command menu", () => {
  it("publishes Chinese and English menus and tolerates the API refusing", async () => {
    expect(await syncCommandMenu(h.bot, h.t.deps)).toBe(true);
    const calls = h.api.calls.filter((c) => c.method === "setMyCommands");
    expect(calls).toHaveLength(2);
    expect(calls[0]!.payload.language_code).toBeUndefined();
    expect(calls[1]!.payload.language_code).toBe("en");
    expect((calls[0]!.payload.commands as { command: string }[]).map((c) => c.command)).toEqual(["start", "me", "link", "lang", "help", "search", "tip", "status"]);
    h.api.failNext("setMyCommands", { status: 500 });
    expect(await syncCommandMenu(h.bot, h.t.deps)).toBe(false);
  });
});

describe("outbox worker: claims, pace and dead chats", () => {
  async function recipients(n: number) {
    const users = [];
    for (let i = 0; i < n; i++) {
      const u = tgUser();
      const actor = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: u.id });
      await enqueue(actor.userId, "bot-error");
      users.push(u);
    }
    return users;
  }

  it("two senders draining at once never send the same row", async () => {
    const users = await recipients(12);
    const a = createOutboxWorker({ bot: h.bot, deps: h.t.deps, batchSize: 5 });
    const b = createOutboxWorker({ bot: h.bot, deps: h.t.deps, batchSize: 5 });
    const totals = { sent: 0 };
    for (let round = 0; round < 4; round++) {
      const [x, y] = await Promise.all([a.drain(), b.drain()]);
      totals.sent += x.sent + y.sent;
    }
    expect(totals.sent).toBe(12);
    for (const u of users) expect(h.api.texts(u.id)).toHaveLength(1);
  });

  it("two bot processes (two connections to one database) draining one quiz-sized push send each message exactly once", async () => {
    // A push as pushQuiz queues it: one createMany of many rows in one transaction.
    const users: { u: ReturnType<typeof tgUser>; actor: { userId: string } }[] = [];
    for (let i = 0; i < 40; i++) {
      const u = tgUser();
      users.push({ u, actor: await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: u.id }) });
    }
    await h.t.db.prisma.$transaction((tx) => enqueueMessages(tx, users.map(({ actor }, i) => ({ userId: actor.userId, payload: { key: "bot-error" }, dedupeKey: `push-test:${i}` })), h.clock.now()));
    const other = createDb(h.t.url);
    try {
      const otherDeps = createDeps(other, { clock: h.clock });
      const otherBot = createBot({ token: "42:TEST", deps: otherDeps, tips: createTipContext(otherDeps, { keyFile: join(h.t.dir, "other-keys.json"), generateKey: true, storeDir: join(h.t.dir, "tips") }), config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch } });
      const a = createOutboxWorker({ bot: h.bot, deps: h.t.deps, batchSize: 7 });
      const b = createOutboxWorker({ bot: otherBot, deps: otherDeps, batchSize: 7 });
      let sent = 0;
      for (let round = 0; round < 10 && sent < 40; round++) {
        const [x, y] = await Promise.all([a.drain(), b.drain()]);
        sent += x.sent + y.sent;
      }
      expect(sent).toBe(40);
      for (const { u } of users) expect(h.api.texts(u.id)).toHaveLength(1);
      expect(await h.t.db.prisma.outbox.count({ where: { sentAt: null } })).toBe(0);
      expect(await Promise.all([a.drain(), b.drain()])).toEqual([
        { sent: 0, failed: 0 },
        { sent: 0, failed: 0 },
      ]);
    } finally {
      await other.close();
    }
  });

  it("leaves a crashed sender's claimed rows alone until the lease runs out, then sends them once", async () => {
    const [u] = await recipients(1);
    const claimed = await claimDueMessages(h.t.deps, { limit: 10, leaseMs: 60_000 }); // a sender that then died
    expect(claimed).toHaveLength(1);
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps });
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
    h.clock.advance(61_000);
    expect(await worker.drain()).toEqual({ sent: 1, failed: 0 });
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
    expect(h.api.texts(u!.id)).toHaveLength(1);
  });

  it("records a chat that blocked the bot (403) and goes on with the others", async () => {
    const users = await recipients(3);
    h.api.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" });
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps, concurrency: 1 });
    expect(await worker.drain()).toEqual({ sent: 2, failed: 1 });
    const dead = await h.t.db.prisma.outbox.findFirstOrThrow({ where: { failedAt: { not: null } } });
    expect(dead.lastError).toContain("blocked");
    h.clock.advance(24 * 3600_000);
    expect(await worker.drain()).toEqual({ sent: 0, failed: 0 });
    expect(users.map((u) => h.api.texts(u.id).length).sort()).toEqual([1, 1, 1]);
  });

  it("on 429 waits retry_after without counting an attempt, then delivers", async () => {
    const [u] = await recipients(1);
    h.api.failNext("sendMessage", { status: 429, description: "Too Many Requests: retry after 2", parameters: { retry_after: 2 } });
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps, pacer: createTelegramPacer({ perChatMs: 0 }) });
    expect(await worker.drain()).toEqual({ sent: 0, failed: 1 });
    const row = await h.t.db.prisma.outbox.findFirstOrThrow();
    expect(row.attempts).toBe(0);
    expect(row.sendAfter.getTime() - h.clock.now().getTime()).toBe(2000);
    h.clock.advance(2000);
    expect(await worker.drain()).toEqual({ sent: 1, failed: 0 });
    expect(h.api.texts(u!.id)).toHaveLength(2);
  });

  it("sends the payload's buttons as an inline keyboard in the recipient's language", async () => {
    const u = tgUser();
    const actor = await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: u.id });
    await enqueueMessage(h.t.db.prisma, { userId: actor.userId, payload: { key: "quiz-push-start", buttons: [[{ key: "quiz-push-start", data: "qz:go:abc" }]] }, now: h.clock.now() });
    await createOutboxWorker({ bot: h.bot, deps: h.t.deps }).drain();
    const call = h.api.calls.find((c) => c.method === "sendMessage")!;
    expect(call.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: "开始答题", callback_data: "qz:go:abc" }]] });
  });
});
