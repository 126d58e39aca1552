import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { PracticeReminderSchema, QuizAnswerSchema, QuizDefinitionSchema, QuizQuestionEditSchema, QuizQuestionListQuerySchema } from "@xieshui/core";
import {
  AppError,
  answerPractice,
  answerQuizQuestion,
  createQuiz,
  exportQuizResults,
  getPracticeReminder,
  getQuiz,
  getQuizQuestion,
  importQuizQuestions,
  listMistakes,
  listQuizQuestions,
  listQuizzes,
  myQuizzes,
  practiceRound,
  pushQuiz,
  quizBankFacets,
  quizProgress,
  quizResults,
  remindQuiz,
  saveQuizQuestion,
  setPracticeReminder,
  QUIZ_IMPORT_MAX_BYTES,
} from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { registerUpload } from "../plugins/uploads.ts";
import { bodyValidatedByUseCase } from "../plugins/validation.ts";
import { NoBodySchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

// Response shapes (what leaves the server); requests use core's shared schemas.
const Type = z.enum(["single", "multi", "judge"]);
const QuestionSchema = z.object({
  id: z.string(),
  type: Type,
  question: z.string(),
  options: z.array(z.string()),
  answer: z.string(),
  explanation: z.string(),
  articleId: z.string(),
  difficulty: z.enum(["easy", "medium", "hard"]),
  revision: z.number().int().describe("send back as baseRevision when saving"),
  articleTitle: z.string().nullable(),
  updatedAt: z.string(),
});
const ImportSummarySchema = z.object({
  imported: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  dryRun: z.boolean(),
});
const FacetsSchema = z.object({
  total: z.number().int(),
  tags: z.array(z.object({ tag: z.string(), count: z.number().int() })),
  articles: z.array(z.object({ id: z.string(), title: z.string(), count: z.number().int() })),
  difficulties: z.array(z.object({ difficulty: z.enum(["easy", "medium", "hard"]), count: z.number().int() })),
  types: z.array(z.object({ type: Type, count: z.number().int() })),
});
const ItemSchema = z.object({ position: z.number().int(), questionId: z.string(), type: Type, question: z.string(), options: z.array(z.string()), answer: z.string(), explanation: z.string(), articleId: z.string() });
const QuizViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(["draft", "pushed"]),
  passMark: z.number().int(),
  opensAt: z.string().describe("CST, YYYY-MM-DD HH:mm"),
  closesAt: z.string().describe("CST, YYYY-MM-DD HH:mm"),
  definition: z.unknown(),
  items: z.array(ItemSchema),
  audience: z.object({ units: z.number().int(), users: z.number().int(), withTelegram: z.number().int(), problem: z.string().nullable().describe("why nobody would get it; null when someone would") }),
  pushedAt: z.string().nullable(),
  assigned: z.number().int(),
});
const QuizListSchema = z.object({
  quizzes: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), opensAt: z.string(), closesAt: z.string(), assigned: z.number().int(), finished: z.number().int() })),
});
const PushSchema = z.object({ quizId: z.string(), assigned: z.number().int(), botQueued: z.number().int(), alreadyPushed: z.boolean() });
const ResultsSchema = z.object({
  quizId: z.string(),
  title: z.string(),
  passMark: z.number().int(),
  closesAt: z.string(),
  users: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      unitCode: z.string(),
      unitName: z.string(),
      status: z.enum(["not_started", "in_progress", "finished"]),
      answered: z.number().int(),
      correct: z.number().int(),
      score: z.number().int().nullable(),
      passed: z.boolean().nullable(),
      seconds: z.number().int().nullable(),
      wrong: z.array(z.number().int()),
      botStatus: z.string(),
    }),
  ),
  units: z.array(z.object({ unitCode: z.string(), unitName: z.string(), invited: z.number().int(), started: z.number().int(), finished: z.number().int(), passed: z.number().int(), averageScore: z.number().int().nullable() })),
  questions: z.array(
    z.object({ position: z.number().int(), questionId: z.string(), question: z.string(), answer: z.string(), answered: z.number().int(), wrongShare: z.number().int().nullable(), topWrong: z.string().nullable(), topWrongCount: z.number().int() }),
  ),
});
const AskedSchema = z.object({ position: z.number().int(), total: z.number().int(), type: Type, question: z.string(), options: z.array(z.string()) });
const ResultForUserSchema = z.object({
  correct: z.number().int(),
  total: z.number().int(),
  score: z.number().int(),
  passed: z.boolean(),
  passMark: z.number().int(),
  wrong: z.array(z.object({ position: z.number().int(), question: z.string(), chosen: z.string(), answer: z.string(), explanation: z.string(), articleId: z.string(), articleTitle: z.string().nullable() })),
});
const ProgressSchema = z.object({
  assignmentId: z.string(),
  quizId: z.string(),
  title: z.string(),
  passMark: z.number().int(),
  opensAt: z.string(),
  closesAt: z.string(),
  state: z.enum(["upcoming", "open", "closed"]),
  total: z.number().int(),
  answered: z.number().int(),
  next: AskedSchema.nullable(),
  result: ResultForUserSchema.nullable(),
});
const FeedbackSchema = z.object({ position: z.number().int(), correct: z.boolean(), chosen: z.string(), answer: z.string(), explanation: z.string(), articleId: z.string(), articleTitle: z.string().nullable() });
const CardsSchema = z.object({
  quizzes: z.array(z.object({ assignmentId: z.string(), title: z.string(), total: z.number().int(), answered: z.number().int(), closesAt: z.string(), state: z.enum(["upcoming", "open", "closed"]), finished: z.boolean(), score: z.number().int().nullable() })),
});
const MistakesSchema = z.object({
  mistakes: z.array(
    z.object({ questionId: z.string(), type: Type, question: z.string(), options: z.array(z.string()), answer: z.string(), lastWrong: z.string().nullable(), wrongCount: z.number().int(), explanation: z.string(), articleId: z.string(), articleTitle: z.string().nullable(), due: z.string() }),
  ),
});
const RoundSchema = z.object({ roundId: z.string(), day: z.string(), total: z.number().int(), answered: z.number().int(), correct: z.number().int(), next: AskedSchema.extend({ questionId: z.string() }).nullable() });
const ReminderSchema = z.object({ enabled: z.boolean(), hour: z.number().int() });
const Id = z.object({ id: z.string().max(60) });
const Binary = z.any().meta({ type: "string", format: "binary" });
const CSV_TYPES = ["text/csv", "application/octet-stream", "text/plain"];

