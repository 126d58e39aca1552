import { randomInt } from "node:crypto";
import { QuizDefinitionSchema, type QuizDefinition, type QuizQuestionType } from "../../domain/quiz/schemas.ts";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import type { Role, UnitType } from "../../domain/units.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import { enqueueMessages } from "../outbox.ts";
import type { Deps } from "../deps.ts";
import { isSystemActor, requireRole, type Principal } from "./identity.ts";
import { QUIZ_TRAINER_ROLES } from "./questions.ts";

/** One drawn question of a quiz as trainers preview it (with the answer). */
export interface QuizItemView {
  position: number;
  questionId: string;
  type: QuizQuestionType;
  question: string;
  options: string[];
  answer: string;
  explanation: string;
  articleId: string;
}

/** Who a push would reach, and why nobody when nobody: the builder shows it before the trainer pushes. */
export interface QuizAudience {
  units: number;
  users: number;
  /** of `users`, how many have a Telegram account linked (they also get the bot message) */
  withTelegram: number;
  /** why nobody is eligible (a catalogue message in the caller's language), null when someone is */
  problem: string | null;
}

/** A quiz as its trainer sees it: definition, drawn questions, audience (drafts) or assignment counts (pushed). */
export interface QuizView {
  id: string;
  title: string;
  status: "draft" | "pushed";
  passMark: number;
  opensAt: string;
  closesAt: string;
  /** the definition as given (selection, count, targets), for the builder to redraw or edit */
  definition: unknown;
  items: QuizItemView[];
  audience: QuizAudience;
  pushedAt: string | null;
  assigned: number;
}

