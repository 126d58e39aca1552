import { z } from "zod";
import { hasControlChars, normalizeText } from "../text.ts";
import { KnowledgeArticleIdSchema } from "../knowledge/schemas.ts";
import { RoleSchema, UnitCodeSchema, UnitTypeSchema } from "../units.ts";
import { parseCstDateTime } from "../reports/fields.ts";

/**
 * Question types of the bank (../shared/data/README.md): one answer, several answers, true/false.
 * Stored and used in the CSV: never rename them.
 */
export const QUIZ_QUESTION_TYPES = ["single", "multi", "judge"] as const;
/** Validates a question type. */
export const QuizQuestionTypeSchema = z.enum(QUIZ_QUESTION_TYPES, { message: "quiz-type-unknown" });
export type QuizQuestionType = z.infer<typeof QuizQuestionTypeSchema>;

/** Difficulty levels of the bank. Stored and used in the CSV: never rename them. */
export const QUIZ_DIFFICULTIES = ["easy", "medium", "hard"] as const;
/** Validates a difficulty. */
export const QuizDifficultySchema = z.enum(QUIZ_DIFFICULTIES, { message: "quiz-difficulty-unknown" });
export type QuizDifficulty = z.infer<typeof QuizDifficultySchema>;

/** Option letters, in order. A question has two to four options (A and B always). */
export const QUIZ_LETTERS = ["A", "B", "C", "D"] as const;
export type QuizLetter = (typeof QUIZ_LETTERS)[number];

/**
 * Telegram's quiz poll limits (Bot API sendPoll), which every question must fit because the bot asks
 * it as a poll: question 1-300 characters, options 1-100, explanation 0-200 with at most 2 line breaks.
 */
export const QUIZ_LIMITS = { question: 300, option: 100, explanation: 200, explanationLineBreaks: 2 } as const;

/** The two options of a true/false question, in this order (A = 正确, B = 错误). */
export const JUDGE_OPTIONS = ["正确", "错误"] as const;

/** Question ids are Q followed by three or more digits (Q001-Q150 ship as seed content). */
export const QuizQuestionIdSchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^Q\d{3,6}$/, { message: "quiz-id-format" }));

/** Single-line text: no control characters, runs of whitespace folded, Chinese punctuation kept. */
function cleanLine(value: string): string {
  return value.normalize("NFC").replace(/[\u200B-\u200D\u2060\uFEFF]/g, "").replace(/\s+/g, " ").trim();
}

const line = (max: number) =>
  z
    .string()
    .refine((v) => !hasControlChars(v), { message: "field-invalid" })
    .transform(cleanLine)
    .pipe(z.string().min(1).max(max));

const optionalOption = z
  .string()
  .refine((v) => !hasControlChars(v), { message: "field-invalid" })
  .transform(cleanLine)
  .pipe(z.string().max(QUIZ_LIMITS.option));

/** An explanation keeps its line breaks (at most two, as Telegram allows); other whitespace is folded. */
const ExplanationSchema = z
  .string()
  .refine((v) => !hasControlChars(v.replace(/\r/g, "")), { message: "field-invalid" })
  .transform((v) =>
    v
      .normalize("NFC")
      .replace(/\r\n?/g, "\n")
      .replace(/[\u200B-\u200D\u2060\uFEFF]/g, "")
      .split("\n")
      .map((l) => l.replace(/[^\S\n]+/g, " ").trim())
      .join("\n")
      .trim(),
  )
  .pipe(
    z
      .string()
      .min(1)
      .max(QUIZ_LIMITS.explanation)
      .refine((v) => (v.match(/\n/g) ?? []).length <= QUIZ_LIMITS.explanationLineBreaks, { message: "quiz-explanation-lines" }),
  );

/**
 * Answer letters as people type them: full-width, lower case, spaces or commas between (Ａ, "a,c d")
 * folded to capitals without separators. The order is kept: the rules below check it.
 */
export function normalizeLetters(value: string): string {
  return normalizeText(value).toUpperCase().replace(/[\s,，、;；/]+/g, "");
}