/**
 * Quizzes: the question bank, building, pushing and results for trainers; the assigned quizzes, the
 * 错题本 and daily practice for everyone signed in. Rules live in core's use-cases.
 */
export const quizRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const tags = ["quiz"];
  const security = [{ bearerAuth: [] }];
  const trainers = auth.roles("trainer");

  app.get("/quiz/questions", { onRequest: trainers, schema: { tags, security, summary: "The question bank, filtered (trainers)", querystring: QuizQuestionListQuerySchema, response: { 200: z.object({ total: z.number().int(), questions: z.array(QuestionSchema) }) } } }, async (request) =>
    listQuizQuestions(deps, actorOf(request), request.query, { locale: localeOf(request) }),
  );
  app.get("/quiz/questions/:id", { onRequest: trainers, schema: { tags, security, params: Id, response: { 200: QuestionSchema } } }, async (request) => getQuizQuestion(deps, actorOf(request), request.params.id));
  app.put(
    "/quiz/questions/:id",
    { onRequest: trainers, ...bodyValidatedByUseCase, schema: { tags, security, summary: "Edit a question; 409 when baseRevision is stale", params: Id, body: QuizQuestionEditSchema, response: { 200: QuestionSchema } } },
    async (request) => saveQuizQuestion(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) }),
  );
  app.get("/quiz/bank", { onRequest: trainers, schema: { tags, security, summary: "Tags, articles, difficulties and types the builder can pick from", response: { 200: FacetsSchema } } }, async (request) => quizBankFacets(deps, actorOf(request)));

  const ImportQuery = z.object({ fileName: z.string().max(200).optional(), dryRun: z.enum(["0", "1", "true", "false"]).optional() });
  registerUpload(app, {
    url: "/quiz/questions/import",
    contentTypes: CSV_TYPES,
    maxBytes: QUIZ_IMPORT_MAX_BYTES,
    tooLarge: () => new AppError("payload_too_large", { messageKey: "quiz-import-too-large", params: { max: QUIZ_IMPORT_MAX_BYTES / 1024 / 1024 }, reason: "quiz_import_too_large" }),
    body: "stream",
    onRequest: trainers,
    schema: { tags, security, summary: "Import the question bank CSV (raw body, same format and answer as `quiz import`), ?dryRun=1&fileName=", querystring: ImportQuery, response: { 200: ImportSummarySchema } },
    handler: async (request) => {
      const query = request.query as z.infer<typeof ImportQuery>;
      return importQuizQuestions(deps, actorOf(request), request.body as AsyncIterable<Buffer>, { dryRun: query.dryRun === "1" || query.dryRun === "true", locale: localeOf(request), ...(query.fileName ? { fileName: query.fileName } : {}) });
    },
  });

  app.get("/quiz/quizzes", { onRequest: trainers, schema: { tags, security, response: { 200: QuizListSchema } } }, async (request) => ({ quizzes: await listQuizzes(deps, actorOf(request)) }));
  app.post(
    "/quiz/quizzes",
    { onRequest: trainers, ...bodyValidatedByUseCase, schema: { tags, security, summary: "Build a draft quiz; the answer is its preview (questions and audience)", body: QuizDefinitionSchema, response: { 201: QuizViewSchema } } },
    async (request, reply) => reply.status(201).send(await createQuiz(deps, actorOf(request), request.body, { locale: localeOf(request) })),
  );
  app.get("/quiz/quizzes/:id", { onRequest: trainers, schema: { tags, security, params: Id, response: { 200: QuizViewSchema } } }, async (request) => getQuiz(deps, actorOf(request), request.params.id, { locale: localeOf(request) }));
  app.post(
    "/quiz/quizzes/:id/push",
    { onRequest: trainers, schema: { tags, security, summary: "Push to every eligible user once; refused (400, with the reason) when nobody is eligible", params: Id, body: NoBodySchema, response: { 200: PushSchema } } },
    async (request) => pushQuiz(deps, actorOf(request), request.params.id, { locale: localeOf(request) }),
  );
  app.get("/quiz/quizzes/:id/results", { onRequest: trainers, schema: { tags, security, params: Id, response: { 200: ResultsSchema } } }, async (request) => quizResults(deps, actorOf(request), request.params.id));
  app.get(
    "/quiz/quizzes/:id/export",
    {
      onRequest: trainers,
      schema: {
        tags,
        security,
        summary: "?format=csv|xlsx",
        params: Id,
        querystring: z.object({ format: z.string().max(10).optional() }),
        response: { 200: { description: "The export file (attachment)", content: { "text/csv": { schema: Binary }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: Binary } } } },
      },
    },
    async (request, reply) => {
      const out = await exportQuizResults(deps, actorOf(request), request.params.id, { format: request.query.format }, { locale: localeOf(request) });
      return reply.type(out.contentType).header("content-disposition", `attachment; filename="${out.fileName}"`).send(out.body);
    },
  );
  app.post(
    "/quiz/quizzes/:id/remind",
    { onRequest: trainers, schema: { tags, security, summary: "Remind in Telegram those who have not finished (once a day)", params: Id, body: NoBodySchema, response: { 200: z.object({ queued: z.number().int(), unfinished: z.number().int() }) } } },
    async (request) => remindQuiz(deps, actorOf(request), request.params.id),
  );

  app.get("/quiz/mine", { onRequest: auth.required, schema: { tags, security, summary: "My quizzes (the home page's 待完成的测验)", response: { 200: CardsSchema } } }, async (request) => ({ quizzes: await myQuizzes(deps, actorOf(request)) }));
  app.get("/quiz/assignments/:id", { onRequest: auth.required, schema: { tags, security, summary: "Where I am in a quiz: the next question or my result", params: Id, response: { 200: ProgressSchema } } }, async (request) =>
    quizProgress(deps, actorOf(request), request.params.id),
  );
  app.post(
    "/quiz/assignments/:id/answers",
    { onRequest: auth.required, ...bodyValidatedByUseCase, schema: { tags, security, summary: "Answer one question; 409 when it was already answered (either channel) or the quiz closed", params: Id, body: QuizAnswerSchema, response: { 200: z.object({ feedback: FeedbackSchema, progress: ProgressSchema }) } } },
    async (request) => answerQuizQuestion(deps, actorOf(request), request.params.id, request.body, { channel: "miniapp", locale: localeOf(request) }),
  );
  app.get("/quiz/mistakes", { onRequest: auth.required, schema: { tags, security, summary: "My 错题本", response: { 200: MistakesSchema } } }, async (request) => ({ mistakes: await listMistakes(deps, actorOf(request)) }));
  app.get("/quiz/practice", { onRequest: auth.required, schema: { tags, security, summary: "Today's practice round (made on first ask)", response: { 200: RoundSchema } } }, async (request) => practiceRound(deps, actorOf(request)));
  app.post(
    "/quiz/practice/:id/answers",
    { onRequest: auth.required, ...bodyValidatedByUseCase, schema: { tags, security, params: Id, body: QuizAnswerSchema, response: { 200: z.object({ feedback: FeedbackSchema, round: RoundSchema }) } } },
    async (request) => answerPractice(deps, actorOf(request), request.params.id, request.body, { channel: "miniapp", locale: localeOf(request) }),
  );
  app.get("/quiz/practice-reminder", { onRequest: auth.required, schema: { tags, security, response: { 200: ReminderSchema } } }, async (request) => getPracticeReminder(deps, actorOf(request)));
  app.put(
    "/quiz/practice-reminder",
    { onRequest: auth.required, ...bodyValidatedByUseCase, schema: { tags, security, summary: "Turn the daily practice reminder on or off (off by default)", body: PracticeReminderSchema, response: { 200: ReminderSchema } } },
    async (request) => setPracticeReminder(deps, actorOf(request), request.body, { locale: localeOf(request) }),
  );
};
