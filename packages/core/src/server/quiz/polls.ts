import { letterIndexes } from "../../domain/quiz/scoring.ts";
import { AppError } from "../errors.ts";
import type { Deps } from "../deps.ts";
import { requireUser, type Principal } from "./identity.ts";
import { questionContent } from "./questions.ts";

/** What a Telegram question belongs to: an assignment of a quiz, or a practice round. */
export type PollTarget = { kind: "quiz"; id: string } | { kind: "practice"; id: string };

/**
 * What a Telegram quiz poll needs beyond the question the user sees: the correct option indexes
 * (Telegram shows right/wrong itself) and the explanation. Only for the user's own assignment or
 * round; the bot calls it just before sending the poll (and for the option count of a toggle keyboard).
 */
export async function pollKey(deps: Deps, actor: Principal | null, target: PollTarget, position: number): Promise<{ correct: number[]; explanation: string; optionCount: number }> {
  requireUser(actor);
  const { prisma } = deps.db;
  if (target.kind === "quiz") {
    const a = await prisma.quizAssignment.findUnique({ where: { id: target.id } });
    const item = a && a.userId === actor.userId ? await prisma.quizItem.findUnique({ where: { quizId_position: { quizId: a.quizId, position } } }) : null;
    if (!item) throw new AppError("not_found", { messageKey: "quiz-not-assigned", reason: "quiz_not_assigned" });
    return { correct: letterIndexes(item.answer), explanation: item.explanation, optionCount: (JSON.parse(item.options) as string[]).length };
  }
  const round = await prisma.practiceRound.findUnique({ where: { id: target.id } });
  const qid = round && round.userId === actor.userId ? (JSON.parse(round.questionIds) as string[])[position - 1] : undefined;
  const q = qid ? await prisma.quizQuestion.findUnique({ where: { id: qid } }) : null;
  if (!q) throw new AppError("not_found", { messageKey: "practice-round-unknown", reason: "practice_round_unknown" });
  const c = questionContent(q);
  return { correct: letterIndexes(c.answer), explanation: c.explanation, optionCount: c.options.length };
}

/** Remembers a poll the bot sent, so its poll_answer (poll id + user only) finds what it answers. */
export async function rememberPoll(deps: Deps, actor: Principal | null, poll: { pollId: string; target: PollTarget; position: number; chatId: string; messageId: number }): Promise<void> {
  requireUser(actor);
  await deps.db.prisma.quizPoll.create({
    data: {
      pollId: poll.pollId.slice(0, 100),
      kind: poll.target.kind,
      userId: actor.userId,
      assignmentId: poll.target.kind === "quiz" ? poll.target.id : null,
      roundId: poll.target.kind === "practice" ? poll.target.id : null,
      position: poll.position,
      chatId: poll.chatId,
      messageId: poll.messageId,
      createdAt: deps.clock.now(),
    },
  });
}

/**
 * The question a poll_answer answers, only when it comes from the person the poll was sent to;
 * null for an unknown poll or anyone else (the bot ignores those).
 */
export async function findPoll(deps: Deps, actor: Principal | null, pollId: string): Promise<{ target: PollTarget; position: number; chatId: string } | null> {
  if (!actor || !("userId" in actor) || typeof pollId !== "string" || pollId.length > 100) return null;
  const poll = await deps.db.prisma.quizPoll.findUnique({ where: { pollId } });
  if (!poll || poll.userId !== actor.userId) return null;
  const target: PollTarget | null = poll.kind === "quiz" && poll.assignmentId ? { kind: "quiz", id: poll.assignmentId } : poll.kind === "practice" && poll.roundId ? { kind: "practice", id: poll.roundId } : null;
  return target ? { target, position: poll.position, chatId: poll.chatId } : null;
}
