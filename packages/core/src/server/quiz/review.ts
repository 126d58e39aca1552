import { randomInt } from "node:crypto";
import { createEmptyCard, fsrs, Rating, type Card } from "ts-fsrs";
import { PracticeReminderSchema, QuizAnswerSchema, type QuizQuestionType } from "../../domain/quiz/schemas.ts";
import { choiceProblem, isCorrectChoice } from "../../domain/quiz/scoring.ts";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { cstDate } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import type { Deps } from "../deps.ts";
import type { PrismaClient } from "../db.ts";
import { isUniqueViolation } from "../reports/common.ts";
import { enqueueMessage } from "../outbox.ts";
import { requireUser, type Principal } from "./identity.ts";
import { questionContent } from "./questions.ts";
import type { QuizAnswerFeedback, QuizChannel } from "./answering.ts";

const scheduler = fsrs();

/** Questions in a daily practice round: about two minutes on a phone. */
export const PRACTICE_ROUND_SIZE = 5;

type ReviewWriter = Pick<PrismaClient, "quizReview">;

/**
 * Records one answer on the user's FSRS card for the question (ts-fsrs; right = Good, wrong = Again)
 * inside the caller's transaction. A wrong answer opens the question in the 错题本; a right answer in
 * practice closes it. Quiz and practice answers both count: the scheduler sees every attempt.
 */
export async function recordReview(
  tx: ReviewWriter,
  r: { userId: string; questionId: string; chosen: string; correct: boolean; now: Date; source: "quiz" | "practice" },
): Promise<void> {
  const stored = await tx.quizReview.findUnique({ where: { userId_questionId: { userId: r.userId, questionId: r.questionId } } });
  const card: Card = stored
    ? {
        due: stored.due,
        stability: stored.stability,
        difficulty: stored.difficulty,
        elapsed_days: stored.elapsedDays,
        scheduled_days: stored.scheduledDays,
        learning_steps: stored.learningSteps,
        reps: stored.reps,
        lapses: stored.lapses,
        state: stored.state,
        ...(stored.lastReview ? { last_review: stored.lastReview } : {}),
      }
    : createEmptyCard(r.now);
  const next = scheduler.next(card, r.now, r.correct ? Rating.Good : Rating.Again).card;
  const data = {
    due: next.due,
    stability: next.stability,
    difficulty: next.difficulty,
    elapsedDays: next.elapsed_days,
    scheduledDays: next.scheduled_days,
    learningSteps: next.learning_steps,
    reps: next.reps,
    lapses: next.lapses,
    state: next.state,
    lastReview: r.now,
    wrongCount: (stored?.wrongCount ?? 0) + (r.correct ? 0 : 1),
    mistakeOpen: r.correct ? (r.source === "practice" ? false : (stored?.mistakeOpen ?? false)) : true,
    lastWrong: r.correct ? (stored?.lastWrong ?? null) : r.chosen,
    lastWrongAt: r.correct ? (stored?.lastWrongAt ?? null) : r.now,
  };
  await tx.quizReview.upsert({ where: { userId_questionId: { userId: r.userId, questionId: r.questionId } }, create: { userId: r.userId, questionId: r.questionId, ...data }, update: data });
}

/** One entry of the 错题本: the question, the last wrong answer, the right one, the explanation and article. */
export interface MistakeEntry {
  questionId: string;
  type: QuizQuestionType;
  question: string;
  options: string[];
  answer: string;
  lastWrong: string | null;
  wrongCount: number;
  explanation: string;
  articleId: string;
  articleTitle: string | null;
  due: string;
}

/** The signed-in user's 错题本: questions answered wrong and not yet answered right in practice, latest first. */
export async function listMistakes(deps: Deps, actor: Principal | null): Promise<MistakeEntry[]> {
  requireUser(actor);
  const { prisma } = deps.db;
  const reviews = await prisma.quizReview.findMany({ where: { userId: actor.userId, mistakeOpen: true }, orderBy: { lastWrongAt: "desc" }, take: 200 });
  const questions = new Map((await prisma.quizQuestion.findMany({ where: { id: { in: reviews.map((r) => r.questionId) } } })).map((q) => [q.id, q]));
  const titles = new Map((await prisma.knowledgeArticle.findMany({ select: { id: true, title: true } })).map((a) => [a.id, a.title]));
  return reviews.flatMap((r) => {
    const q = questions.get(r.questionId);
    if (!q) return [];
    const c = questionContent(q);
    return [{ questionId: q.id, type: c.type, question: c.question, options: c.options, answer: c.answer, lastWrong: r.lastWrong, wrongCount: r.wrongCount, explanation: c.explanation, articleId: c.articleId, articleTitle: titles.get(c.articleId) ?? null, due: r.due.toISOString() }];
  });
}

