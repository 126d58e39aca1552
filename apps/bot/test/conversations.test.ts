import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Composer } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import { TEST_BOT_INFO, textUpdate } from "../../../test/factories/telegram.ts";
import { createBot } from "../src/bot.ts";
import { FEATURES } from "../src/features/index.ts";
import type { BotContext, ConversationContext } from "../src/context.ts";
import type { BotFeature } from "../src/registry.ts";
import { createHarness, tgUser, type BotHarness } from "./harness.ts";

// A two-step conversation shaped like the report features other engineers add.
async function askName(conversation: Conversation<BotContext, ConversationContext>, ctx: ConversationContext) {
  await ctx.reply(ctx.t("field-required"));
  const answer = await conversation.waitFor("message:text", {
    otherwise: (c) => c.reply(c.t("bot-unhandled-media")),
  });
  await answer.reply(`${answer.t("bot-list-separator")}${answer.msg.text}|${answer.actor ? "member" : "guest"}|${answer.locale}`);
}

function demoFeature(): BotFeature {
  const composer = new Composer<BotContext>();
  composer.command("ask", (ctx) => ctx.conversation.enter("ask-name"));
  return { name: "ask", composer, commands: [{ command: "ask", description: "bot-cmd-help" }], conversations: [{ id: "ask-name", builder: askName }] };
}

let h: BotHarness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.close();
});

describe("conversations", () => {
  it("runs a feature's conversation with i18n and app state, and resumes it after a restart", async () => {
    const make = () => createBot({ token: "42:TEST", deps: h.t.deps, config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch }, features: [...FEATURES, demoFeature()] });
    const user = tgUser({ language_code: "en" });
    await make().handleUpdate(textUpdate(user, "/ask"));
    expect(h.api.lastText()).toBe("Required");
    expect(await h.t.db.prisma.botSession.count({ where: { key: { startsWith: "conv:" } } })).toBe(1);

    // A new bot instance over the same database (a restart) continues the conversation.
    const restarted = make();
    await restarted.handleUpdate(textUpdate(user, "王小明"));
    expect(h.api.lastText()).toBe(", 王小明|guest|en");
  });

  it("speaks a guest's /lang choice inside a conversation", async () => {
    const bot = createBot({ token: "42:TEST", deps: h.t.deps, config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch }, features: [...FEATURES, demoFeature()] });
    const user = tgUser({ language_code: "zh-hans" });
    await bot.handleUpdate(textUpdate(user, "/lang en"));
    await bot.handleUpdate(textUpdate(user, "/ask"));
    expect(h.api.lastText()).toBe("Required");
    await bot.handleUpdate(textUpdate(user, "x"));
    expect(h.api.lastText()).toBe(", x|guest|en");
  });

  it("lists a registered feature's command in /help", async () => {
    const bot = createBot({ token: "42:TEST", deps: h.t.deps, config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch }, features: [...FEATURES, demoFeature()] });
    await bot.handleUpdate(textUpdate(tgUser(), "/help"));
    expect(h.api.lastText()).toContain("/ask — ");
  });
});