/** True when the letters are in alphabetical order without repeats (ACD, never CA or AAC). */
export function isSortedLetters(letters: string): boolean {
  for (let i = 1; i < letters.length; i++) if (letters[i - 1]! >= letters[i]!) return false;
  return true;
}

/** The content of one question, whatever its source (CSV row or editor): what the rules check. */
export interface QuizQuestionContent {
  type: QuizQuestionType;
  question: string;
  /** option texts A.. (2-4, no gaps) */
  options: string[];
  /** correct letters, sorted */
  answer: string;
  explanation: string;
  articleId: string;
  difficulty: QuizDifficulty;
}

type Issue = { path: string; message: string; params?: Record<string, string | number> };

/**
 * The rules a question must meet beyond its field formats: options present without gaps (A and B
 * always; multi at least three; judge exactly 正确/错误), answer letters among the options, a single or
 * true/false question with exactly one answer, a multi with at least two letters in alphabetical order.
 * `paths` names the fields as the caller's input does (CSV columns or editor fields).
 */
export function quizQuestionIssues(
  q: { type: QuizQuestionType; options: readonly string[]; answer: string },
  paths: { option: (index: number) => string; answer: string },
): Issue[] {
  const issues: Issue[] = [];
  const present = q.options.map((o) => o.length > 0);
  const count = present.lastIndexOf(true) + 1;
  for (let i = 0; i < Math.max(count, 2); i++) {
    if (!present[i]) issues.push({ path: paths.option(i), message: i < 2 ? "quiz-option-required" : "quiz-option-gap", params: { letter: QUIZ_LETTERS[i]! } });
  }
  if (q.type === "judge") {
    if (q.options[0] !== JUDGE_OPTIONS[0] || q.options[1] !== JUDGE_OPTIONS[1] || count > 2) {
      issues.push({ path: paths.option(0), message: "quiz-judge-options" });
    }
  } else if (q.type === "multi" && count < 3) {
    issues.push({ path: paths.option(count), message: "quiz-multi-options", params: { letter: QUIZ_LETTERS[Math.min(count, 3)]! } });
  }
  const letters = q.answer;
  if (!letters) {
    issues.push({ path: paths.answer, message: "field-required" });
    return issues;
  }
  const bad = [...letters].filter((l) => !QUIZ_LETTERS.slice(0, count).includes(l as QuizLetter));
  if (bad.length > 0) {
    const letter = [...new Set(bad)].join("");
    const valid = QUIZ_LETTERS.slice(0, Math.max(count, 1)).join("");
    issues.push({ path: paths.answer, message: /^[A-Z]+$/.test(letter) ? "quiz-answer-not-option" : "quiz-answer-letters", params: { letter, valid } });
    return issues;
  }
  if (q.type !== "multi" && letters.length !== 1) {
    issues.push({ path: paths.answer, message: q.type === "judge" ? "quiz-answer-judge-one" : "quiz-answer-single-one", params: { answer: letters } });
  } else if (q.type === "multi" && letters.length < 2) {
    issues.push({ path: paths.answer, message: "quiz-answer-multi-two" });
  } else if (!isSortedLetters(letters)) {
    issues.push({ path: paths.answer, message: "quiz-answer-sorted", params: { sorted: [...new Set(letters)].sort().join("") } });
  }
  return issues;
}

/** The CSV's columns, in file order (../shared/data/README.md). */
export const QUIZ_CSV_COLUMNS = ["id", "type", "question", "option_a", "option_b", "option_c", "option_d", "answer", "explanation", "article_id", "difficulty"] as const;
export type QuizCsvColumn = (typeof QUIZ_CSV_COLUMNS)[number];

const OPTION_COLUMNS = ["option_a", "option_b", "option_c", "option_d"] as const;

/**
 * One row of the question bank CSV, keyed by its column names, validated and turned into a question:
 * single / multi / judge; answer letters among the options present; a single has exactly one; multi
 * letters sorted; judge options 正确/错误; question ≤ 300, options ≤ 100, explanation ≤ 200 characters
 * with at most 2 line breaks (Telegram quiz poll limits); a K-number article id and a difficulty.
 * Whether the article exists is checked by the import (it needs the database). Field errors are keyed
 * by column, so an import can say `answer: 答案 E 不在选项中`.
 */
