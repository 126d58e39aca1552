import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Message } from "grammy/types";
import { createInvite, systemActor } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit } from "../../../test/factories/identity.ts";
import { createHarness, makeCallbackQuery, makeMessage, makeUpdate, tgUser, type BotHarness } from "./harness.ts";

let h: BotHarness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.close();
});

const MEDIA_REPLY = "目前我只能处理文字消息，暂时无法处理图片、文件、语音或贴纸。发送 /help 查看可用的命令。";

function media(from: ReturnType<typeof tgUser>, fields: Partial<Message>) {
  return makeUpdate({ message: makeMessage(from, fields) as never });
}

describe("unhandled input", () => {
  it.each([
    ["a sticker", { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } }],
    ["a photo", { photo: [{ file_id: "p", file_unique_id: "p", width: 90, height: 90 }] }],
    ["a document", { document: { file_id: "d", file_unique_id: "d", file_name: "身份证.pdf" } }],
    ["a voice message", { voice: { file_id: "v", file_unique_id: "v", duration: 3 } }],
  ])("answers %s with a friendly pointer to /help, also from a member", async (_label, fields) => {
    expect(await h.handle(media(tgUser(), fields as Partial<Message>))).toEqual([MEDIA_REPLY]);
    const member = tgUser();
    await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: member.id });
    expect(await h.handle(media(member, fields as Partial<Message>))).toEqual([MEDIA_REPLY]);
  });

  it.each(["😀".repeat(2000), "   ", "？？！！", "……", "吗"])("answers text with nothing to search for %# with a pointer to /help", async (text) => {
    expect(await h.say(tgUser(), text)).toEqual(["抱歉，我没有看懂这条消息。发送 /help 查看可用的命令。"]);
  });

  it.each(["<script>alert(1)</script>", "'; DROP TABLE User; --", "\u202Eevil\u0000", "鲸".repeat(4000)])("treats odd text %# as a question that finds nothing, without crashing", async (text) => {
    const replies = await h.say(tgUser(), text);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^没有找到和“/);
    expect(h.api.calls.at(-1)?.payload.parse_mode).toBeUndefined();
  });

  it("answers an unknown command", async () => {
    expect(await h.say(tgUser(), "/frobnicate now")).toEqual(["没有这个命令。发送 /help 查看可用的命令。"]);
  });

  it("answers a stale button press without a reply", async () => {
    const replies = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(tgUser(), "old:button") }));
    expect(replies).toEqual([]);
    expect(h.api.calls.at(-1)?.method).toBe("answerCallbackQuery");
  });

  it("ignores group chats and updates without a message", async () => {
    const user = tgUser();
    const groupMsg = { ...makeMessage(user, { text: "/help" }), chat: { id: -100, type: "group", title: "村委会群" } };
    expect(await h.handle(makeUpdate({ message: groupMsg as never }))).toEqual([]);
    expect(await h.handle(makeUpdate({ edited_message: makeMessage(user, { text: "x", edit_date: 1 }) as never }))).toEqual([]);
  });

  it("keeps working when sending a sticker in the middle of registering", async () => {
    const user = tgUser();
    await h.say(user, "/start");
    await h.handle(media(user, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }));
    const { code } = await createInvite(h.t.deps, systemActor("test"), { unit: await makeUnit(h.t.deps), roles: ["reporter"] });
    expect((await h.say(user, code))[0]).toContain("注册成功");
  });
});

describe("Bot API failures", () => {
  it("survives a 400 on a reply and keeps answering later updates", async () => {
    const user = tgUser();
    h.api.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    h.api.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    await expect(h.bot.handleUpdate(makeUpdate({ message: makeMessage(user, { text: "/help" }) as never }))).resolves.toBeUndefined();
    expect((await h.say(user, "/start"))[0]).toContain("邀请码");
  });

  it("survives a 500 and a network failure, replying an apology when it can", async () => {
    const user = tgUser();
    h.api.failNext("sendMessage", { status: 500 });
    const replies = await h.say(user, "/me");
    // The failed reply is followed by the error boundary's apology.
    expect(replies.at(-1)).toBe("抱歉，处理时出了点问题，请稍后再试。您的数据没有丢失。");
    h.api.failNext("*", { network: true });
    h.api.failNext("*", { network: true });
    await expect(h.say(user, "/help")).resolves.toBeDefined();
    expect((await h.say(user, "/help"))[0]).toContain("/start");
  });

  it("survives a failing database read in a feature", async () => {
    const user = tgUser();
    await makeTelegramUser(h.t.deps, { roles: ["reporter"], telegramId: user.id });
    const prisma = h.t.db.prisma as unknown as { $transaction: unknown };
    const original = prisma.$transaction;
    prisma.$transaction = () => Promise.reject(new Error("disk I/O error"));
    try {
      expect(await h.say(user, "/link")).toEqual(["抱歉，处理时出了点问题，请稍后再试。您的数据没有丢失。"]);
    } finally {
      prisma.$transaction = original;
    }
    expect((await h.say(user, "/link"))[0]).toContain("一次性绑定码");
  });
});

describe("concurrency", () => {
  it("handles a burst of updates from one chat in order without losing session state", async () => {
    const user = tgUser();
    await Promise.all([h.say(user, "/lang en"), h.say(user, "/help"), h.say(user, "/lang zh"), h.say(user, "/me")]);
    const texts = h.api.texts(user.id);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toBe("Language set to English.");
    expect(texts[1]).toMatch(/^Commands you can use/);
    expect(texts[2]).toBe("已切换为中文。");
    expect(texts[3]).toMatch(/^您还没有注册/);
  });
});
