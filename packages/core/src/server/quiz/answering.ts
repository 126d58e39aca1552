import { QuizAnswerSchema, type QuizQuestionType } from "../../domain/quiz/schemas.ts";
import { choiceProblem, isCorrectChoice, quizOutcome } from "../../domain/quiz/scoring.ts";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import type { Deps } from "../deps.ts";
import { isUniqueViolation } from "../reports/common.ts";
import { requireUser, type Principal } from "./identity.ts";
import { itemView } from "./quizzes.ts";
import { recordReview } from "./review.ts";

/** Where an answer came from; the first channel to answer a question wins. */
export type QuizChannel = "bot" | "miniapp";

/** A question as the person answering sees it: no answer, no explanation until answered. */
export interface QuizQuestionForUser {
  position: number;
  total: number;
  type: QuizQuestionType;
  question: string;
  options: string[];
}

/** What happened to one answer: right or wrong, the right letters, the explanation and the article. */
export interface QuizAnswerFeedback {
  position: number;
  correct: boolean;
  chosen: string;
  answer: string;
  explanation: string;
  articleId: string;
  articleTitle: string | null;
}

/** A finished quiz's result for its taker: score, pass, and each wrong question with its article. */
export interface QuizResultForUser {
  correct: number;
  total: number;
  score: number;
  passed: boolean;
  passMark: number;
  wrong: { position: number; question: string; chosen: string; answer: string; explanation: string; articleId: string; articleTitle: string | null }[];
}

/** A user's view of one assigned quiz: where they are, the next question, the result when done. */
export interface QuizProgress {
  assignmentId: string;
  quizId: string;
  title: string;
  passMark: number;
  opensAt: string;
  closesAt: string;
  state: "upcoming" | "open" | "closed";
  total: number;
  answered: number;
  next: QuizQuestionForUser | null;
  result: QuizResultForUser | null;
}

/** A card of the mini-app home's 待完成的测验 list (and the bot's /quiz list). */
export interface MyQuizCard {
  assignmentId: string;
  title: string;
  total: number;
  answered: number;
  closesAt: string;
  state: "upcoming" | "open" | "closed";
  finished: boolean;
  score: number | null;
}

async function articleTitle(deps: Deps, id: string): Promise<string | null> {
  return (await deps.db.prisma.knowledgeArticle.findUnique({ where: { id }, select: { title: true } }))?.title ?? null;
}

function stateAt(now: Date, quiz: { opensAt: Date; closesAt: Date }): QuizProgress["state"] {
  if (now.getTime() < quiz.opensAt.getTime()) return "upcoming";
  return now.getTime() >= quiz.closesAt.getTime() ? "closed" : "open";
}

/**
 * Loads an assignment of the signed-in user: a quiz that was not pushed to them is a 404 with
 * 该测验没有推送给您 (whether it exists is not revealed).
 */
async function loadAssignment(deps: Deps, actor: Principal | null, assignmentId: unknown) {
  requireUser(actor);
  const a =
    typeof assignmentId === "string" && assignmentId.length <= 60
      ? await deps.db.prisma.quizAssignment.findUnique({ where: { id: assignmentId }, include: { quiz: true } })
      : null;
  if (!a || a.userId !== actor.userId) throw new AppError("not_found", { messageKey: "quiz-not-assigned", reason: "quiz_not_assigned" });
  return { actor, a };
}

async function resultOf(deps: Deps, assignmentId: string, quiz: { id: string; passMark: number }): Promise<QuizResultForUser> {
  const [items, answers] = await Promise.all([
    deps.db.prisma.quizItem.findMany({ where: { quizId: quiz.id }, orderBy: { position: "asc" } }),
    deps.db.prisma.quizAnswer.findMany({ where: { assignmentId } }),
  ]);
  const byPos = new Map(answers.map((x) => [x.position, x]));
  const outcome = quizOutcome(answers, items.length, quiz.passMark);
  const titles = new Map((await deps.db.prisma.knowledgeArticle.findMany({ where: { id: { in: items.map((i) => i.articleId) } }, select: { id: true, title: true } })).map((r) => [r.id, r.title]));
  const wrong = items
    .filter((i) => !byPos.get(i.position)?.correct)
    .map((i) => ({ position: i.position, question: i.question, chosen: byPos.get(i.position)?.chosen ?? "", answer: i.answer, explanation: i.explanation, articleId: i.articleId, articleTitle: titles.get(i.articleId) ?? null }));
  return { ...outcome, total: items.length, passMark: quiz.passMark, wrong };
}

/**
 * Where a user is in an assigned quiz (either channel): answered so far, the next unanswered
 * question (none before it opens or after it closes), and the result once every question is answered.
 * Everything is read from the database, so the bot and the mini-app resume from the same place.
 */
export async function quizProgress(deps: Deps, actor: Principal | null, assignmentId: string): Promise<QuizProgress> {
  const { a } = await loadAssignment(deps, actor, assignmentId);
  const now = deps.clock.now();
  const [items, answered] = await Promise.all([
    deps.db.prisma.quizItem.findMany({ where: { quizId: a.quizId }, orderBy: { position: "asc" } }),
    deps.db.prisma.quizAnswer.findMany({ where: { assignmentId: a.id }, select: { position: true } }),
  ]);
  const done = new Set(answered.map((x) => x.position));
  const state = stateAt(now, a.quiz);
  const nextItem = state === "open" ? items.find((i) => !done.has(i.position)) : undefined;
  const next = nextItem ? (({ answer: _a, explanation: _e, questionId: _q, articleId: _r, ...q }) => ({ ...q, total: items.length }))(itemView(nextItem)) : null;
  return {
    assignmentId: a.id,
    quizId: a.quizId,
    title: a.quiz.title,
    passMark: a.quiz.passMark,
    opensAt: formatCst(a.quiz.opensAt),
    closesAt: formatCst(a.quiz.closesAt),
    state,
    total: items.length,
    answered: done.size,
    next,
    result: a.finishedAt ? await resultOf(deps, a.id, a.quiz) : null,
  };
}