function shuffle<T>(values: T[]): T[] {
  const a = [...values];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Draws a quiz's questions from the bank: the listed question ids in their order, or `count` random
 * questions among those matching every filter given (tags of the linked article, articles,
 * difficulties, types). Too few matches is an error naming how many there are.
 */
async function drawQuestions(deps: Deps, def: QuizDefinition, locale: Locale) {
  const sel = def.selection;
  const { prisma } = deps.db;
  if (sel.questionIds.length > 0) {
    const rows = await prisma.quizQuestion.findMany({ where: { id: { in: sel.questionIds } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = sel.questionIds.filter((id) => !byId.has(id));
    if (missing.length) {
      throw new AppError("invalid_input", { fields: { "selection.questionIds": t(locale, "quiz-question-ids-unknown", { ids: missing.join(", ") }) }, reason: "quiz_questions_unknown" });
    }
    return sel.questionIds.map((id) => byId.get(id)!);
  }
  let articleIds: string[] | null = sel.articleIds.length ? [...sel.articleIds] : null;
  if (sel.tags.length) {
    const articles = await prisma.knowledgeArticle.findMany({ select: { id: true, tags: true } });
    const tagged = articles.filter((a) => (JSON.parse(a.tags) as string[]).some((tag) => sel.tags.includes(tag))).map((a) => a.id);
    articleIds = articleIds ? articleIds.filter((id) => tagged.includes(id)) : tagged;
  }
  const pool = await prisma.quizQuestion.findMany({
    where: {
      ...(articleIds ? { articleId: { in: articleIds } } : {}),
      ...(sel.difficulties.length ? { difficulty: { in: sel.difficulties } } : {}),
      ...(sel.types.length ? { type: { in: sel.types } } : {}),
    },
    orderBy: { id: "asc" },
  });
  if (pool.length === 0) throw new AppError("invalid_input", { fields: { selection: t(locale, "quiz-pool-empty") }, reason: "quiz_pool_empty" });
  if (pool.length < def.count) {
    throw new AppError("invalid_input", { fields: { count: t(locale, "quiz-pool-too-small", { available: pool.length, count: def.count }) }, reason: "quiz_pool_too_small" });
  }
  return shuffle(pool).slice(0, def.count);
}

/**
 * The active users a quiz's targets reach (units listed or of the types listed — none of either = all
 * units — holding one of the roles listed, none = any), and, when nobody, the reason in words: no unit
 * matches, the units have no accounts, or nobody there holds the roles. Unknown unit codes are an error.
 */
export async function quizAudience(deps: Deps, targets: QuizDefinition["targets"], locale: Locale): Promise<{ users: { id: string; unitId: string; chatId: string | null }[]; audience: QuizAudience }> {
  const { prisma } = deps.db;
  if (targets.units.length) {
    const known = await prisma.unit.findMany({ where: { code: { in: targets.units } }, select: { code: true } });
    const missing = targets.units.filter((c) => !known.some((k) => k.code === c));
    if (missing.length) throw new AppError("invalid_input", { fields: { "targets.units": t(locale, "quiz-units-unknown", { codes: missing.join(", ") }) }, reason: "quiz_units_unknown" });
  }
  const unitWhere =
    targets.units.length || targets.unitTypes.length
      ? { OR: [...(targets.units.length ? [{ code: { in: targets.units } }] : []), ...(targets.unitTypes.length ? [{ type: { in: targets.unitTypes as UnitType[] } }] : [])] }
      : {};
  const units = await prisma.unit.findMany({ where: unitWhere, select: { id: true } });
  const none = (problem: string) => ({ users: [], audience: { units: units.length, users: 0, withTelegram: 0, problem } });
  if (units.length === 0) return none(t(locale, "quiz-no-eligible-units"));
  const unitIds = units.map((u) => u.id);
  const inUnits = await prisma.user.count({ where: { active: true, unitId: { in: unitIds } } });
  if (inUnits === 0) return none(t(locale, "quiz-no-eligible-users-in-units", { units: units.length }));
  const users = await prisma.user.findMany({
    where: { active: true, unitId: { in: unitIds }, ...(targets.roles.length ? { roles: { some: { role: { in: targets.roles as Role[] } } } } : {}) },
    select: { id: true, unitId: true, identities: { where: { provider: "telegram" }, select: { chatId: true, subject: true } } },
    orderBy: { id: "asc" },
  });
  if (users.length === 0) {
    return none(t(locale, "quiz-no-eligible-roles", { users: inUnits, roles: targets.roles.map((r) => t(locale, `role-${r}`)).join("、") }));
  }
  const list = users.map((u) => ({ id: u.id, unitId: u.unitId, chatId: u.identities[0] ? (u.identities[0].chatId ?? u.identities[0].subject) : null }));
  return { users: list, audience: { units: units.length, users: list.length, withTelegram: list.filter((u) => u.chatId).length, problem: null } };
}

type QuizRow = { id: string; title: string; definition: string; status: string; passMark: number; opensAt: Date; closesAt: Date; pushedAt: Date | null };
type ItemRow = { position: number; questionId: string; type: string; question: string; options: string; answer: string; explanation: string; articleId: string };

/** Decodes a stored quiz item. */
export function itemView(r: ItemRow): QuizItemView {
  return { position: r.position, questionId: r.questionId, type: r.type as QuizQuestionType, question: r.question, options: JSON.parse(r.options) as string[], answer: r.answer, explanation: r.explanation, articleId: r.articleId };
}

async function viewOf(deps: Deps, quiz: QuizRow, locale: Locale): Promise<QuizView> {
  const { prisma } = deps.db;
  const [items, assigned] = await Promise.all([prisma.quizItem.findMany({ where: { quizId: quiz.id }, orderBy: { position: "asc" } }), prisma.quizAssignment.count({ where: { quizId: quiz.id } })]);
  const definition = JSON.parse(quiz.definition) as { targets: unknown };
  let audience: QuizAudience;
  if (quiz.status === "draft") {
    const targets = parseInput(QuizDefinitionSchema, definition, locale);
    audience = targets.ok ? (await quizAudience(deps, targets.data.targets, locale)).audience : { units: 0, users: 0, withTelegram: 0, problem: t(locale, "quiz-no-eligible-units") };
  } else {
    const withTelegram = await prisma.quizAssignment.count({ where: { quizId: quiz.id, botStatus: { not: "none" } } });
    audience = { units: (await prisma.quizAssignment.groupBy({ by: ["unitId"], where: { quizId: quiz.id } })).length, users: assigned, withTelegram, problem: null };
  }
  return {
    id: quiz.id,
    title: quiz.title,
    status: quiz.status as QuizView["status"],
    passMark: quiz.passMark,
    opensAt: formatCst(quiz.opensAt),
    closesAt: formatCst(quiz.closesAt),
    definition,
    items: items.map(itemView),
    audience,
    pushedAt: quiz.pushedAt?.toISOString() ?? null,
    assigned,
  };
}

/**
 * Builds a draft quiz (mini-app builder, CLI): validates the definition (QuizDefinitionSchema), draws
 * its questions and stores them as copies, so later edits of the bank do not change it. The answer is
 * the preview: questions with answers and who a push would reach (with the reason when nobody).
 */
export async function createQuiz(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<QuizView> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(QuizDefinitionSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const def = parsed.data;
  const questions = await drawQuestions(deps, def, locale);
  await quizAudience(deps, def.targets, locale); // unknown unit codes are refused now, not at push time
  const now = deps.clock.now();
  const quiz = await deps.db.prisma.$transaction(async (tx) => {
    const q = await tx.quiz.create({
      data: {
        title: def.title,
        definition: JSON.stringify(input),
        status: "draft",
        passMark: def.passMark,
        opensAt: def.opensAt,
        closesAt: def.closesAt,
        createdById: isSystemActor(actor) ? null : actor.userId,
        createdAt: now,
        updatedAt: now,
      },
    });
    await tx.quizItem.createMany({
      data: questions.map((r, i) => ({ quizId: q.id, position: i + 1, questionId: r.id, type: r.type, question: r.question, options: r.options, answer: r.answer, explanation: r.explanation, articleId: r.articleId })),
    });
    await writeAudit(tx, deps.clock, { actor, action: "quiz.create", subject: q.id, result: "ok", detail: { count: questions.length } });
    return q;
  });
  return viewOf(deps, quiz, locale);
}

async function loadQuiz(deps: Deps, id: unknown): Promise<QuizRow> {
  const quiz = typeof id === "string" && id.length <= 40 ? await deps.db.prisma.quiz.findUnique({ where: { id } }) : null;
  if (!quiz) throw new AppError("not_found", { messageKey: "quiz-unknown", reason: "quiz_unknown" });
  return quiz;
}

/** One quiz with its items and audience (trainers). */
export async function getQuiz(deps: Deps, actor: Principal | null, id: string, opts: { locale?: Locale } = {}): Promise<QuizView> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  return viewOf(deps, await loadQuiz(deps, id), opts.locale ?? DEFAULT_LOCALE);
}

/** The trainer's list of quizzes, newest first (no items). */
export async function listQuizzes(deps: Deps, actor: Principal | null): Promise<{ id: string; title: string; status: string; opensAt: string; closesAt: string; assigned: number; finished: number }[]> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const rows = await deps.db.prisma.quiz.findMany({ orderBy: { createdAt: "desc" }, take: 100, include: { _count: { select: { assignments: true } } } });
  const finished = await deps.db.prisma.quizAssignment.groupBy({ by: ["quizId"], where: { quizId: { in: rows.map((r) => r.id) }, finishedAt: { not: null } }, _count: { _all: true } });
  const f = new Map(finished.map((x) => [x.quizId, x._count._all]));
  return rows.map((r) => ({ id: r.id, title: r.title, status: r.status, opensAt: formatCst(r.opensAt), closesAt: formatCst(r.closesAt), assigned: r._count.assignments, finished: f.get(r.id) ?? 0 }));
}

/** What a push did: how many were assigned, how many get a Telegram message too. */
export interface QuizPushResult {
  quizId: string;
  assigned: number;
  botQueued: number;
  /** true when the quiz had already been pushed (a retry): nothing new was assigned or queued */
  alreadyPushed: boolean;
}

/**
 * Pushes a draft quiz to its targets, once: refused before anything is written when the close time
 * has passed or nobody is eligible (with the reason). In one transaction the quiz turns `pushed`
 * (a conditional update: of two pushes racing, one wins), every eligible user gets one assignment
 * (unique per quiz and user) and those with Telegram one outbox message with a start button. The
 * mini-app's 待完成的测验 card reads the assignments. Pushing again answers the first push's figures.
 */
export async function pushQuiz(deps: Deps, actor: Principal | null, id: string, opts: { locale?: Locale } = {}): Promise<QuizPushResult> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const quiz = await loadQuiz(deps, id);
  const prisma = deps.db.prisma;
  const already = async (): Promise<QuizPushResult> => ({
    quizId: quiz.id,
    assigned: await prisma.quizAssignment.count({ where: { quizId: quiz.id } }),
    botQueued: await prisma.quizAssignment.count({ where: { quizId: quiz.id, botStatus: { not: "none" } } }),
    alreadyPushed: true,
  });
  if (quiz.status === "pushed") return already();
  const now = deps.clock.now();
  if (quiz.closesAt.getTime() <= now.getTime()) throw new AppError("invalid_input", { messageKey: "quiz-close-passed", fields: { closesAt: t(locale, "quiz-close-passed") }, reason: "quiz_closed" });
  const parsed = parseInput(QuizDefinitionSchema, JSON.parse(quiz.definition), locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const { users, audience } = await quizAudience(deps, parsed.data.targets, locale);
  if (audience.problem) throw new AppError("invalid_input", { fields: { targets: audience.problem }, reason: "quiz_no_eligible_users" });
  const count = await prisma.quizItem.count({ where: { quizId: quiz.id } });
  const result = await prisma.$transaction(async (tx) => {
    const turned = await tx.quiz.updateMany({ where: { id: quiz.id, status: "draft" }, data: { status: "pushed", pushedAt: now, updatedAt: now } });
    if (turned.count === 0) return null;
    const rows = users.map((u) => ({ quizId: quiz.id, userId: u.id, unitId: u.unitId, assignedAt: now, botStatus: u.chatId ? "queued" : "none" }));
    for (let i = 0; i < rows.length; i += 500) await tx.quizAssignment.createMany({ data: rows.slice(i, i + 500) });
    const assigned = await tx.quizAssignment.findMany({ where: { quizId: quiz.id }, select: { id: true, userId: true, botStatus: true } });
    const msgs = assigned
      .filter((a) => a.botStatus === "queued")
      .map((a) => ({
        userId: a.userId,
        dedupeKey: `quiz-push:${a.id}`,
        payload: {
          key: "quiz-push-notice" as const,
          params: { title: quiz.title, count, passMark: quiz.passMark, closesAt: formatCst(quiz.closesAt) },
          buttons: [[{ key: "quiz-push-start" as const, data: `qz:go:${a.id}` }]],
          ref: { kind: "quiz_assignment" as const, id: a.id },
        },
      }));
    for (let i = 0; i < msgs.length; i += 500) await enqueueMessages(tx, msgs.slice(i, i + 500), now);
    await writeAudit(tx, deps.clock, { actor, action: "quiz.push", subject: quiz.id, result: "ok", detail: { assigned: assigned.length, bot: msgs.length } });
    return { quizId: quiz.id, assigned: assigned.length, botQueued: msgs.length, alreadyPushed: false };
  });
  return result ?? already();
}
