import { Composer } from "grammy";
import type { MessageKey } from "@xieshui/core";
import { practiceRound } from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { askQuestion, registerPracticeNext, sayRefusal } from "./quiz.ts";

/** Sends the next question of today's round, or the round's score when it is done. */
async function nextPractice(ctx: BotContext, chatId: number | string, intro: boolean): Promise<void> {
  try {
    const round = await practiceRound(ctx.deps, ctx.actor);
    if (!round.next) {
      await ctx.api.sendMessage(chatId, ctx.t("bot-practice-done", { correct: String(round.correct), count: String(round.total) }));
      return;
    }
    if (intro && round.answered === 0) await ctx.api.sendMessage(chatId, ctx.t("bot-practice-intro", { count: String(round.total) }));
    await askQuestion(ctx, chatId, { kind: "practice", id: round.roundId }, round.next);
  } catch (error) {
    await sayRefusal(ctx, chatId, error);
  }
}

/**
 * /practice: today's short round (core's practiceRound: questions due for review by FSRS, then new
 * ones), asked like quiz questions (features/quiz.ts) with feedback after each; the same round from
 * the mini-app's practice page. Answers update the 错题本.
 */
function createPracticeFeature(): BotFeature {
  const composer = new Composer<BotContext>();
  registerPracticeNext((ctx, chatId) => nextPractice(ctx, chatId, false));
  composer.command("practice", async (ctx) => {
    if (!ctx.actor) return ctx.reply(ctx.t("bot-quiz-members-only"));
    await nextPractice(ctx, ctx.chat.id, true);
  });
  return { name: "practice", composer, commands: [{ command: "practice", description: "bot-command-practice" as MessageKey, audience: "member" }] };
}

export const practiceFeature = createPracticeFeature();
