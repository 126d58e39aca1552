import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueueMessage, setLocale } from "@xieshui/core/server";
import { makeTelegramUser, makeUser } from "../../../test/factories/identity.ts";
import { createOutboxWorker } from "../src/outbox-worker.ts";
import { syncCommandMenu } from "../src/bot.ts";
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
    const worker = createOutboxWorker({ bot: h.bot, deps: h.t.deps });
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
