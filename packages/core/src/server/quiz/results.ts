import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { cstDate, formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import { enqueueMessage } from "../outbox.ts";
import type { Deps } from "../deps.ts";
import { requireRole, type Principal } from "./identity.ts";
import { QUIZ_TRAINER_ROLES } from "./questions.ts";

/** One taker's line of a quiz's results. */
export interface QuizUserResult {
  userId: string;
  name: string;
  unitCode: string;
  unitName: string;
  status: "not_started" | "in_progress" | "finished";
  answered: number;
  correct: number;
  score: number | null;
  passed: boolean | null;
  /** seconds from the first answer to the last (finished takers) */
  seconds: number | null;
  /** positions answered wrong */
  wrong: number[];
  botStatus: string;
}

/** One unit's line: invited, started, finished, passed, average score of those who finished. */
export interface QuizUnitResult {
  unitCode: string;
  unitName: string;
  invited: number;
  started: number;
  finished: number;
  passed: number;
  averageScore: number | null;
}

/** One question's line: answers, share wrong, the most chosen wrong option. */
export interface QuizQuestionResult {
  position: number;
  questionId: string;
  question: string;
  answer: string;
  answered: number;
  wrongShare: number | null;
  topWrong: string | null;
  topWrongCount: number;
}

/** Everything the trainer's results page and the exports show of one pushed quiz. */
export interface QuizResults {
  quizId: string;
  title: string;
  passMark: number;
  closesAt: string;
  users: QuizUserResult[];
  units: QuizUnitResult[];
  questions: QuizQuestionResult[];
}

/**
 * The results of a quiz for trainers (and the CLI operator): per user (score, time taken, wrong
 * answers), per unit (invited, started, finished, passed, average score) and per question (share
 * wrong, most-chosen wrong option), computed from the assignments and answers.
 */
export async function quizResults(deps: Deps, actor: Principal | null, quizId: string): Promise<QuizResults> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const { prisma } = deps.db;
  const quiz = typeof quizId === "string" && quizId.length <= 40 ? await prisma.quiz.findUnique({ where: { id: quizId } }) : null;
  if (!quiz) throw new AppError("not_found", { messageKey: "quiz-unknown", reason: "quiz_unknown" });
  const [items, assignments, answers] = await Promise.all([
    prisma.quizItem.findMany({ where: { quizId: quiz.id }, orderBy: { position: "asc" } }),
    prisma.quizAssignment.findMany({ where: { quizId: quiz.id }, orderBy: { assignedAt: "asc" } }),
    prisma.quizAnswer.findMany({ where: { quizId: quiz.id }, orderBy: { at: "asc" } }),
  ]);
  const users = new Map((await prisma.user.findMany({ where: { id: { in: assignments.map((a) => a.userId) } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const units = new Map((await prisma.unit.findMany({ where: { id: { in: [...new Set(assignments.map((a) => a.unitId))] } } })).map((u) => [u.id, u]));
  const byAssignment = new Map<string, typeof answers>();
  for (const a of answers) byAssignment.set(a.assignmentId, [...(byAssignment.get(a.assignmentId) ?? []), a]);
  const userRows: QuizUserResult[] = assignments.map((a) => {
    const mine = byAssignment.get(a.id) ?? [];
    const unit = units.get(a.unitId);
    const first = mine[0]?.at;
    const last = mine[mine.length - 1]?.at;
    return {
      userId: a.userId,
      name: users.get(a.userId) ?? "",
      unitCode: unit?.code ?? "",
      unitName: unit?.name ?? "",
      status: a.finishedAt ? "finished" : mine.length ? "in_progress" : "not_started",
      answered: mine.length,
      correct: mine.filter((x) => x.correct).length,
      score: a.score,
      passed: a.passed,
      seconds: a.finishedAt && first && last ? Math.round((last.getTime() - first.getTime()) / 1000) : null,
      wrong: mine.filter((x) => !x.correct).map((x) => x.position).sort((x, y) => x - y),
      botStatus: a.botStatus,
    };
  });
  const unitRows = new Map<string, QuizUnitResult & { scores: number[] }>();
  for (const u of userRows) {
    const row = unitRows.get(u.unitCode) ?? { unitCode: u.unitCode, unitName: u.unitName, invited: 0, started: 0, finished: 0, passed: 0, averageScore: null, scores: [] };
    row.invited++;
    if (u.status !== "not_started") row.started++;
    if (u.status === "finished") {
      row.finished++;
      if (u.passed) row.passed++;
      row.scores.push(u.score ?? 0);
    }
    unitRows.set(u.unitCode, row);
  }
  const questionRows = items.map((i) => {
    const mine = answers.filter((a) => a.position === i.position);
    const wrongs = mine.filter((a) => !a.correct);
    const counts = new Map<string, number>();
    for (const w of wrongs) counts.set(w.chosen, (counts.get(w.chosen) ?? 0) + 1);
    const top = [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0];
    return {
      position: i.position,
      questionId: i.questionId,
      question: i.question,
      answer: i.answer,
      answered: mine.length,
      wrongShare: mine.length ? Math.round((100 * wrongs.length) / mine.length) : null,
      topWrong: top?.[0] ?? null,
      topWrongCount: top?.[1] ?? 0,
    };
  });
  return {
    quizId: quiz.id,
    title: quiz.title,
    passMark: quiz.passMark,
    closesAt: formatCst(quiz.closesAt),
    users: userRows,
    units: [...unitRows.values()].map(({ scores, ...u }) => ({ ...u, averageScore: scores.length ? Math.round(scores.reduce((s, x) => s + x, 0) / scores.length) : null })),
    questions: questionRows,
  };
}

/** What an export asks for: csv or xlsx. */
export const QuizExportSchema = z.strictObject({ format: z.enum(["csv", "xlsx"]) });

function safeCell(v: unknown): string | number {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return v;
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * Exports a quiz's results (per user; XLSX also per unit and per question on their own sheets) with
 * headers in the caller's language; CSV is UTF-8 with a BOM for Excel; formula-looking cells are
 * neutralised. Trainers or the CLI operator; audited.
 */
export async function exportQuizResults(deps: Deps, actor: Principal | null, quizId: string, input: unknown, opts: { locale?: Locale } = {}): Promise<{ fileName: string; contentType: string; body: Buffer }> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(QuizExportSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const r = await quizResults(deps, actor, quizId);
  const status = (s: QuizUserResult["status"]) => t(locale, `quiz-result-${s.replace("_", "-") as "not-started" | "in-progress" | "finished"}`);
  const yes = (b: boolean | null) => (b === null ? "" : t(locale, b ? "quiz-yes" : "quiz-no"));
  const userHead = ["quiz-col-name", "quiz-col-unit", "quiz-col-status", "quiz-col-answered", "quiz-col-correct", "quiz-col-score", "quiz-col-passed", "quiz-col-seconds", "quiz-col-wrong"] as const;
  const userRows = r.users.map((u) => [u.name, u.unitName, status(u.status), u.answered, u.correct, u.score ?? "", yes(u.passed), u.seconds ?? "", u.wrong.join(",")]);
  const base = `quiz-${cstDate(deps.clock.now())}-${r.quizId.slice(-6)}`;
  let out: { fileName: string; contentType: string; body: Buffer };
  if (parsed.data.format === "csv") {
    const text = stringify([userHead.map((k) => t(locale, k)), ...userRows.map((row) => row.map(safeCell))]);
    out = { fileName: `${base}.csv`, contentType: "text/csv; charset=utf-8", body: Buffer.concat([Buffer.from("\uFEFF"), Buffer.from(text)]) };
  } else {
    const wb = new ExcelJS.Workbook();
    const add = (name: string, head: string[], rows: unknown[][]) => {
      const ws = wb.addWorksheet(name);
      ws.addRow(head);
      ws.getRow(1).font = { bold: true };
      for (const row of rows) ws.addRow(row.map(safeCell));
    };
    add(t(locale, "quiz-sheet-users"), userHead.map((k) => t(locale, k)), userRows);
    add(
      t(locale, "quiz-sheet-units"),
      (["quiz-col-unit", "quiz-col-invited", "quiz-col-started", "quiz-col-finished", "quiz-col-passed-count", "quiz-col-average"] as const).map((k) => t(locale, k)),
      r.units.map((u) => [u.unitName, u.invited, u.started, u.finished, u.passed, u.averageScore ?? ""]),
    );
    add(
      t(locale, "quiz-sheet-questions"),
      (["quiz-col-position", "quiz-col-question", "quiz-col-answer", "quiz-col-answered", "quiz-col-wrong-share", "quiz-col-top-wrong"] as const).map((k) => t(locale, k)),
      r.questions.map((q) => [q.position, q.question, q.answer, q.answered, q.wrongShare ?? "", q.topWrong ?? ""]),
    );
    out = { fileName: `${base}.xlsx`, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body: Buffer.from(await wb.xlsx.writeBuffer()) };
  }
  await writeAudit(deps.db.prisma, deps.clock, { actor, action: "quiz.export", subject: r.quizId, result: "ok", detail: { format: parsed.data.format, rows: r.users.length } });
  return out;
}

/**
 * Reminds everyone assigned a quiz who has not finished it and has Telegram (the mini-app card stays
 * anyway): one outbox message each per CST day (a second tap the same day queues nothing new).
 * Refused after the close time. Returns how many were queued now.
 */
export async function remindQuiz(deps: Deps, actor: Principal | null, quizId: string): Promise<{ queued: number; unfinished: number }> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const { prisma } = deps.db;
  const quiz = typeof quizId === "string" && quizId.length <= 40 ? await prisma.quiz.findUnique({ where: { id: quizId }, include: { _count: { select: { items: true } } } }) : null;
  if (!quiz) throw new AppError("not_found", { messageKey: "quiz-unknown", reason: "quiz_unknown" });
  const now = deps.clock.now();
  if (now.getTime() >= quiz.closesAt.getTime()) throw new AppError("conflict", { messageKey: "quiz-closed", params: { closesAt: formatCst(quiz.closesAt) }, reason: "quiz_closed" });
  const open = await prisma.quizAssignment.findMany({ where: { quizId: quiz.id, finishedAt: null }, include: { _count: { select: { answers: true } } } });
  const reachable = open.filter((a) => a.botStatus === "sent" || a.botStatus === "queued");
  const day = cstDate(now);
  let queued = 0;
  for (const a of reachable) {
    const before = await prisma.outbox.count({ where: { dedupeKey: `quiz-remind:${a.id}:${day}` } });
    await enqueueMessage(prisma, {
      userId: a.userId,
      now,
      dedupeKey: `quiz-remind:${a.id}:${day}`,
      payload: {
        key: "quiz-remind-notice",
        params: { title: quiz.title, answered: a._count.answers, count: quiz._count.items, closesAt: formatCst(quiz.closesAt) },
        buttons: [[{ key: "quiz-push-start", data: `qz:go:${a.id}` }]],
      },
    });
    if (before === 0) queued++;
  }
  await prisma.quizAssignment.updateMany({ where: { id: { in: reachable.map((a) => a.id) } }, data: { remindedAt: now } });
  await writeAudit(prisma, deps.clock, { actor, action: "quiz.remind", subject: quiz.id, result: "ok", detail: { queued } });
  return { queued, unfinished: open.length };
}
