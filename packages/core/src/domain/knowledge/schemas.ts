import { z } from "zod";
import { hasControlChars, normalizeText } from "../text.ts";

/**
 * Article text fields keep their Chinese punctuation (（）：，are part of a title); only invisible
 * characters and runs of whitespace are cleaned. Queries, by contrast, are folded with normalizeText.
 */
function cleanLine(value: string): string {
  return value.normalize("NFC").replace(/[\u200B-\u200D\u2060\uFEFF]/g, "").replace(/\s+/g, " ").trim();
}

/**
 * Who an article is written for (the `audience` of the front matter, ../shared/data/README.md).
 * `all` means every collaborator. The codes are stored and used in URLs: never rename them.
 */
export const KNOWLEDGE_AUDIENCES = ["village", "traffic-police", "venue", "land-housing", "construction", "all"] as const;
/** Validates an audience code. */
export const KnowledgeAudienceSchema = z.enum(KNOWLEDGE_AUDIENCES, { message: "knowledge-audience-unknown" });
export type KnowledgeAudience = z.infer<typeof KnowledgeAudienceSchema>;

/** Article ids are K followed by three or more digits (K001-K040 ship as seed content). */
export const KnowledgeArticleIdSchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(z.string().regex(/^K\d{3,6}$/, { message: "knowledge-id-format" }));

/** Longest search query, in characters. Longer queries are refused with 400 (never truncated silently). */
export const KNOWLEDGE_QUERY_MAX = 200;
/** Most results one search returns. */
export const KNOWLEDGE_SEARCH_LIMIT_MAX = 50;
/** Longest article body (Markdown), in characters: the seed articles are 250-600; 20,000 leaves room. */
export const KNOWLEDGE_BODY_MAX = 20_000;

const line = (max: number) =>
  z
    .string()
    .refine((v) => !hasControlChars(v), { message: "field-invalid" })
    .transform(cleanLine)
    .pipe(z.string().min(1).max(max));

/** `updated` as YAML gives it: a YYYY-MM-DD string, or a Date when a YAML 1.1 parser read it. */
const UpdatedSchema = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "knowledge-updated-format" }),
);

const TagsSchema = z
  .array(line(30))
  .min(1, { message: "knowledge-tags-required" })
  .max(12)
  .transform((tags) => [...new Set(tags)]);

const AudiencesSchema = z
  .array(KnowledgeAudienceSchema)
  .min(1, { message: "knowledge-audience-required" })
  .max(KNOWLEDGE_AUDIENCES.length)
  .transform((a) => [...new Set(a)]);

/**
 * The front matter of one knowledge article file (`---` YAML `---` then Markdown): id, title,
 * tags, audience, law, updated. The import and the editor both validate with this schema, so a
 * file that imports is a file the editor can save and the other way round. Unknown keys are refused.
 */
export const KnowledgeArticleSchema = z
  .object({
    id: KnowledgeArticleIdSchema,
    title: line(80),
    tags: TagsSchema,
    audience: AudiencesSchema,
    law: line(300),
    updated: UpdatedSchema,
  })
  .strict();
export type KnowledgeArticleMeta = z.infer<typeof KnowledgeArticleSchema>;

const BodySchema = z
  .string()
  .max(KNOWLEDGE_BODY_MAX)
  .transform((v) => v.replace(/\r\n?/g, "\n").replace(/[\u200B-\u200D\u2060\uFEFF]/g, "").trim())
  .pipe(z.string().min(1, { message: "knowledge-body-required" }))
  .refine((v) => !hasControlChars(v.replace(/\t/g, " ")), { message: "field-invalid" });

/**
 * What a trainer or coordinator saves from the editor: the article's fields and Markdown body,
 * plus `baseRevision`, the revision the edit started from (optimistic concurrency: a stale one is
 * a 409 conflict and nothing is overwritten). `updated` defaults to the day of the save.
 */
export const KnowledgeArticleSaveSchema = z
  .object({
    title: line(80),
    tags: TagsSchema,
    audience: AudiencesSchema,
    law: line(300),
    body: BodySchema,
    baseRevision: z.number().int().min(1),
  })
  .strict();
export type KnowledgeArticleSave = z.infer<typeof KnowledgeArticleSaveSchema>;

