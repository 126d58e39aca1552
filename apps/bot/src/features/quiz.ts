import { Composer, InlineKeyboard } from "grammy";
import { letterOf, QUIZ_LIMITS, type MessageKey, type QuizQuestionType } from "@xieshui/core";
import {
  answerPractice,
  answerQuizQuestion,
  findPoll,
  isAppError,
  pollKey,
  rememberPoll,
  myQuizzes,
  quizProgress,
  type PollTarget,
  type QuizAnswerFeedback,
  type QuizProgress,
} from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";
import { stringParams } from "../i18n.ts";

/** What a question belongs to: an assigned quiz or today's practice round. */
export type AskTarget = PollTarget;

/** A question as sent: position, count, type, text, options (never the answer). */
export interface AskedQuestion {
  position: number;
  total: number;
  type: QuizQuestionType;
  question: string;
  options: string[];
}

const PREFIX = { quiz: "qz", practice: "pr" } as const;
/** `qz|pr:t|c:<id>:<position>:<mask>` toggles or confirms a multiple-choice selection (the selection rides in the button). */
const MULTI_CALLBACK = /^(qz|pr):(t|c):([a-z0-9]{8,40}):(\d{1,2}):(\d{1,2})$/;
/** `qz|pr:go:<id>` starts or continues; `qz|pr:s:<id>` stops for now. */
const GO_CALLBACK = /^(qz|pr):(go|s):([a-z0-9]{8,40})$/;

const kindOf = (p: string): AskTarget["kind"] => (p === "qz" ? "quiz" : "practice");

function multiKeyboard(ctx: BotContext, target: AskTarget, q: { position: number; options: string[] }, mask: number): InlineKeyboard {
  const p = PREFIX[target.kind];
  const kb = new InlineKeyboard();
  q.options.forEach((_, i) => {
    kb.text(`${mask & (1 << i) ? "☑" : "☐"} ${letterOf(i)}`, `${p}:t:${target.id}:${q.position}:${mask ^ (1 << i)}`);
  });
  kb.row().text(ctx.t("bot-quiz-confirm"), `${p}:c:${target.id}:${q.position}:${mask}`);
  kb.row().text(ctx.t("bot-quiz-stop"), `${p}:s:${target.id}`);
  return kb;
}

/**
 * Asks one question in a chat: single and true/false as a non-anonymous Telegram quiz poll (so its
 * `poll_answer` can be scored; the poll is remembered in QuizPoll with whom it was sent to), multiple
 * choice as a message with toggle buttons and a confirm. State lives in the database and in the
 * buttons, so a restarted bot carries on.
 */
export async function askQuestion(ctx: BotContext, chatId: number | string, target: AskTarget, q: AskedQuestion): Promise<void> {
  const counter = `(${q.position}/${q.total}) `;
  if (q.type === "multi") {
    const lines = [`${counter}【${ctx.t("quiz-type-multi")}】${q.question}`, "", ...q.options.map((o, i) => `${letterOf(i)}. ${o}`), "", ctx.t("bot-quiz-multi-hint")];
    await ctx.api.sendMessage(chatId, lines.join("\n"), { reply_markup: multiKeyboard(ctx, target, q, 0) });
    return;
  }
  const question = counter.length + q.question.length <= QUIZ_LIMITS.question ? counter + q.question : q.question;
  const key = await pollKey(ctx.deps, ctx.actor, target, q.position);
  const sent = await ctx.api.sendPoll(
    chatId,
    question,
    q.options.map((text) => ({ text })),
    {
      type: "quiz",
      is_anonymous: false,
      correct_option_ids: key.correct,
      explanation: key.explanation,
      reply_markup: new InlineKeyboard().text(ctx.t("bot-quiz-stop"), `${PREFIX[target.kind]}:s:${target.id}`),
    },
  );
  await rememberPoll(ctx.deps, ctx.actor, { pollId: sent.poll.id, target, position: q.position, chatId: String(chatId), messageId: sent.message_id });
}

async function sendFeedback(ctx: BotContext, chatId: number | string, f: QuizAnswerFeedback): Promise<void> {
  const head = f.correct ? ctx.t("bot-quiz-right") : ctx.t("bot-quiz-wrong", { answer: f.answer });
  const kb = f.articleTitle ? new InlineKeyboard().text(ctx.t("bot-quiz-article", { title: f.articleTitle.slice(0, 50) }), `kn:a:${f.articleId}`) : undefined;
  await ctx.api.sendMessage(chatId, `${head}\n${f.explanation}`, kb ? { reply_markup: kb } : {});
}

