import {
  KnowledgeArticleCreateSchema,
  KnowledgeArticleIdSchema,
  KnowledgeArticleSaveSchema,
  KnowledgeListQuerySchema,
  KnowledgeRestoreSchema,
  KNOWLEDGE_AUDIENCES,
  type KnowledgeArticleMeta,
  type KnowledgeArticleSummary,
  type KnowledgeArticleView,
  type KnowledgeAudience,
  type KnowledgeRevisionView,
} from "../../domain/knowledge/schemas.ts";
import { cstDate } from "../../domain/time.ts";
import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { isSystemActor, requireRole } from "./identity.ts";
import type { Actor, Principal } from "./identity.ts";
import type { Deps } from "../deps.ts";
import { decodeArticleLists, indexDocFor, knowledgeIndex } from "./engine.ts";

/** Roles that write the knowledge base: trainers (tax bureau) and coordinators. */
export const KNOWLEDGE_EDITOR_ROLES = ["trainer", "coordinator"] as const;

type ArticleRow = {
  id: string;
  title: string;
  tags: string;
  audience: string;
  law: string;
  body: string;
  updated: string;
  revision: number;
  updatedAt: Date;
};

function toView(row: ArticleRow): KnowledgeArticleView {
  return {
    id: row.id,
    title: row.title,
    ...decodeArticleLists(row),
    law: row.law,
    updated: row.updated,
    body: row.body,
    revision: row.revision,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function parseId(id: unknown): string {
  const parsed = KnowledgeArticleIdSchema.safeParse(id);
  if (!parsed.success) throw new AppError("not_found", { messageKey: "knowledge-article-unknown", reason: "knowledge_article_unknown" });
  return parsed.data;
}

function sortAudiences(a: readonly KnowledgeAudience[]): KnowledgeAudience[] {
  return [...a].sort((x, y) => KNOWLEDGE_AUDIENCES.indexOf(x) - KNOWLEDGE_AUDIENCES.indexOf(y));
}

/** The content of one revision (what an article is, whatever its history). */
export interface ArticleContent {
  title: string;
  tags: string[];
  audience: KnowledgeAudience[];
  law: string;
  body: string;
  updated: string;
}

const encode = (c: ArticleContent) => ({ title: c.title, tags: JSON.stringify(c.tags), audience: sortAudiences(c.audience).join(","), law: c.law, body: c.body, updated: c.updated });

/** True when two contents are the same article text (re-importing an unchanged file writes nothing). */
export function sameContent(a: ArticleContent, b: ArticleContent): boolean {
  const x = encode(a);
  const y = encode(b);
  return x.title === y.title && x.tags === y.tags && x.audience === y.audience && x.law === y.law && x.body === y.body && x.updated === y.updated;
}

type Source = "create" | "edit" | "import" | "restore" | "seed";

/**
 * Writes one version of an article in ONE transaction on the raw driver (the knowledge store): the
 * article row (created, or updated only if it is still at `expectRevision`), its revision row, its
 * index entry and an audit row. A stale `expectRevision` is a 409 and changes nothing; so is a
 * create of a taken id. The raw driver rather than Prisma: the index is written by the same
 * transaction, so the four writes commit together (and a 40-article import takes milliseconds).
 */
export async function writeArticleVersion(
  deps: Deps,
  actor: Principal,
  id: string,
  content: ArticleContent,
  opts: { source: Source; expectRevision: number | null; restoredFrom?: number },
): Promise<KnowledgeArticleView> {
  const index = await knowledgeIndex(deps);
  const data = encode(content);
  const author = isSystemActor(actor) ? null : actor.userId;
  const doc = indexDocFor({ id, title: content.title, tags: content.tags, audience: content.audience, body: content.body });
  const at = deps.clock.now();
  const outcome = await index.writeArticle(
    {
      id,
      ...data,
      expectRevision: opts.expectRevision,
      source: opts.source,
      restoredFrom: opts.restoredFrom ?? null,
      authorId: author,
      unitId: isSystemActor(actor) ? null : actor.unitId,
      at,
      auditDetail: JSON.stringify({
        revision: opts.expectRevision === null ? 1 : opts.expectRevision + 1,
        ...(opts.restoredFrom ? { restoredFrom: opts.restoredFrom } : {}),
        ...(isSystemActor(actor) ? { by: `system:${actor.label}` } : {}),
      }),
    },
    doc,
  );
  if (!outcome.ok) {
    if (outcome.reason === "taken") throw new AppError("conflict", { messageKey: "knowledge-id-taken", params: { id }, reason: "knowledge_id_taken" });
    if (outcome.reason === "missing") throw new AppError("not_found", { messageKey: "knowledge-article-unknown", reason: "knowledge_article_unknown" });
    throw new AppError("conflict", { messageKey: "knowledge-conflict", params: { revision: outcome.current }, reason: "knowledge_revision_conflict" });
  }
  return toView({ id, ...data, revision: outcome.revision, updatedAt: at });
}

/** Reads one article; anyone may (learning needs no sign-in). Unknown or malformed ids are 404. */
export async function getKnowledgeArticle(deps: Deps, id: unknown): Promise<KnowledgeArticleView> {
  const row = await deps.db.prisma.knowledgeArticle.findUnique({ where: { id: parseId(id) } });
  if (!row) throw new AppError("not_found", { messageKey: "knowledge-article-unknown", reason: "knowledge_article_unknown" });
  return toView(row);
}

/** The article if it exists, else null (for optional content such as the clearance page's K040). */
export async function findKnowledgeArticle(deps: Deps, id: string): Promise<KnowledgeArticleView | null> {
  const row = await deps.db.prisma.knowledgeArticle.findUnique({ where: { id } });
  return row ? toView(row) : null;
}

/** The browse list: by audience (articles for it or for `all`) and/or tag, in id order. Public. */
export async function listKnowledgeArticles(deps: Deps, input: unknown, opts: { locale?: Locale } = {}): Promise<KnowledgeArticleSummary[]> {
  const parsed = parseInput(KnowledgeListQuerySchema, input ?? {}, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_knowledge_list" });
  const { audience, tag, limit } = parsed.data;
  const rows = await deps.db.prisma.knowledgeArticle.findMany({ select: { id: true, title: true, tags: true, audience: true }, orderBy: { id: "asc" } });
  return rows
    .map((r) => ({ id: r.id, title: r.title, ...decodeArticleLists(r) }))
    .filter((a) => !audience || a.audience.includes(audience) || a.audience.includes("all"))
    .filter((a) => !tag || a.tags.includes(tag))
    .slice(0, limit);
}

/** How many articles each audience and each tag has, for the browse page. Public. */
export async function knowledgeTopics(deps: Deps): Promise<{ audiences: { audience: KnowledgeAudience; count: number }[]; tags: { tag: string; count: number }[] }> {
  const rows = await deps.db.prisma.knowledgeArticle.findMany({ select: { tags: true, audience: true } });
  const audiences = new Map<KnowledgeAudience, number>();
  const tags = new Map<string, number>();
  for (const row of rows) {
    const lists = decodeArticleLists(row);
    for (const a of lists.audience) audiences.set(a, (audiences.get(a) ?? 0) + 1);
    for (const t of lists.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
  }
  return {
    audiences: KNOWLEDGE_AUDIENCES.filter((a) => audiences.has(a)).map((audience) => ({ audience, count: audiences.get(audience)! })),
    tags: [...tags.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN")).map(([tag, count]) => ({ tag, count })),
  };
}

async function nextArticleId(deps: Deps): Promise<string> {
  const ids = await deps.db.prisma.knowledgeArticle.findMany({ select: { id: true } });
  const max = ids.reduce((m, r) => Math.max(m, Number(r.id.slice(1)) || 0), 0);
  return `K${String(max + 1).padStart(3, "0")}`;
}

/** Adds an article (trainers and coordinators). Its id is the next free K-number unless given; a taken id is 409. */
export async function createKnowledgeArticle(deps: Deps, actor: Actor | null, input: unknown, opts: { locale?: Locale } = {}): Promise<KnowledgeArticleView> {
  requireRole(actor, ...KNOWLEDGE_EDITOR_ROLES);
  const parsed = parseInput(KnowledgeArticleCreateSchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_knowledge_article" });
  const { id, ...rest } = parsed.data;
  const articleId = id ?? (await nextArticleId(deps));
  return writeArticleVersion(deps, actor, articleId, { ...rest, updated: cstDate(deps.clock.now()) }, { source: "create", expectRevision: null });
}

/**
 * Saves an edit (trainers and coordinators). The body names `baseRevision`, the revision the edit
 * started from: if someone saved since, the answer is 409 with the current revision number and
 * nothing is written (the editor keeps the text so it can be merged and saved again).
 */
export async function saveKnowledgeArticle(deps: Deps, actor: Actor | null, id: unknown, input: unknown, opts: { locale?: Locale } = {}): Promise<KnowledgeArticleView> {
  requireRole(actor, ...KNOWLEDGE_EDITOR_ROLES);
  const articleId = parseId(id);
  const parsed = parseInput(KnowledgeArticleSaveSchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_knowledge_article" });
  const { baseRevision, ...content } = parsed.data;
  const current = await deps.db.prisma.knowledgeArticle.findUnique({ where: { id: articleId }, select: { revision: true } });
  if (!current) throw new AppError("not_found", { messageKey: "knowledge-article-unknown", reason: "knowledge_article_unknown" });
  return writeArticleVersion(deps, actor, articleId, { ...content, updated: cstDate(deps.clock.now()) }, { source: "edit", expectRevision: baseRevision });
}

/** An article's revisions, newest first, with who and when (trainers and coordinators). */
export async function knowledgeHistory(deps: Deps, actor: Actor | null, id: unknown): Promise<KnowledgeRevisionView[]> {
  requireRole(actor, ...KNOWLEDGE_EDITOR_ROLES);
  const articleId = parseId(id);
  const rows = await deps.db.prisma.knowledgeRevision.findMany({ where: { articleId }, orderBy: { revision: "desc" }, take: 500 });
  if (rows.length === 0) throw new AppError("not_found", { messageKey: "knowledge-article-unknown", reason: "knowledge_article_unknown" });
  const authorIds = [...new Set(rows.flatMap((r) => (r.authorId ? [r.authorId] : [])))];
  const names = new Map((await deps.db.prisma.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    revision: r.revision,
    title: r.title,
    author: r.authorId ? (names.get(r.authorId) ?? null) : null,
    source: r.source,
    restoredFrom: r.restoredFrom,
    at: r.createdAt.toISOString(),
  }));
}

/** The full text of one revision, to preview before restoring (trainers and coordinators). */
export async function getKnowledgeRevision(deps: Deps, actor: Actor | null, id: unknown, revision: number): Promise<KnowledgeArticleView> {
  requireRole(actor, ...KNOWLEDGE_EDITOR_ROLES);
  const articleId = parseId(id);
  const row = Number.isSafeInteger(revision) ? await deps.db.prisma.knowledgeRevision.findUnique({ where: { articleId_revision: { articleId, revision } } }) : null;
  if (!row) throw new AppError("not_found", { messageKey: "knowledge-revision-unknown", reason: "knowledge_revision_unknown" });
  return toView({ ...row, id: articleId, updatedAt: row.createdAt });
}

/**
 * Restores an old revision by saving its text as a new revision (history is never rewritten).
 * Like an edit, it names the revision the restorer was looking at; a stale one is 409.
 */
export async function restoreKnowledgeRevision(deps: Deps, actor: Actor | null, id: unknown, input: unknown, opts: { locale?: Locale } = {}): Promise<KnowledgeArticleView> {
  requireRole(actor, ...KNOWLEDGE_EDITOR_ROLES);
  const articleId = parseId(id);
  const parsed = parseInput(KnowledgeRestoreSchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_knowledge_restore" });
  const old = await deps.db.prisma.knowledgeRevision.findUnique({ where: { articleId_revision: { articleId, revision: parsed.data.revision } } });
  if (!old) throw new AppError("not_found", { messageKey: "knowledge-revision-unknown", reason: "knowledge_revision_unknown" });
  const content: ArticleContent = { title: old.title, ...decodeArticleLists(old), law: old.law, body: old.body, updated: old.updated };
  return writeArticleVersion(deps, actor, articleId, content, { source: "restore", expectRevision: parsed.data.baseRevision, restoredFrom: old.revision });
}

/** Front matter + body as stored content. */
export function contentOf(meta: KnowledgeArticleMeta, body: string): ArticleContent {
  return { title: meta.title, tags: meta.tags, audience: meta.audience, law: meta.law, body, updated: meta.updated };
}
