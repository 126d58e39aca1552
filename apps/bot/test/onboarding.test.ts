import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInvite, revokeInvite, actorByTelegram, systemActor } from "@xieshui/core/server";
import { makeUnit } from "../../../test/factories/identity.ts";
import { createHarness, tgUser, type BotHarness } from "./harness.ts";

let h: BotHarness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.close();
});

async function invite(roles: ("reporter" | "checker" | "admin")[] = ["reporter"], opts: { name?: string; expiresInDays?: number } = {}) {
  const unit = await makeUnit(h.t.deps, { type: "village", name: "幸福镇东村村委会" });
  return createInvite(h.t.deps, systemActor("test"), { unit, roles, ...opts });
}

describe("onboarding", () => {
  it("registers a user from a /start deep link and welcomes them with name, unit and roles", async () => {
    const { code } = await invite(["reporter", "checker"], { name: "王小明" });
    const user = tgUser();
    const replies = await h.say(user, `/start ${code}`);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("注册成功");
    expect(replies[0]).toContain("王小明");
    expect(replies[0]).toContain("幸福镇东村村委会（村委会）");
    expect(replies[0]).toContain("信息报送员、凭证核验员");
    expect(replies[0]).not.toMatch(/[\u2068\u2069]/);
    const actor = await actorByTelegram(h.t.deps, user.id);
    expect(actor?.roles).toEqual(["checker", "reporter"]);
    const identity = await h.t.db.prisma.identity.findFirstOrThrow({ where: { subject: String(user.id) } });
    expect(identity.chatId).toBe(String(user.id));
  });

  it("gives the new member a chat command menu of what their roles allow", async () => {
    const { code } = await invite(["reporter"]);
    const user = tgUser({ language_code: "en" });
    await h.say(user, `/start ${code}`);
    const menu = h.api.calls.find((c) => c.method === "setMyCommands");
    expect(menu?.payload.scope).toEqual({ type: "chat", chat_id: user.id });
    expect(menu?.payload.commands).toContainEqual({ command: "me", description: "My name, unit and roles" });
  });

  it("still welcomes the user when the menu cannot be set", async () => {
    const { code } = await invite(["reporter"]);
    h.api.failNext("setMyCommands", { status: 500 });
    expect((await h.say(tgUser(), code))[0]).toContain("注册成功");
  });

  it("uses the Telegram first name when the invite names nobody", async () => {
    const { code } = await invite();
    const user = tgUser({ first_name: "Lily" });
    await h.say(user, `/start ${code}`);
    expect((await actorByTelegram(h.t.deps, user.id))?.name).toBe("Lily");
  });

  it.each([
    ["with spaces and lower case", (c: string) => `  ${c.slice(0, 4).toLowerCase()} ${c.slice(4, 8)} ${c.slice(8).toLowerCase()} `],
    ["with dashes", (c: string) => `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`],
    ["in full-width characters", (c: string) => [...c].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("")],
  ])("registers a user who simply types the code %s", async (_label, mangle) => {
    const { code } = await invite();
    const user = tgUser();
    const replies = await h.say(user, mangle(code));
    expect(replies[0]).toContain("注册成功");
    expect(await actorByTelegram(h.t.deps, user.id)).not.toBeNull();
  });

  it("tells an unknown code apart", async () => {
    expect(await h.say(tgUser(), "/start ABCDEFGHJK")).toEqual(["邀请码不存在，请核对后重新输入"]);
    expect(await h.say(tgUser(), "abcd efgh jk")).toEqual(["邀请码不存在，请核对后重新输入"]);
  });

  it("tells a used code apart and does not register the second person", async () => {
    const { code } = await invite();
    await h.say(tgUser(), code);
    const second = tgUser();
    expect(await h.say(second, `/start ${code}`)).toEqual(["邀请码已被使用过，每个邀请码只能用一次"]);
    expect(await actorByTelegram(h.t.deps, second.id)).toBeNull();
  });

  it("tells an expired code apart", async () => {
    const { code } = await invite(["reporter"], { expiresInDays: 1 });
    h.clock.advance(2 * 86_400_000);
    expect(await h.say(tgUser(), code)).toEqual(["邀请码已过期，请联系管理员重新发放"]);
  });

  it("tells a revoked code apart", async () => {
    const { code, invite: inv } = await invite();
    await revokeInvite(h.t.deps, systemActor("test"), inv.id);
    expect(await h.say(tgUser(), code)).toEqual(["邀请码已被管理员作废"]);
  });

  it("explains a malformed deep-link payload and an almost-code", async () => {
    expect(await h.say(tgUser(), "/start hello")).toEqual(["邀请码由 10 位字母和数字组成，例如 K7M2QX9PRT"]);
    expect(await h.say(tgUser(), "K7M2QX9PR")).toEqual(["邀请码由 10 位字母和数字组成，例如 K7M2QX9PRT"]);
  });

  it("greets an unregistered /start with how to get an invite and mentions anonymous tips", async () => {
    const [reply] = await h.say(tgUser(), "/start");
    expect(reply).toContain("邀请码");
    expect(reply).toContain("匿名举报");
  });

  it("greets a registered /start by name", async () => {
    const { code } = await invite(["reporter"], { name: "李四" });
    const user = tgUser();
    await h.say(user, code);
    expect(await h.say(user, "/start")).toEqual(["欢迎回来，李四！发送 /help 查看您可以使用的命令。"]);
  });
});

describe("/me", () => {
  it("shows name, unit with its type and roles", async () => {
    const { code } = await invite(["reporter"], { name: "王小明" });
    const user = tgUser();
    await h.say(user, code);
    expect(await h.say(user, "/me")).toEqual(["姓名：王小明\n单位：幸福镇东村村委会（村委会）\n角色：信息报送员"]);
  });

  it("tells an unregistered user how to register", async () => {
    const [reply] = await h.say(tgUser(), "/me");
    expect(reply).toContain("邀请码");
  });
});
