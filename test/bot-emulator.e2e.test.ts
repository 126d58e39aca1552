// The bot against a Bot API emulator over real HTTP: the emulator posts updates to the bot's
// webhook server (no busy polling) and records what the bot sends back.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import { createInvite, systemActor } from "@xieshui/core/server";
import { createTestDb, type TestDb } from "./factories/db.ts";
import { makeUnit } from "./factories/identity.ts";
import { createBot, syncCommandMenu, type XieshuiBot } from "../apps/bot/src/bot.ts";
import { createWebhookServer } from "../apps/bot/src/runtime.ts";
import { startBotService } from "../apps/bot/src/service.ts";
import { freePort } from "./support/ports.ts";

const TOKEN = "123456:E2E-xieshui";

let emulator: TelegramServer;
let t: TestDb;
let bot: XieshuiBot;
let webhook: Server | undefined;
let WEBHOOK_PORT: number;
let GUARDED_PORT: number;

function botTexts(chatId: number): string[] {
  return emulator.storage.botMessages
    .filter((m) => m.botToken === TOKEN && Number(m.message.chat_id) === chatId)
    .map((m) => String(m.message.text));
}

/** The bot's replies in a chat once there are `count` of them (its sendMessage may land just after the webhook answers). */
async function replies(chatId: number, count: number): Promise<string[]> {
  await expect.poll(() => botTexts(chatId).length, { timeout: 5_000, interval: 20 }).toBeGreaterThanOrEqual(count);
  return botTexts(chatId);
}

beforeAll(async () => {
  WEBHOOK_PORT = await freePort();
  GUARDED_PORT = await freePort();
  emulator = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 60 });
  await emulator.start();
  t = createTestDb();
  bot = createBot({ token: TOKEN, deps: t.deps, config: { apiRoot: emulator.config.apiURL } });
  await bot.init();
  webhook = createWebhookServer({ bot, path: "/telegram", logger: t.deps.logger });
  await new Promise<void>((resolve) => webhook!.listen(WEBHOOK_PORT, "127.0.0.1", resolve));
  await bot.api.setWebhook(`http://127.0.0.1:${WEBHOOK_PORT}/telegram`);
});

afterAll(async () => {
  await bot?.api.deleteWebhook().catch(() => undefined);
  if (webhook) await new Promise<void>((resolve) => webhook!.close(() => resolve()));
  await emulator?.stop();
  await t?.close();
});

describe("bot against the Bot API emulator", () => {
  it("tolerates the emulator refusing setMyCommands", async () => {
    expect(await syncCommandMenu(bot, t.deps)).toBe(false);
  });

  it("registers a user by deep link, then shows /me", async () => {
    const unit = await makeUnit(t.deps, { type: "traffic_police", name: "区公安局交警大队一中队" });
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["checker"], name: "交警老张" });
    const client = emulator.getClient(TOKEN, { userId: 7001, chatId: 7001, firstName: "Zhang" });

    await client.sendCommand(client.makeCommand(`/start ${code}`));
    const [welcome] = await replies(7001, 1);
    expect(welcome).toContain("注册成功");
    expect(welcome).toContain("交警老张");
    expect(welcome).toContain("区公安局交警大队一中队（交警队）");
    expect(welcome).toContain("凭证核验员");

    await client.sendCommand(client.makeCommand("/me"));
    expect((await replies(7001, 2))[1]).toBe("姓名：交警老张\n单位：区公安局交警大队一中队（交警队）\n角色：凭证核验员");
  });

  it("answers nonsense and an already used code in the same chat", async () => {
    const unit = await makeUnit(t.deps);
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const first = emulator.getClient(TOKEN, { userId: 7002, chatId: 7002 });
    await first.sendMessage(first.makeMessage(code.toLowerCase()));
    const second = emulator.getClient(TOKEN, { userId: 7003, chatId: 7003 });
    await second.sendMessage(second.makeMessage("你好"));
    await second.sendCommand(second.makeCommand(`/start ${code}`));
    expect((await replies(7002, 1))[0]).toContain("注册成功");
    expect(await replies(7003, 2)).toEqual(["抱歉，我没有看懂这条消息。发送 /help 查看可用的命令。", "邀请码已被使用过，每个邀请码只能用一次"]);
  });

  it("refuses webhook posts without the secret when one is configured", async () => {
    const guarded = createWebhookServer({ bot, path: "/telegram", secretToken: "s3cret", logger: t.deps.logger });
    await new Promise<void>((resolve) => guarded.listen(GUARDED_PORT, "127.0.0.1", resolve));
    try {
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${GUARDED_PORT}/telegram`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ update_id: 1 }),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ "x-telegram-bot-api-secret-token": "s3cret" })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${GUARDED_PORT}/healthz`)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => guarded.close(() => resolve()));
    }
  });

  it("runs the bot service with long polling (runner) and stops it cleanly", async () => {
    const token = "654321:E2E-polling";
    const service = await startBotService(
      { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.config.apiURL, BOT_HOST: "127.0.0.1", BOT_PORT: 0, OUTBOX_INTERVAL_MS: 60_000, CHECK_RATE_LIMIT_PER_HOUR: 120 },
      t.deps,
    );
    try {
      const client = emulator.getClient(token, { userId: 7010, chatId: 7010 });
      await client.sendCommand(client.makeCommand("/start"));
      await expect
        .poll(() => emulator.storage.botMessages.filter((m) => m.botToken === token).map((m) => String(m.message.text)), { timeout: 10_000, interval: 50 })
        .toContainEqual(expect.stringContaining("邀请码"));
    } finally {
      await service.stop();
    }
  });
});
