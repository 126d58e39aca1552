import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalCode, type Role } from "@xieshui/core";
import { actorByTelegram, authenticate, createLinkCode, redeemLinkCodeForSession, getLocale, systemActor } from "@xieshui/core/server";
import { Composer } from "grammy";
import { createInvite } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { TEST_BOT_INFO, textUpdate } from "../../../test/factories/telegram.ts";
import { createBot } from "../src/bot.ts";
import { FEATURES } from "../src/features/index.ts";
import type { BotContext } from "../src/context.ts";
import { createHarness, makeCallbackQuery, makeUpdate, tgUser, type BotHarness } from "./harness.ts";

let h: BotHarness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.close();
});

async function member(roles: Role[], opts: { language_code?: string } = {}) {
  const user = tgUser(opts);
  await makeTelegramUser(h.t.deps, { roles, telegramId: user.id, name: "王小明" });
  return user;
}

function commandsIn(help: string | undefined): string[] {
  return [...(help ?? "").matchAll(/^\/(\w+) — /gm)].map((m) => m[1]!);
}

describe("/help", () => {
  it("shows an unregistered user only what guests can do and how to register", async () => {
    const [help] = await h.say(tgUser(), "/help");
    expect(commandsIn(help)).toEqual(["start", "link", "lang", "help", "search", "tip", "status"]);
    expect(help).toContain("邀请码");
  });

  it("shows a reporter their member commands", async () => {
    const [help] = await h.say(await member(["reporter"]), "/help");
    expect(commandsIn(help)).toEqual(["start", "me", "link", "lang", "help", "report", "feeds", "myreports", "cancel", "quiz", "practice", "tasks", "search", "tip", "status"]);
  });

  it("lists role-gated commands only for roles that may use them", async () => {
    const adminOnly = new Composer<BotContext>();
    adminOnly.command("invite", (ctx) => ctx.reply("ok"));
    const bot = createBot({
      token: "42:TEST",
      deps: h.t.deps,
      config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch },
      features: [...FEATURES, { name: "admin", composer: adminOnly, commands: [{ command: "invite", description: "feature-admin", feature: "admin" }] }],
    });
    const reporter = await member(["reporter"]);
    const admin = await member(["admin"]);
    await bot.handleUpdate(textUpdate(reporter, "/help"));
    expect(commandsIn(h.api.lastText())).not.toContain("invite");
    await bot.handleUpdate(textUpdate(admin, "/help"));
    expect(commandsIn(h.api.lastText())).toContain("invite");
    await bot.handleUpdate(textUpdate(tgUser(), "/help"));
    expect(commandsIn(h.api.lastText())).not.toContain("invite");
  });
});

describe("/link", () => {
  it("gives a member a one-time code that signs the mini-app in as them", async () => {
    const user = await member(["reporter"]);
    const [reply] = await h.say(user, "/link");
    const shown = /([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(reply ?? "")?.[1];
    expect(shown).toBeDefined();
    const { token } = await redeemLinkCodeForSession(h.t.deps, canonicalCode(shown!));
    expect((await authenticate(h.t.deps, token))?.userId).toBe((await actorByTelegram(h.t.deps, user.id))?.userId);
  });

  it("binds this Telegram account to the mini-app user who made the code", async () => {
    const { actor } = await makeUser(h.t.deps, { roles: ["checker"], name: "赵六" });
    const { code } = await createLinkCode(h.t.deps, actor);
    const user = tgUser();
    const [reply] = await h.say(user, `/link ${code.toLowerCase().slice(0, 4)} ${code.slice(4)}`);
    expect(reply).toContain("绑定成功");
    expect(reply).toContain("赵六");
    expect((await actorByTelegram(h.t.deps, user.id))?.userId).toBe(actor.userId);
    expect(await h.say(user, `/link ${code}`)).toEqual(["绑定码已被使用过"]);
  });

  it("rejects malformed and unknown link codes", async () => {
    expect(await h.say(tgUser(), "/link 12")).toEqual(["绑定码由 8 位字母和数字组成"]);
    expect(await h.say(tgUser(), "/link ABCDEFGH")).toEqual(["绑定码不存在，请核对后重新输入"]);
    const [guest] = await h.say(tgUser(), "/link");
    expect(guest).toContain("/link");
  });
});

describe("language", () => {
  it("answers a user whose Telegram is English in English", async () => {
    const [reply] = await h.say(tgUser({ language_code: "en" }), "/start");
    expect(reply).toContain("invite code");
    const [me] = await h.say(await member(["reporter"], { language_code: "en-US" }), "/me");
    expect(me).toMatch(/^Name: 王小明\nUnit: 测试单位\d+ \(Village committee\)\nRoles: Reporter$/);
  });

  it("switches a member to English with /lang and keeps it in their account", async () => {
    const user = await member(["reporter"]);
    expect(await h.say(user, "/lang en")).toEqual(["Language set to English."]);
    const actor = (await actorByTelegram(h.t.deps, user.id))!;
    expect(await getLocale(h.t.deps, actor.userId)).toBe("en");
    const [me] = await h.say(user, "/me");
    expect(me).toMatch(/^Name: /);
    expect(await h.say(user, "/lang 中文")).toEqual(["已切换为中文。"]);
    expect(await getLocale(h.t.deps, actor.userId)).toBe("zh-CN");
  });

  it("lets an English-speaking member choose Chinese with the language buttons", async () => {
    const user = await member(["reporter"], { language_code: "en" });
    const [choose] = await h.say(user, "/lang");
    expect(choose).toContain("Choose your language");
    const keyboard = h.api.calls.at(-1)!.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    expect(keyboard.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(["lang:zh-CN", "lang:en"]);
    const replies = await h.handle(makeUpdate({ callback_query: makeCallbackQuery(user, "lang:zh-CN") }));
    expect(replies).toEqual(["已切换为中文。"]);
    expect(h.api.calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);
    expect((await h.say(user, "/me"))[0]).toMatch(/^姓名：/);
  });

  it("remembers a guest's choice in the session and carries it into the new account", async () => {
    const user = tgUser();
    await h.say(user, "/lang english");
    expect((await h.say(user, "/start"))[0]).toContain("invite code");
    const row = await h.t.db.prisma.botSession.findUniqueOrThrow({ where: { key: `session:${user.id}` } });
    expect(JSON.parse(row.value)).toEqual({ locale: "en" });
    const { code } = await createInvite(h.t.deps, systemActor("test"), { unit: await makeUnit(h.t.deps), roles: ["reporter"] });
    const [welcome] = await h.say(user, code);
    expect(welcome).toContain("You are registered");
    expect(await getLocale(h.t.deps, (await actorByTelegram(h.t.deps, user.id))!.userId)).toBe("en");
  });
});