/** A question of a practice round as it is asked (no answer until answered). */
export interface PracticeQuestion {
  position: number;
  total: number;
  questionId: string;
  type: QuizQuestionType;
  question: string;
  options: string[];
}

/** Today's practice round: its questions' count, how many are answered, the next one. */
export interface PracticeRoundView {
  roundId: string;
  day: string;
  total: number;
  answered: number;
  correct: number;
  next: PracticeQuestion | null;
}

async function roundView(deps: Deps, round: { id: string; day: string; questionIds: string }): Promise<PracticeRoundView> {
  const ids = JSON.parse(round.questionIds) as string[];
  const answers = await deps.db.prisma.practiceAnswer.findMany({ where: { roundId: round.id } });
  const done = new Set(answers.map((a) => a.position));
  const pos = ids.findIndex((_, i) => !done.has(i + 1));
  let next: PracticeQuestion | null = null;
  if (pos >= 0) {
    const q = await deps.db.prisma.quizQuestion.findUnique({ where: { id: ids[pos]! } });
    if (q) {
      const c = questionContent(q);
      next = { position: pos + 1, total: ids.length, questionId: q.id, type: c.type, question: c.question, options: c.options };
    }
  }
  return { roundId: round.id, day: round.day, total: ids.length, answered: done.size, correct: answers.filter((a) => a.correct).length, next };
}

/**
 * The signed-in user's practice round for today (CST), made on first ask and then the same from either
 * channel: questions due for review by FSRS (most overdue first, open mistakes included), then
 * questions never seen, at random, up to PRACTICE_ROUND_SIZE. Two first asks racing make one round
 * (unique per user and day).
 */
export async function practiceRound(deps: Deps, actor: Principal | null): Promise<PracticeRoundView> {
  requireUser(actor);
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const day = cstDate(now);
  const existing = await prisma.practiceRound.findUnique({ where: { userId_day: { userId: actor.userId, day } } });
  if (existing) return roundView(deps, existing);
  const due = await prisma.quizReview.findMany({ where: { userId: actor.userId, due: { lte: now } }, orderBy: { due: "asc" }, take: PRACTICE_ROUND_SIZE, select: { questionId: true } });
  const ids = due.map((d) => d.questionId);
  if (ids.length < PRACTICE_ROUND_SIZE) {
    const seen = new Set((await prisma.quizReview.findMany({ where: { userId: actor.userId }, select: { questionId: true } })).map((r) => r.questionId));
    const fresh = (await prisma.quizQuestion.findMany({ select: { id: true } })).map((q) => q.id).filter((id) => !seen.has(id));
    while (ids.length < PRACTICE_ROUND_SIZE && fresh.length) ids.push(fresh.splice(randomInt(fresh.length), 1)[0]!);
  }
  if (ids.length === 0) throw new AppError("not_found", { messageKey: "practice-bank-empty", reason: "practice_bank_empty" });
  try {
    const round = await prisma.practiceRound.create({ data: { userId: actor.userId, day, questionIds: JSON.stringify(ids), createdAt: now } });
    return roundView(deps, round);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return roundView(deps, await prisma.practiceRound.findUniqueOrThrow({ where: { userId_day: { userId: actor.userId, day } } }));
  }
}

/**
 * Answers one question of a practice round (bot or mini-app): once per position (a second answer is
 * a 409), only on the round's own day (CST). Updates the FSRS card and the 错题本.
 */