async function sendResult(ctx: BotContext, chatId: number | string, p: QuizProgress): Promise<void> {
  const r = p.result!;
  const lines = [ctx.t("bot-quiz-finished", { title: p.title, correct: String(r.correct), count: String(r.total), score: String(r.score), passed: ctx.t(r.passed ? "bot-quiz-passed" : "bot-quiz-failed") })];
  const rows: ReturnType<typeof InlineKeyboard.text>[][] = [];
  if (r.wrong.length) {
    lines.push("", ctx.t("bot-quiz-wrong-list"));
    for (const w of r.wrong) {
      lines.push(`${w.position}. ${w.question.length > 60 ? `${w.question.slice(0, 58)}…` : w.question} → ${w.answer}`);
      if (w.articleTitle) rows.push([InlineKeyboard.text(`${w.position}. ${w.articleTitle.slice(0, 40)}`, `kn:a:${w.articleId}`)]);
    }
  }
  await ctx.api.sendMessage(chatId, lines.join("\n"), rows.length ? { reply_markup: InlineKeyboard.from(rows) } : {});
}

/** Replies with a refused use-case's message (already answered, closed, not yours); rethrows the rest. */
export async function sayRefusal(ctx: BotContext, chatId: number | string, error: unknown): Promise<void> {
  if (!isAppError(error)) throw error;
  const text = error.messageKey ? ctx.t(error.messageKey, stringParams(error.params)) : (Object.values(error.fields ?? {})[0] ?? ctx.t("bot-error"));
  await ctx.api.sendMessage(chatId, text);
}

/** Sends the next question of a quiz, or its result, or nothing to do. */
async function continueQuiz(ctx: BotContext, chatId: number | string, assignmentId: string): Promise<void> {
  const p = await quizProgress(ctx.deps, ctx.actor, assignmentId);
  if (p.next) return askQuestion(ctx, chatId, { kind: "quiz", id: p.assignmentId }, p.next);
  if (p.result) return sendResult(ctx, chatId, p);
  if (p.state === "upcoming") await ctx.api.sendMessage(chatId, ctx.t("quiz-not-open", { opensAt: p.opensAt }));
  else if (p.state === "closed") await ctx.api.sendMessage(chatId, ctx.t("quiz-closed", { closesAt: p.closesAt }));
}

/** Practice's hook: what to do with an answer to a practice question (features/practice.ts). */
export type PracticeHandlers = { next(ctx: BotContext, chatId: number | string, roundId: string): Promise<void> };
let practiceNext: PracticeHandlers["next"] | null = null;
/** Lets practice.ts take over "next question" for its rounds (one registry, no import cycle). */
export function registerPracticeNext(fn: PracticeHandlers["next"]): void {
  practiceNext = fn;
}

/** Scores one answer from either kind of question and moves on: feedback, then the next question or the end. */
export async function submitAnswer(ctx: BotContext, chatId: number | string, target: AskTarget, position: number, chosen: string): Promise<void> {
  try {
    if (target.kind === "quiz") {
      const { feedback, progress } = await answerQuizQuestion(ctx.deps, ctx.actor, target.id, { position, chosen }, { channel: "bot", locale: ctx.locale });
      await sendFeedback(ctx, chatId, feedback);
      if (progress.next) await askQuestion(ctx, chatId, target, progress.next);
      else if (progress.result) await sendResult(ctx, chatId, progress);
    } else {
      const { feedback } = await answerPractice(ctx.deps, ctx.actor, target.id, { position, chosen }, { channel: "bot", locale: ctx.locale });
      await sendFeedback(ctx, chatId, feedback);
      await practiceNext?.(ctx, chatId, target.id);
    }
  } catch (error) {
    await sayRefusal(ctx, chatId, error);
  }
}

/**
 * Quizzes in the bot: the push's message (intro with 开始答题) or /quiz opens a quiz; then one question
 * at a time (polls for single and true/false, toggles + confirm for multiple choice), the explanation
 * and the article after each answer, the score and wrong questions at the end. 暂停 stops; the start
 * button or /quiz continues where the database says. A poll_answer for an unknown poll, or from anyone
 * but the person it was sent to, is ignored.
 */