export const QuizQuestionSchema = z
  .object({
    id: QuizQuestionIdSchema,
    type: z.string().transform((v) => normalizeText(v).toLowerCase()).pipe(QuizQuestionTypeSchema),
    question: line(QUIZ_LIMITS.question),
    option_a: optionalOption,
    option_b: optionalOption,
    option_c: optionalOption.default(""),
    option_d: optionalOption.default(""),
    answer: z.string().transform(normalizeLetters),
    explanation: ExplanationSchema,
    article_id: KnowledgeArticleIdSchema,
    difficulty: z.string().transform((v) => normalizeText(v).toLowerCase()).pipe(QuizDifficultySchema),
  })
  .strict()
  .superRefine((row, ctx) => {
    const options = OPTION_COLUMNS.map((c) => row[c]);
    for (const issue of quizQuestionIssues({ type: row.type, options, answer: row.answer }, { option: (i) => OPTION_COLUMNS[i]!, answer: "answer" })) {
      ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message, params: issue.params ?? {} });
    }
  })
  .transform(
    (row): QuizQuestionContent & { id: string } => ({
      id: row.id,
      type: row.type,
      question: row.question,
      options: OPTION_COLUMNS.map((c) => row[c]).filter((o) => o.length > 0),
      answer: row.answer,
      explanation: row.explanation,
      articleId: row.article_id,
      difficulty: row.difficulty,
    }),
  );
export type QuizQuestionRow = z.input<typeof QuizQuestionSchema>;
export type QuizQuestionParsed = z.output<typeof QuizQuestionSchema>;

/**
 * A trainer's edit of one question in the mini-app: the same rules as a CSV row (the bank cannot hold
 * a question the import would refuse), options as a list (2-4), and `baseRevision`, the revision the
 * edit started from (a stale one is a 409 and nothing is overwritten).
 */
export const QuizQuestionEditSchema = z
  .object({
    type: QuizQuestionTypeSchema,
    question: line(QUIZ_LIMITS.question),
    options: z.array(optionalOption).min(2).max(4),
    answer: z.string().transform(normalizeLetters),
    explanation: ExplanationSchema,
    articleId: KnowledgeArticleIdSchema,
    difficulty: QuizDifficultySchema,
    baseRevision: z.number().int().min(1),
  })
  .strict()
  .superRefine((q, ctx) => {
    const options = [...q.options, "", "", ""].slice(0, 4);
    for (const issue of quizQuestionIssues({ type: q.type, options, answer: q.answer }, { option: (i) => `options.${i}`, answer: "answer" })) {
      ctx.addIssue({ code: "custom", path: issue.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: issue.message, params: issue.params ?? {} });
    }
  })
  .transform((q) => ({ ...q, options: q.options.filter((o) => o.length > 0) }));
export type QuizQuestionEdit = z.output<typeof QuizQuestionEditSchema>;

/** A CST date-time as the builder and the CLI take it ("2026-12-07 18:00"); a zone may be given. */
const CstDateTimeSchema = z
  .string()
  .transform((v) => normalizeText(v))
  .refine((v) => parseCstDateTime(v) !== null, { message: "quiz-datetime-format" });

/** Most questions in one quiz: a quiz is answered on a phone in a few minutes. */
export const QUIZ_MAX_QUESTIONS = 50;

const uniq = <T>(values: T[]) => [...new Set(values)];

/**
 * Which questions a quiz draws from: by article tag, article, difficulty (each filter given narrows the
 * pool; values within one filter are alternatives), or exactly the listed questions. With no filter the
 * whole bank is the pool: a random quiz. The draw is random; a draft can be redrawn.
 */
export const QuizSelectionSchema = z
  .object({
    tags: z.array(line(30)).max(12).transform(uniq).default([]),
    articleIds: z.array(KnowledgeArticleIdSchema).max(60).transform(uniq).default([]),
    difficulties: z.array(QuizDifficultySchema).max(3).transform(uniq).default([]),
    types: z.array(QuizQuestionTypeSchema).max(3).transform(uniq).default([]),
    questionIds: z.array(QuizQuestionIdSchema).max(QUIZ_MAX_QUESTIONS).transform(uniq).default([]),
  })
  .strict();
