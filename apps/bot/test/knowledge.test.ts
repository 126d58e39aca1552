import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { User } from "grammy/types";
import type { Role } from "@xieshui/core";
import { createInvite, getKnowledgeArticle, importClearances, saveKnowledgeArticle, seedKnowledge, systemActor } from "@xieshui/core/server";
import { makeTelegramUser, makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { SAMPLE_CLEARANCES_CSV } from "../../../test/factories/paths.ts";
import { createHarness, makeCallbackQuery, makeUpdate, tgUser, type BotHarness } from "./harness.ts";
import { looksLikeCode } from "../src/features/knowledge.ts";

let h: BotHarness;
beforeEach(async () => {
  h = createHarness();
  await seedKnowledge(h.t.deps);
});
afterEach(async () => {
  await h.close();
});

type Sent = { method: string; text: string; parseMode?: string; buttons: { text: string; data: string }[] };

/** Every message the bot sent since `from`, with its buttons. */
function sentSince(from: number): Sent[] {
  return h.api.calls.slice(from).filter((c) => c.method === "sendMessage").map((c) => {
    const markup = c.payload.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
    return {
      method: c.method,
      text: String(c.payload.text),
      ...(c.payload.parse_mode ? { parseMode: String(c.payload.parse_mode) } : {}),
      buttons: (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data })),
    };
  });
}

/** A readable transcript line per exchange, printed so a person can read the whole conversation. */
const transcript: string[] = [];
async function say(user: User, text: string): Promise<Sent[]> {
  const from = h.api.calls.length;
  await h.say(user, text);
  const sent = sentSince(from);
  transcript.push(`👤 ${text}`, ...sent.map((s) => `🤖 ${s.text}${s.buttons.length ? `\n   [${s.buttons.map((b) => b.text).join("] [")}]` : ""}`));
  return sent;
}
async function tap(user: User, button: { text: string; data: string }): Promise<Sent[]> {
  const from = h.api.calls.length;
  await h.handle(makeUpdate({ callback_query: makeCallbackQuery(user, button.data) }));
  const sent = sentSince(from);
  transcript.push(`👆 [${button.text}]`, ...sent.map((s) => `🤖 ${s.text}${s.buttons.length ? `\n   [${s.buttons.map((b) => b.text).join("] [")}]` : ""}`));
  return sent;
}

async function member(roles: Role[], unitType: "traffic_police" | "village" = "village") {
  const user = tgUser();
  await makeTelegramUser(h.t.deps, { roles, telegramId: user.id, unitType, name: "赵警官" });
  return user;
}

