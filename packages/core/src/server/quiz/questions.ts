import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import {
  QUIZ_CSV_COLUMNS,
  QuizQuestionEditSchema,
  QuizQuestionIdSchema,
  QuizQuestionListQuerySchema,
  QuizQuestionSchema,
  type QuizDifficulty,
  type QuizQuestionContent,
  type QuizQuestionType,
} from "../../domain/quiz/schemas.ts";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import type { Deps } from "../deps.ts";
import { isSystemActor, requireRole, systemActor, type Principal } from "./identity.ts";
import { readCsvLines } from "./csv.ts";

/** Who manages the question bank and quizzes: the tax bureau's trainers. */
export const QUIZ_TRAINER_ROLES = ["trainer"] as const;

/** The question bank `npm start` loads into a database that has no question: the repository's seed/quiz/questions.csv. */
export const SEED_QUIZ_FILE = resolve(import.meta.dirname, "../../../../../seed/quiz/questions.csv");

/** Largest question bank file an import reads (a 150-question bank is 40 KB). */
export const QUIZ_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** `quiz import`'s answer (DESIGN.md): new ids, ids that existed, and the rows refused by line (header = line 1). */
export interface QuizImportSummary {
  imported: number;
  /** ids that existed: re-imported (a new revision only when the text changed) */
  updated: number;
  /** of `updated`, how many were identical to the stored question */
  unchanged: number;
  rejected: { line: number; reason: string }[];
  dryRun: boolean;
}

/** A question as trainers see it (with the answer). */
export interface QuizQuestionView extends QuizQuestionContent {
  id: string;
  revision: number;
  articleTitle: string | null;
  updatedAt: string;
}

type QuestionRow = {
  id: string;
  type: string;
  question: string;
  options: string;
  answer: string;
  explanation: string;
  articleId: string;
  difficulty: string;
  revision: number;
  updatedAt: Date;
};

/** Decodes a stored question row. */
export function questionContent(row: Omit<QuestionRow, "revision" | "updatedAt" | "id">): QuizQuestionContent {
  return {
    type: row.type as QuizQuestionType,
    question: row.question,
    options: JSON.parse(row.options) as string[],
    answer: row.answer,
    explanation: row.explanation,
    articleId: row.articleId,
    difficulty: row.difficulty as QuizDifficulty,
  };
}

function encode(q: QuizQuestionContent) {
  return { type: q.type, question: q.question, options: JSON.stringify(q.options), answer: q.answer, explanation: q.explanation, articleId: q.articleId, difficulty: q.difficulty };
}

function sameQuestion(a: QuizQuestionContent, b: QuizQuestionContent): boolean {
  return JSON.stringify(encode(a)) === JSON.stringify(encode(b));
}

function reasonOf(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([field, message]) => (field ? `${field}: ${message}` : message))
    .join("; ");
}

/** Article ids and titles, for the "unknown article" rule and the views. */
async function articleTitles(deps: Deps): Promise<Map<string, string>> {
  const rows = await deps.db.prisma.knowledgeArticle.findMany({ select: { id: true, title: true } });
  return new Map(rows.map((r) => [r.id, r.title]));
}

/**
 * Imports the question bank CSV (../shared/data/README.md: `id,type,question,option_a..option_d,answer,
 * explanation,article_id,difficulty`), streamed through csv-parse. Every row is validated on its own
 * (QuizQuestionSchema, plus: the article exists, the id is not repeated in the file) and either written
 * whole or rejected with its line (header = line 1) and reason; the other rows still import. Idempotent
 * by question id: a known id is updated (a new revision only when its text changed), never duplicated.
 * A wrong header or encoding refuses the whole file. `dryRun` reports the same counts and writes nothing.
 * The CLI and the seed act as the operator; a signed-in caller must be a trainer.
 */