export type QuizSelection = z.output<typeof QuizSelectionSchema>;

/**
 * Who a quiz goes to: active users of the listed units or of units of the listed types (none of
 * either = every unit), holding one of the listed roles (none = any role). At least one of the three
 * must be given, so nobody pushes to the whole district by leaving the form empty.
 */
export const QuizTargetsSchema = z
  .object({
    units: z.array(UnitCodeSchema).max(200).transform(uniq).default([]),
    unitTypes: z.array(UnitTypeSchema).max(20).transform(uniq).default([]),
    roles: z.array(RoleSchema).max(7).transform(uniq).default([]),
  })
  .strict()
  .refine((t) => t.units.length + t.unitTypes.length + t.roles.length > 0, { message: "quiz-targets-required", path: ["units"] });
export type QuizTargets = z.output<typeof QuizTargetsSchema>;

/**
 * A quiz as a trainer builds it (mini-app builder, CLI `quiz build`): title, selection, how many
 * questions (with `questionIds`, their number), the pass mark in percent, the open and close times in
 * CST (close after open; whether close is still ahead is checked against the clock on push), and the
 * targets. Unknown keys are refused.
 */
export const QuizDefinitionSchema = z
  .object({
    title: line(60),
    selection: QuizSelectionSchema.default({ tags: [], articleIds: [], difficulties: [], types: [], questionIds: [] }),
    count: z.number().int().min(1).max(QUIZ_MAX_QUESTIONS).optional(),
    passMark: z.number().int().min(0).max(100).default(60),
    opensAt: CstDateTimeSchema,
    closesAt: CstDateTimeSchema,
    targets: QuizTargetsSchema,
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.count === undefined && d.selection.questionIds.length === 0) ctx.addIssue({ code: "custom", path: ["count"], message: "field-required" });
    const opens = parseCstDateTime(d.opensAt);
    const closes = parseCstDateTime(d.closesAt);
    if (opens && closes && closes.getTime() <= opens.getTime()) ctx.addIssue({ code: "custom", path: ["closesAt"], message: "quiz-close-before-open" });
  })
  .transform((d) => ({
    ...d,
    count: d.selection.questionIds.length > 0 ? d.selection.questionIds.length : d.count!,
    opensAt: parseCstDateTime(d.opensAt)!,
    closesAt: parseCstDateTime(d.closesAt)!,
  }));
export type QuizDefinitionInput = z.input<typeof QuizDefinitionSchema>;
export type QuizDefinition = z.output<typeof QuizDefinitionSchema>;

/**
 * One answer from either channel: which question (its position in the quiz or round, 1-based) and the
 * letters chosen (any order and separators: folded and sorted here). Whether the letters fit the
 * question (one for single/judge, options present) is checked by the use-case, which has the question.
 */
export const QuizAnswerSchema = z
  .object({
    position: z.number().int().min(1).max(QUIZ_MAX_QUESTIONS),
    chosen: z
      .string()
      .max(20)
      .transform((v) => [...new Set(normalizeLetters(v))].sort().join(""))
      .pipe(z.string().min(1, { message: "quiz-choose-one" }).regex(/^[A-D]{1,4}$/, { message: "quiz-answer-letters-only" })),
  })
  .strict();
export type QuizAnswerInput = z.output<typeof QuizAnswerSchema>;

/** The optional daily practice reminder: on or off, and the CST hour (6-22) it comes at. */
export const PracticeReminderSchema = z
  .object({
    enabled: z.boolean(),
    hour: z.number().int().min(6).max(22).default(19),
  })
  .strict();
export type PracticeReminderInput = z.output<typeof PracticeReminderSchema>;

/** Filters of the trainer's question bank list. */
export const QuizQuestionListQuerySchema = z.object({
  type: QuizQuestionTypeSchema.optional(),
  difficulty: QuizDifficultySchema.optional(),
  articleId: KnowledgeArticleIdSchema.optional(),
  q: z
    .string()
    .transform((v) => normalizeText(v))
    .pipe(z.string().max(60))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type QuizQuestionListQuery = z.output<typeof QuizQuestionListQuerySchema>;