describe("knowledge search in the bot", () => {
  it("answers a plain question with the top 3 as buttons, opens an article and offers more", async () => {
    transcript.length = 0;
    const guest = tgUser();
    const [results] = await say(guest, "没有车船税完税证明能年检吗");
    expect(results!.text).toBe("🔎 “没有车船税完税证明能年检吗”的搜索结果，点标题查看全文：");
    expect(results!.buttons).toHaveLength(4);
    expect(results!.buttons[0]).toEqual({ text: "车辆登记和定期检验时核查车船税", data: "kn:a:K021" });
    expect(results!.buttons[3]).toEqual({ text: "没找到？", data: "kn:more:3" });

    const article = await tap(guest, results!.buttons[0]!);
    expect(article.length).toBeGreaterThanOrEqual(1);
    expect(article[0]!.parseMode).toBe("HTML");
    expect(article[0]!.text.startsWith("<b>车辆登记和定期检验时核查车船税</b>")).toBe(true);
    expect(article[0]!.text).toContain("• 未缴的，告知可在投保交强险时由保险公司代收");
    expect(article.at(-1)!.text).toContain("<i>依据：《中华人民共和国车船税法》第十条");
    for (const m of article) expect(m.text.length).toBeLessThanOrEqual(4096);
    expect(h.api.calls.some((c) => c.method === "answerCallbackQuery")).toBe(true);

    const more = await tap(guest, results!.buttons[3]!);
    expect(more[0]!.text).toBe("其他可能相关的条目：");
    const shown = new Set(results!.buttons.slice(0, 3).map((b) => b.data));
    expect(more[0]!.buttons.filter((b) => b.data.startsWith("kn:a:")).every((b) => !shown.has(b.data))).toBe(true);

    await say(guest, "/search 車船稅");
    await say(guest, "/search");
    await say(guest, "火星上的企鹅滑板课");
    console.log(`bot knowledge conversation:\n${transcript.join("\n")}`);
  });

  it("searches with /search, in English for English users, and explains an empty or over-long query", async () => {
    const en = tgUser({ language_code: "en" });
    const [answer] = await say(en, "/search 气税");
    expect(answer!.text).toBe("🔎 Results for “气税” — tap a title to read it:");
    expect(answer!.buttons.slice(0, 3).map((b) => b.data)).toContain("kn:a:K011");
    expect((await say(tgUser(), "/search"))[0]!.text).toContain("请在 /search 后面写下您的问题");
    expect((await say(tgUser(), `/search ${"税".repeat(300)}`))[0]!.text).toBe("太长了，最多 200 个字");
    expect((await say(tgUser(), '/search " OR * NEAR'))[0]!.text).toMatch(/^没有找到和“/);
  });

  it("records a question that found nothing, with no user identity", async () => {
    const user = tgUser();
    expect((await say(user, "火星上的企鹅滑板课"))[0]!.text).toMatch(/^没有找到和“火星上的企鹅滑板课”有关的条目/);
    const rows = await h.t.db.prisma.knowledgeZeroResult.findMany();
    expect(rows.map((r) => r.query)).toEqual(["火星上的企鹅滑板课"]);
    expect(JSON.stringify(rows)).not.toContain(String(user.id));
  });

  it("leaves plates, VINs, contract numbers and invite codes to their own features", async () => {
    expect(looksLikeCode("豫A12345")).toBe(true);
    expect(looksLikeCode("LSV3E28JX97KB6CP6")).toBe(true);
    expect(looksLikeCode("HT202610000039")).toBe(true);
    expect(looksLikeCode("K7M2-QX9P-RT")).toBe(true);
    expect(looksLikeCode("12366")).toBe(false);
    expect(looksLikeCode("ETC")).toBe(false);
    expect(looksLikeCode("个税APP")).toBe(false);

    await importClearances(h.t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
    const checker = await member(["checker"], "traffic_police");
    expect((await say(checker, "豫BYTY80"))[0]!.text).toContain("豫BYTY80 车船税");
    const guest = tgUser();
    expect((await say(guest, "豫BYTY80"))[0]!.text).toBe("抱歉，我没有看懂这条消息。发送 /help 查看可用的命令。");
    expect((await say(guest, "HT202610000039"))[0]!.text).toBe("抱歉，我没有看懂这条消息。发送 /help 查看可用的命令。");
    const { code } = await createInvite(h.t.deps, systemActor("test"), { unit: await makeUnit(h.t.deps), roles: ["reporter"] });
    expect((await say(tgUser(), code))[0]!.text).toContain("注册成功");
    // A searcher who is also a reporter still gets search for questions.
    expect((await say(await member(["reporter"]), "出租房子要报啥"))[0]!.buttons[0]!.data).toBe("kn:a:K017");
  });

  it("answers a stale 没找到？ with a request to search again, and an unknown article with not found", async () => {
    const user = tgUser();
    expect((await tap(user, { text: "没找到？", data: "kn:more:3" }))[0]!.text).toBe("这次搜索已过期，请重新发送您的问题。");
    expect((await tap(user, { text: "?", data: "kn:a:K999" }))[0]!.text).toBe("没有这个知识条目");
  });
});

describe("the clearance check's explanation is the live K040 article", () => {
  it("shows checkers K040 as trainers last edited it", async () => {
    await importClearances(h.t.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
    const checker = await member(["checker"], "traffic_police");
    const first = await say(checker, "/check 豫BYTY80");
    expect(first[0]!.text).toContain("💬 如何向群众解释");
    expect(first[1]).toMatchObject({ parseMode: "HTML" });
    expect(first[1]!.text).toContain("<b>群众缺少完税证明时如何耐心解释</b>");
    expect(first[1]!.text).toContain("您跑一趟不容易，我帮您看看还缺什么。");

    const trainer = (await makeUser(h.t.deps, { roles: ["trainer"], unitType: "tax_bureau" })).actor;
    const k040 = await getKnowledgeArticle(h.t.deps, "K040");
    await saveKnowledgeArticle(h.t.deps, trainer, "K040", {
      title: k040.title,
      tags: k040.tags,
      audience: k040.audience,
      law: k040.law,
      body: k040.body.replace("先表示理解", "先请群众坐下，再表示理解"),
      baseRevision: k040.revision,
    });
    const second = await say(checker, "/check 豫BYTY80");
    expect(second[1]!.text).toContain("先请群众坐下，再表示理解");
  });
});