export async function importQuizQuestions(
  deps: Deps,
  actor: Principal | null,
  source: AsyncIterable<Buffer | string>,
  opts: { dryRun?: boolean; locale?: Locale; fileName?: string; maxBytes?: number } = {},
): Promise<QuizImportSummary> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const dryRun = opts.dryRun ?? false;
  const summary: QuizImportSummary = { imported: 0, updated: 0, unchanged: 0, rejected: [], dryRun };
  const articles = await articleTitles(deps);
  const existing = new Map(
    (await deps.db.prisma.quizQuestion.findMany()).map((r) => [r.id, { content: questionContent(r), revision: r.revision }]),
  );
  const seen = new Map<string, number>();
  type Write = { id: string; content: QuizQuestionContent; revision: number; create: boolean };
  const writes: Write[] = [];
  let header = false;
  for await (const rec of readCsvLines(source, { maxBytes: opts.maxBytes ?? QUIZ_IMPORT_MAX_BYTES })) {
    if (!header) {
      const names = "values" in rec ? rec.values.map((v) => v.trim().toLowerCase()) : [];
      if (names.join(",") !== QUIZ_CSV_COLUMNS.join(",")) {
        throw new AppError("invalid_input", {
          messageKey: "quiz-import-header",
          params: { columns: QUIZ_CSV_COLUMNS.join(",") },
          fields: { file: t(locale, "quiz-import-header", { columns: QUIZ_CSV_COLUMNS.join(",") }) },
          reason: "quiz_import_header",
        });
      }
      header = true;
      continue;
    }
    if ("broken" in rec) {
      summary.rejected.push({ line: rec.line, reason: rec.broken === "unclosed" ? t(locale, "quiz-import-broken", { line: rec.line }) : t(locale, "field-invalid") });
      continue;
    }
    if (rec.values.length !== QUIZ_CSV_COLUMNS.length) {
      summary.rejected.push({ line: rec.line, reason: t(locale, "quiz-import-header", { columns: QUIZ_CSV_COLUMNS.join(",") }) });
      continue;
    }
    const row = Object.fromEntries(QUIZ_CSV_COLUMNS.map((c, i) => [c, rec.values[i] ?? ""]));
    const parsed = parseInput(QuizQuestionSchema, row, locale);
    const fields: Record<string, string> = parsed.ok ? {} : { ...parsed.fields };
    if (parsed.ok && !articles.has(parsed.data.articleId)) fields.article_id = t(locale, "quiz-article-unknown", { id: parsed.data.articleId });
    if (Object.keys(fields).length > 0 || !parsed.ok) {
      summary.rejected.push({ line: rec.line, reason: reasonOf(fields) });
      continue;
    }
    const q = parsed.data;
    const earlier = seen.get(q.id);
    if (earlier !== undefined) {
      summary.rejected.push({ line: rec.line, reason: `id: ${t(locale, "quiz-import-duplicate-id", { id: q.id, line: earlier })}` });
      continue;
    }
    seen.set(q.id, rec.line);
    const { id, ...content } = q;
    const stored = existing.get(id);
    if (!stored) {
      summary.imported++;
      writes.push({ id, content, revision: 1, create: true });
    } else {
      summary.updated++;
      if (sameQuestion(stored.content, content)) summary.unchanged++;
      else writes.push({ id, content, revision: stored.revision + 1, create: false });
    }
  }
  if (!header) throw new AppError("invalid_input", { messageKey: "quiz-import-empty", fields: { file: t(locale, "quiz-import-empty") }, reason: "quiz_import_empty" });
  if (dryRun) return summary;
  const now = deps.clock.now();
  const author = !actor || isSystemActor(actor) ? null : actor.userId;
  // One transaction per 500 rows: a row is written whole or not at all, and a file of thousands of
  // questions does not hold the write lock for long.
  for (let i = 0; i < writes.length; i += 500) {
    const chunk = writes.slice(i, i + 500);
    await deps.db.prisma.$transaction(async (tx) => {
      const creates = chunk.filter((w) => w.create);
      if (creates.length) {
        await tx.quizQuestion.createMany({
          data: creates.map((w) => ({ id: w.id, ...encode(w.content), revision: 1, createdAt: now, updatedAt: now, updatedById: author })),
        });
      }
      for (const w of chunk.filter((x) => !x.create)) {
        await tx.quizQuestion.update({ where: { id: w.id }, data: { ...encode(w.content), revision: w.revision, updatedAt: now, updatedById: author } });
      }
    });
  }
  await writeAudit(deps.db.prisma, deps.clock, {
    actor: actor!,
    action: "quiz.import",
    subject: opts.fileName?.slice(0, 200) ?? null,
    result: "ok",
    detail: { imported: summary.imported, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected.length },
  });
  return summary;
}