export async function answerPractice(
  deps: Deps,
  actor: Principal | null,
  roundId: string,
  input: unknown,
  opts: { channel: QuizChannel; locale?: Locale },
): Promise<{ feedback: QuizAnswerFeedback; round: PracticeRoundView }> {
  requireUser(actor);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const { prisma } = deps.db;
  const round = typeof roundId === "string" && roundId.length <= 40 ? await prisma.practiceRound.findUnique({ where: { id: roundId } }) : null;
  if (!round || round.userId !== actor.userId) throw new AppError("not_found", { messageKey: "practice-round-unknown", reason: "practice_round_unknown" });
  const parsed = parseInput(QuizAnswerSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const now = deps.clock.now();
  if (round.day !== cstDate(now)) throw new AppError("conflict", { messageKey: "practice-day-over", params: { day: round.day }, reason: "practice_day_over" });
  const ids = JSON.parse(round.questionIds) as string[];
  const { position, chosen } = parsed.data;
  const qid = ids[position - 1];
  const q = qid ? await prisma.quizQuestion.findUnique({ where: { id: qid } }) : null;
  if (!q) throw new AppError("invalid_input", { fields: { position: t(locale, "quiz-position-unknown", { position }) }, reason: "quiz_position_unknown" });
  const c = questionContent(q);
  const problem = choiceProblem(c.type, c.options.length, chosen);
  if (problem) throw new AppError("invalid_input", { fields: { chosen: t(locale, problem) }, reason: "quiz_choice_invalid" });
  const correct = isCorrectChoice(chosen, c.answer);
  try {
    await prisma.$transaction(async (tx) => {
      await tx.practiceAnswer.create({ data: { roundId: round.id, position, questionId: q.id, chosen, correct, channel: opts.channel, at: now } });
      const count = await tx.practiceAnswer.count({ where: { roundId: round.id } });
      if (count === ids.length) await tx.practiceRound.updateMany({ where: { id: round.id, finishedAt: null }, data: { finishedAt: now } });
      await recordReview(tx, { userId: actor.userId, questionId: q.id, chosen, correct, now, source: "practice" });
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const first = await prisma.practiceAnswer.findUnique({ where: { roundId_position: { roundId: round.id, position } } });
    throw new AppError("conflict", { messageKey: "quiz-already-answered", params: { channel: t(locale, first?.channel === "bot" ? "quiz-channel-bot" : "quiz-channel-miniapp") }, reason: "quiz_already_answered" });
  }
  const title = (await prisma.knowledgeArticle.findUnique({ where: { id: c.articleId }, select: { title: true } }))?.title ?? null;
  return { feedback: { position, correct, chosen, answer: c.answer, explanation: c.explanation, articleId: c.articleId, articleTitle: title }, round: await roundView(deps, round) };
}

/** The user's daily practice reminder setting (off unless turned on). */
export async function getPracticeReminder(deps: Deps, actor: Principal | null): Promise<{ enabled: boolean; hour: number }> {
  requireUser(actor);
  const r = await deps.db.prisma.practiceReminder.findUnique({ where: { userId: actor.userId } });
  return { enabled: r?.enabled ?? false, hour: r?.hour ?? 19 };
}

/** Turns the daily practice reminder on or off (PracticeReminderSchema: on/off and a CST hour 6-22). */
export async function setPracticeReminder(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<{ enabled: boolean; hour: number }> {
  requireUser(actor);
  const parsed = parseInput(PracticeReminderSchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const data = { enabled: parsed.data.enabled, hour: parsed.data.hour, updatedAt: deps.clock.now() };
  await deps.db.prisma.practiceReminder.upsert({ where: { userId: actor.userId }, create: { userId: actor.userId, ...data }, update: data });
  return { enabled: data.enabled, hour: data.hour };
}

/**
 * Queues today's practice reminder for every user who turned it on and whose hour (CST) has come,
 * once a day each (dedupe key per user and day). The bot's outbox worker calls it every few minutes.
 */
export async function queuePracticeReminders(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const hour = new Date(now.getTime() + 8 * 3600_000).getUTCHours();
  const day = cstDate(now);
  const due = await deps.db.prisma.practiceReminder.findMany({ where: { enabled: true, hour: { lte: hour } }, select: { userId: true } });
  for (const r of due) {
    await enqueueMessage(deps.db.prisma, { userId: r.userId, now, dedupeKey: `practice-remind:${r.userId}:${day}`, payload: { key: "quiz-practice-remind-notice", params: { count: PRACTICE_ROUND_SIZE } } });
  }
  return due.length;
}