function createQuizFeature(): BotFeature {
  const composer = new Composer<BotContext>();

  composer.command("quiz", async (ctx) => {
    if (!ctx.actor) return ctx.reply(ctx.t("bot-quiz-members-only"));
    const open = (await myQuizzes(ctx.deps, ctx.actor)).filter((c) => !c.finished && c.state === "open");
    if (open.length === 0) return ctx.reply(ctx.t("bot-quiz-none"));
    const rows = open.slice(0, 8).map((c) => [InlineKeyboard.text(`${c.title.slice(0, 40)} (${c.answered}/${c.total})`, `qz:go:${c.assignmentId}`)]);
    return ctx.reply(ctx.t("bot-quiz-list"), { reply_markup: InlineKeyboard.from(rows) });
  });

  composer.callbackQuery(GO_CALLBACK, async (ctx) => {
    const [, p, action, id] = ctx.match as RegExpMatchArray as [string, string, string, string];
    await ctx.answerCallbackQuery();
    const chatId = ctx.chat?.id ?? ctx.from.id;
    if (!ctx.actor) return ctx.api.sendMessage(chatId, ctx.t("bot-quiz-members-only"));
    if (kindOf(p) === "practice") {
      if (action === "s") return ctx.api.sendMessage(chatId, ctx.t("practice-round-done"));
      return practiceNext?.(ctx, chatId, id);
    }
    try {
      if (action === "s") {
        const pr = await quizProgress(ctx.deps, ctx.actor, id);
        return ctx.api.sendMessage(chatId, ctx.t("bot-quiz-stopped", { answered: String(pr.answered), count: String(pr.total) }), {
          reply_markup: new InlineKeyboard().text(ctx.t("bot-quiz-continue"), `qz:go:${id}`),
        });
      }
      const pr = await quizProgress(ctx.deps, ctx.actor, id);
      if (pr.answered === 0 && pr.next) {
        await ctx.api.sendMessage(chatId, ctx.t("bot-quiz-intro", { title: pr.title, count: String(pr.total), passMark: String(pr.passMark), closesAt: pr.closesAt }));
      }
      await continueQuiz(ctx, chatId, id);
    } catch (error) {
      await sayRefusal(ctx, chatId, error);
    }
  });

  composer.callbackQuery(MULTI_CALLBACK, async (ctx) => {
    const [, p, action, id, pos, maskText] = ctx.match as RegExpMatchArray as [string, string, string, string, string, string];
    const target: AskTarget = { kind: kindOf(p), id };
    const mask = Number(maskText) & 15;
    const chatId = ctx.chat?.id ?? ctx.from.id;
    if (action === "t") {
      await ctx.answerCallbackQuery();
      let optionCount: number;
      try {
        optionCount = (await pollKey(ctx.deps, ctx.actor, target, Number(pos))).optionCount;
      } catch (error) {
        return sayRefusal(ctx, chatId, error);
      }
      const options = Array.from({ length: optionCount }, (_, i) => String(i));
      await ctx.editMessageReplyMarkup({ reply_markup: multiKeyboard(ctx, target, { position: Number(pos), options }, mask & ((1 << optionCount) - 1)) }).catch(() => undefined);
      return;
    }
    const chosen = [0, 1, 2, 3].filter((i) => mask & (1 << i)).map(letterOf).join("");
    if (!chosen) return ctx.answerCallbackQuery({ text: ctx.t("quiz-choose-one"), show_alert: true });
    await ctx.answerCallbackQuery();
    // The confirmed selection stays visible without buttons, so it cannot be sent twice by a double tap.
    await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch(() => undefined);
    await submitAnswer(ctx, chatId, target, Number(pos), chosen);
  });

  composer.on("poll_answer", async (ctx) => {
    const answer = ctx.pollAnswer;
    // Unknown polls, other people's answers and retracted votes are ignored (nothing to score).
    const poll = answer.option_ids.length ? await findPoll(ctx.deps, ctx.actor, answer.poll_id) : null;
    if (!poll) return;
    const chosen = answer.option_ids.filter((i) => i >= 0 && i < 4).map((i) => letterOf(i)).join("");
    await submitAnswer(ctx, poll.chatId, poll.target, poll.position, chosen);
  });

  return {
    name: "quiz",
    composer,
    handlesPollAnswers: true,
    commands: [{ command: "quiz", description: "bot-command-quiz" as MessageKey, audience: "member" }],
  };
}

export const quizFeature = createQuizFeature();