/** Imports a question bank file from disk (CLI, seed). */
export function importQuizFile(deps: Deps, actor: Principal, path: string, opts: { dryRun?: boolean; locale?: Locale } = {}): Promise<QuizImportSummary> {
  return importQuizQuestions(deps, actor, createReadStream(path), { ...opts, fileName: path.split("/").pop() ?? path });
}

/**
 * Loads the seed question bank into a database that has no question yet (after the knowledge base,
 * whose articles the questions link to); returns how many were added.
 */
export async function seedQuizQuestions(deps: Deps, file: string = SEED_QUIZ_FILE): Promise<number> {
  if ((await deps.db.prisma.quizQuestion.count()) > 0) return 0;
  const summary = await importQuizFile(deps, systemActor("seed"), file);
  if (summary.rejected.length) deps.logger.warn({ rejected: summary.rejected.slice(0, 5) }, "seed questions rejected");
  return summary.imported;
}

function toView(row: QuestionRow, titles: Map<string, string>): QuizQuestionView {
  return { id: row.id, ...questionContent(row), revision: row.revision, articleTitle: titles.get(row.articleId) ?? null, updatedAt: row.updatedAt.toISOString() };
}

/** The trainer's question bank list: filtered by type, difficulty, article or text; total for paging. */
export async function listQuizQuestions(deps: Deps, actor: Principal | null, query: unknown, opts: { locale?: Locale } = {}): Promise<{ total: number; questions: QuizQuestionView[] }> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const parsed = parseInput(QuizQuestionListQuerySchema, query ?? {}, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const q = parsed.data;
  const where = {
    ...(q.type ? { type: q.type } : {}),
    ...(q.difficulty ? { difficulty: q.difficulty } : {}),
    ...(q.articleId ? { articleId: q.articleId } : {}),
    ...(q.q ? { OR: [{ question: { contains: q.q } }, { id: { equals: q.q.toUpperCase() } }] } : {}),
  };
  const [total, rows, titles] = await Promise.all([
    deps.db.prisma.quizQuestion.count({ where }),
    deps.db.prisma.quizQuestion.findMany({ where, orderBy: { id: "asc" }, skip: q.offset, take: q.limit }),
    articleTitles(deps),
  ]);
  return { total, questions: rows.map((r) => toView(r, titles)) };
}

function parseQuestionId(id: unknown): string {
  const parsed = QuizQuestionIdSchema.safeParse(id);
  if (!parsed.success) throw new AppError("not_found", { messageKey: "quiz-question-unknown", reason: "quiz_question_unknown" });
  return parsed.data;
}

/** One question of the bank, with its answer (trainers). */
export async function getQuizQuestion(deps: Deps, actor: Principal | null, id: string): Promise<QuizQuestionView> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const row = await deps.db.prisma.quizQuestion.findUnique({ where: { id: parseQuestionId(id) } });
  if (!row) throw new AppError("not_found", { messageKey: "quiz-question-unknown", reason: "quiz_question_unknown" });
  return toView(row, await articleTitles(deps));
}

/**
 * A trainer's edit of one question (QuizQuestionEditSchema: the import's rules, plus the article must
 * exist). Saved only if the question is still at `baseRevision`: otherwise 409 and nothing changes.
 * Quizzes already drawn keep their copy.
 */