/** A new article from the editor. The id is optional: the next free K-number is taken. */
export const KnowledgeArticleCreateSchema = z
  .object({
    id: KnowledgeArticleIdSchema.optional(),
    title: line(80),
    tags: TagsSchema,
    audience: AudiencesSchema,
    law: line(300),
    body: BodySchema,
  })
  .strict();
export type KnowledgeArticleCreate = z.infer<typeof KnowledgeArticleCreateSchema>;

/** Restoring an old revision: which one, and the revision the restorer is looking at (409 if stale). */
export const KnowledgeRestoreSchema = z
  .object({ revision: z.number().int().min(1), baseRevision: z.number().int().min(1) })
  .strict();
export type KnowledgeRestore = z.infer<typeof KnowledgeRestoreSchema>;

/**
 * A search request: `q` (required, at most KNOWLEDGE_QUERY_MAX characters after trimming: longer is
 * a 400, whitespace only is a 400 "required"), an optional audience filter (articles for that
 * audience or for `all`), `limit` (1-50, default 10) and `offset` (for "more results").
 * Punctuation, emoji and FTS syntax are valid input: they simply match nothing.
 */
export const KnowledgeSearchQuerySchema = z.object({
  q: z
    .string()
    .transform((v) => normalizeText(v))
    .pipe(z.string().min(1).max(KNOWLEDGE_QUERY_MAX)),
  audience: KnowledgeAudienceSchema.optional(),
  limit: z.coerce.number().int().min(1).max(KNOWLEDGE_SEARCH_LIMIT_MAX).default(10),
  offset: z.coerce.number().int().min(0).max(500).default(0),
});
export type KnowledgeSearchQuery = z.infer<typeof KnowledgeSearchQuerySchema>;

/** Listing for browsing: by audience and/or tag. */
export const KnowledgeListQuerySchema = z.object({
  audience: KnowledgeAudienceSchema.optional(),
  tag: z
    .string()
    .transform((v) => normalizeText(v))
    .pipe(z.string().min(1).max(30))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type KnowledgeListQuery = z.infer<typeof KnowledgeListQuerySchema>;

/**
 * A trainer's synonym group: two to eight words or phrases that mean the same to the people who
 * search (出租屋 = 出租房屋). Each 1-20 characters, no duplicates.
 */
export const KnowledgeSynonymSchema = z
  .object({
    terms: z
      .array(
        z
          .string()
          .transform((v) => normalizeText(v).toLowerCase())
          .pipe(z.string().min(1).max(20))
          .refine((v) => /[\p{L}\p{N}]/u.test(v) && !hasControlChars(v), { message: "knowledge-synonym-term" }),
      )
      .min(2, { message: "knowledge-synonym-min" })
      .max(8)
      .transform((t) => [...new Set(t)])
      .refine((t) => t.length >= 2, { message: "knowledge-synonym-min" }),
  })
  .strict();
export type KnowledgeSynonymInput = z.infer<typeof KnowledgeSynonymSchema>;

/** One search result as the API, the CLI and the bot receive it. `snippet` is HTML-escaped text with `<mark>`. */
export interface KnowledgeSearchResult {
  id: string;
  title: string;
  snippet: string;
  score: number;
  audience: KnowledgeAudience[];
}

/** An article as readers get it. `revision` is what an edit must send back as `baseRevision`. */
export interface KnowledgeArticleView {
  id: string;
  title: string;
  tags: string[];
  audience: KnowledgeAudience[];
  law: string;
  updated: string;
  body: string;
  revision: number;
  updatedAt: string;
}

/** One entry of an article's history. `author` is the editor's name, null for imports and seeding. */
export interface KnowledgeRevisionView {
  revision: number;
  title: string;
  author: string | null;
  /** edit | create | import | restore | seed */
  source: string;
  restoredFrom: number | null;
  at: string;
}

/** A line of the browse list. */
export interface KnowledgeArticleSummary {
  id: string;
  title: string;
  tags: string[];
  audience: KnowledgeAudience[];
}

/**
 * The article checkers show citizens when a clearance is missing ("how to explain it"): the clearance
 * page and the bot's /check show its live text, so a trainer's edit changes what checkers see.
 */
export const CLEARANCE_EXPLAIN_ARTICLE_ID = "K040";
