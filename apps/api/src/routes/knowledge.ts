import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  KnowledgeArticleCreateSchema,
  KnowledgeArticleSaveSchema,
  KnowledgeAudienceSchema,
  KnowledgeListQuerySchema,
  KnowledgeRestoreSchema,
  KnowledgeSearchQuerySchema,
  KnowledgeSynonymSchema,
} from "@xieshui/core";
import {
  addKnowledgeSynonym,
  createKnowledgeArticle,
  getKnowledgeArticle,
  getKnowledgeRevision,
  knowledgeHistory,
  knowledgeTopics,
  listKnowledgeArticles,
  listKnowledgeSynonyms,
  removeKnowledgeSynonym,
  restoreKnowledgeRevision,
  saveKnowledgeArticle,
  searchKnowledge,
  topZeroResultQueries,
} from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import type { RouteContext } from "./context.ts";

// Response shapes (what leaves the server); requests use core's shared schemas.
const AudienceList = z.array(KnowledgeAudienceSchema);
const SearchResponseSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      snippet: z.string().describe("HTML-escaped article text around the matches, matches wrapped in <mark>"),
      score: z.number(),
      audience: AudienceList,
    }),
  ),
});
const ArticleSchema = z.object({
  id: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  audience: AudienceList,
  law: z.string(),
  updated: z.string(),
  body: z.string().describe("Markdown; render with core's parseKnowledgeMarkdown, never as HTML"),
  revision: z.number().int().describe("send back as baseRevision when saving"),
  updatedAt: z.string(),
});
const SummarySchema = z.object({ id: z.string(), title: z.string(), tags: z.array(z.string()), audience: AudienceList });
const RevisionSchema = z.object({
  revision: z.number().int(),
  title: z.string(),
  author: z.string().nullable(),
  source: z.string(),
  restoredFrom: z.number().int().nullable(),
  at: z.string(),
});
const SynonymGroupSchema = z.object({ id: z.string().nullable(), terms: z.array(z.string()), builtIn: z.boolean(), createdAt: z.string().nullable() });
const IdParams = z.object({ id: z.string().max(20) });

/**
 * Learn: search, reading and browsing are public (learning needs no sign-in); editing, history and
 * restore are for trainers and coordinators; the zero-result report and synonyms for trainers.
 * Every rule lives in core's use-cases; routes only translate.
 */
export const knowledgeRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const tags = ["knowledge"];
  const security = [{ bearerAuth: [] }];
  const editors = auth.roles("trainer", "coordinator");
  const trainers = auth.roles("trainer");

  app.get(
    "/knowledge/search",
    {
      schema: {
        tags,
        summary: "Search the knowledge base (q: 1-200 characters; audience: articles for it or for all); best first",
        querystring: KnowledgeSearchQuerySchema,
        response: { 200: SearchResponseSchema },
      },
    },
    async (request) => searchKnowledge(deps, request.query, { locale: localeOf(request) }),
  );

  app.get(
    "/knowledge/articles",
    { schema: { tags, summary: "Articles for browsing, by audience and/or tag", querystring: KnowledgeListQuerySchema, response: { 200: z.object({ articles: z.array(SummarySchema) }) } } },
    async (request) => ({ articles: await listKnowledgeArticles(deps, request.query, { locale: localeOf(request) }) }),
  );

  app.get(
    "/knowledge/topics",
    {
      schema: {
        tags,
        summary: "How many articles each audience and tag has",
        response: { 200: z.object({ audiences: z.array(z.object({ audience: KnowledgeAudienceSchema, count: z.number().int() })), tags: z.array(z.object({ tag: z.string(), count: z.number().int() })) }) },
      },
    },
    async () => knowledgeTopics(deps),
  );

  app.get("/knowledge/articles/:id", { schema: { tags, summary: "One article (Markdown body)", params: IdParams, response: { 200: ArticleSchema } } }, async (request) =>
    getKnowledgeArticle(deps, request.params.id),
  );

  app.post(
    "/knowledge/articles",
    { onRequest: editors, schema: { tags, security, summary: "Add an article (trainers, coordinators); id optional", body: KnowledgeArticleCreateSchema, response: { 201: ArticleSchema } } },
    async (request, reply) => reply.status(201).send(await createKnowledgeArticle(deps, actorOf(request), request.body, { locale: localeOf(request) })),
  );

  app.put(
    "/knowledge/articles/:id",
    {
      onRequest: editors,
      schema: { tags, security, summary: "Save an edit; 409 when baseRevision is not the current revision (nothing is written)", params: IdParams, body: KnowledgeArticleSaveSchema, response: { 200: ArticleSchema } },
    },
    async (request) => saveKnowledgeArticle(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) }),
  );

  app.get(
    "/knowledge/articles/:id/revisions",
    { onRequest: editors, schema: { tags, security, summary: "An article's revisions, newest first", params: IdParams, response: { 200: z.object({ revisions: z.array(RevisionSchema) }) } } },
    async (request) => ({ revisions: await knowledgeHistory(deps, actorOf(request), request.params.id) }),
  );

  app.get(
    "/knowledge/articles/:id/revisions/:revision",
    {
      onRequest: editors,
      schema: { tags, security, summary: "The text of one revision", params: IdParams.extend({ revision: z.coerce.number().int().min(1).max(1_000_000) }), response: { 200: ArticleSchema } },
    },
    async (request) => getKnowledgeRevision(deps, actorOf(request), request.params.id, request.params.revision),
  );

  app.post(
    "/knowledge/articles/:id/restore",
    { onRequest: editors, schema: { tags, security, summary: "Restore an old revision as a new one; 409 when baseRevision is stale", params: IdParams, body: KnowledgeRestoreSchema, response: { 200: ArticleSchema } } },
    async (request) => restoreKnowledgeRevision(deps, actorOf(request), request.params.id, request.body, { locale: localeOf(request) }),
  );

  app.get(
    "/knowledge/zero-results",
    {
      onRequest: trainers,
      schema: {
        tags,
        security,
        summary: "The most frequent searches that found nothing (text and CST time only)",
        querystring: z.object({ days: z.coerce.number().int().min(1).max(366).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }),
        response: { 200: z.object({ queries: z.array(z.object({ query: z.string(), count: z.number().int(), lastAt: z.string() })) }) },
      },
    },
    async (request) => ({ queries: await topZeroResultQueries(deps, actorOf(request), request.query) }),
  );

  app.get("/knowledge/synonyms", { onRequest: trainers, schema: { tags, security, summary: "Synonym groups: the trainers' and core's", response: { 200: z.object({ groups: z.array(SynonymGroupSchema) }) } } }, async (request) => ({
    groups: await listKnowledgeSynonyms(deps, actorOf(request)),
  }));

  app.post(
    "/knowledge/synonyms",
    { onRequest: trainers, schema: { tags, security, summary: "Add a synonym group (2-8 words)", body: KnowledgeSynonymSchema, response: { 201: SynonymGroupSchema } } },
    async (request, reply) => reply.status(201).send(await addKnowledgeSynonym(deps, actorOf(request), request.body, { locale: localeOf(request) })),
  );

  app.delete(
    "/knowledge/synonyms/:id",
    { onRequest: trainers, schema: { tags, security, summary: "Remove a trainer's synonym group", params: z.object({ id: z.string().max(40) }), response: { 204: z.undefined() } } },
    async (request, reply) => {
      await removeKnowledgeSynonym(deps, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