export async function saveQuizQuestion(deps: Deps, actor: Principal | null, id: string, input: unknown, opts: { locale?: Locale } = {}): Promise<QuizQuestionView> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const qid = parseQuestionId(id);
  const parsed = parseInput(QuizQuestionEditSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const { baseRevision, ...content } = parsed.data;
  const titles = await articleTitles(deps);
  if (!titles.has(content.articleId)) {
    throw new AppError("invalid_input", { fields: { articleId: t(locale, "quiz-article-unknown", { id: content.articleId }) }, reason: "quiz_article_unknown" });
  }
  const now = deps.clock.now();
  const author = isSystemActor(actor) ? null : actor.userId;
  const row = await deps.db.prisma.$transaction(async (tx) => {
    const current = await tx.quizQuestion.findUnique({ where: { id: qid } });
    if (!current) throw new AppError("not_found", { messageKey: "quiz-question-unknown", reason: "quiz_question_unknown" });
    if (sameQuestion(questionContent(current), content) && current.revision === baseRevision) return current;
    const changed = await tx.quizQuestion.updateMany({
      where: { id: qid, revision: baseRevision },
      data: { ...encode(content), revision: baseRevision + 1, updatedAt: now, updatedById: author },
    });
    if (changed.count === 0) {
      throw new AppError("conflict", { messageKey: "quiz-question-conflict", params: { revision: current.revision }, reason: "quiz_question_stale" });
    }
    await writeAudit(tx, deps.clock, { actor, action: "quiz.question.edit", subject: qid, result: "ok", detail: { revision: baseRevision + 1 } });
    return tx.quizQuestion.findUniqueOrThrow({ where: { id: qid } });
  });
  return toView(row, titles);
}

/** What the builder offers to pick from: tags and articles that have questions, counts per difficulty and type. */
export interface QuizBankFacets {
  total: number;
  tags: { tag: string; count: number }[];
  articles: { id: string; title: string; count: number }[];
  difficulties: { difficulty: QuizDifficulty; count: number }[];
  types: { type: QuizQuestionType; count: number }[];
}

/** The bank's facets for the quiz builder (trainers). */
export async function quizBankFacets(deps: Deps, actor: Principal | null): Promise<QuizBankFacets> {
  requireRole(actor, ...QUIZ_TRAINER_ROLES);
  const [questions, articles] = await Promise.all([
    deps.db.prisma.quizQuestion.findMany({ select: { articleId: true, difficulty: true, type: true } }),
    deps.db.prisma.knowledgeArticle.findMany({ select: { id: true, title: true, tags: true }, orderBy: { id: "asc" } }),
  ]);
  const byArticle = new Map<string, number>();
  const byDifficulty = new Map<string, number>();
  const byType = new Map<string, number>();
  for (const q of questions) {
    byArticle.set(q.articleId, (byArticle.get(q.articleId) ?? 0) + 1);
    byDifficulty.set(q.difficulty, (byDifficulty.get(q.difficulty) ?? 0) + 1);
    byType.set(q.type, (byType.get(q.type) ?? 0) + 1);
  }
  const byTag = new Map<string, number>();
  for (const a of articles) {
    const n = byArticle.get(a.id) ?? 0;
    if (!n) continue;
    for (const tag of JSON.parse(a.tags) as string[]) byTag.set(tag, (byTag.get(tag) ?? 0) + n);
  }
  return {
    total: questions.length,
    tags: [...byTag].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
    articles: articles.filter((a) => byArticle.has(a.id)).map((a) => ({ id: a.id, title: a.title, count: byArticle.get(a.id)! })),
    difficulties: (["easy", "medium", "hard"] as const).map((difficulty) => ({ difficulty, count: byDifficulty.get(difficulty) ?? 0 })),
    types: (["single", "multi", "judge"] as const).map((type) => ({ type, count: byType.get(type) ?? 0 })),
  };
}