/**
 * Answers one question of an assigned quiz, from the bot or the mini-app. Refused with a clear
 * message before it opens and after it closes; letters that do not fit the question are a 400. The
 * first answer to a question counts, whichever channel: the (assignment, position) unique key
 * decides, so a second answer — a race or a retry — is a 409 naming the channel that answered, and
 * nothing is counted twice. The last answer finishes the assignment with its score. Each answer also
 * updates the user's spaced-repetition card for the question (the 错题本 and practice read it).
 */
export async function answerQuizQuestion(
  deps: Deps,
  actor: Principal | null,
  assignmentId: string,
  input: unknown,
  opts: { channel: QuizChannel; locale?: Locale },
): Promise<{ feedback: QuizAnswerFeedback; progress: QuizProgress }> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const { actor: user, a } = await loadAssignment(deps, actor, assignmentId);
  const parsed = parseInput(QuizAnswerSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const now = deps.clock.now();
  const state = stateAt(now, a.quiz);
  if (state === "upcoming") throw new AppError("conflict", { messageKey: "quiz-not-open", params: { opensAt: formatCst(a.quiz.opensAt) }, reason: "quiz_not_open" });
  if (state === "closed") throw new AppError("conflict", { messageKey: "quiz-closed", params: { closesAt: formatCst(a.quiz.closesAt) }, reason: "quiz_closed" });
  const { position, chosen } = parsed.data;
  const row = await deps.db.prisma.quizItem.findUnique({ where: { quizId_position: { quizId: a.quizId, position } } });
  if (!row) throw new AppError("invalid_input", { fields: { position: t(locale, "quiz-position-unknown", { position }) }, reason: "quiz_position_unknown" });
  const item = itemView(row);
  const problem = choiceProblem(item.type, item.options.length, chosen);
  if (problem) throw new AppError("invalid_input", { fields: { chosen: t(locale, problem) }, reason: "quiz_choice_invalid" });
  const correct = isCorrectChoice(chosen, item.answer);
  const total = await deps.db.prisma.quizItem.count({ where: { quizId: a.quizId } });
  try {
    await deps.db.prisma.$transaction(async (tx) => {
      await tx.quizAnswer.create({ data: { assignmentId: a.id, quizId: a.quizId, position, questionId: item.questionId, chosen, correct, channel: opts.channel, at: now } });
      await tx.quizAssignment.updateMany({ where: { id: a.id, startedAt: null }, data: { startedAt: now } });
      const answers = await tx.quizAnswer.findMany({ where: { assignmentId: a.id }, select: { correct: true } });
      if (answers.length === total) {
        const outcome = quizOutcome(answers, total, a.quiz.passMark);
        await tx.quizAssignment.updateMany({ where: { id: a.id, finishedAt: null }, data: { finishedAt: now, correct: outcome.correct, score: outcome.score, passed: outcome.passed } });
      }
      await recordReview(tx, { userId: user.userId, questionId: item.questionId, chosen, correct, now, source: "quiz" });
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const first = await deps.db.prisma.quizAnswer.findUnique({ where: { assignmentId_position: { assignmentId: a.id, position } } });
    throw new AppError("conflict", { messageKey: "quiz-already-answered", params: { channel: t(locale, first?.channel === "bot" ? "quiz-channel-bot" : "quiz-channel-miniapp") }, reason: "quiz_already_answered" });
  }
  return {
    feedback: { position, correct, chosen, answer: item.answer, explanation: item.explanation, articleId: item.articleId, articleTitle: await articleTitle(deps, item.articleId) },
    progress: await quizProgress(deps, actor, a.id),
  };
}

/**
 * The signed-in user's quizzes for the mini-app home (待完成的测验) and the bot: unfinished ones that
 * are open or upcoming first, then the finished and closed ones of the last 30 days.
 */
export async function myQuizzes(deps: Deps, actor: Principal | null): Promise<MyQuizCard[]> {
  requireUser(actor);
  const now = deps.clock.now();
  const rows = await deps.db.prisma.quizAssignment.findMany({
    where: { userId: actor.userId, quiz: { closesAt: { gt: new Date(now.getTime() - 30 * 86_400_000) } } },
    include: { quiz: { include: { _count: { select: { items: true } } } }, _count: { select: { answers: true } } },
    orderBy: { assignedAt: "desc" },
    take: 50,
  });
  const cards = rows.map((r) => ({
    assignmentId: r.id,
    title: r.quiz.title,
    total: r.quiz._count.items,
    answered: r._count.answers,
    closesAt: formatCst(r.quiz.closesAt),
    state: stateAt(now, r.quiz),
    finished: r.finishedAt !== null,
    score: r.score,
  }));
  const rank = (c: MyQuizCard) => (!c.finished && c.state !== "closed" ? 0 : 1);
  return cards.sort((x, y) => rank(x) - rank(y));
}
