import type Database from "better-sqlite3";
import { CORE_SYNONYM_GROUPS } from "../../domain/knowledge/lexicon.ts";
import { markdownToPlainText } from "../../domain/knowledge/markdown.ts";
import type { KnowledgeAudience } from "../../domain/knowledge/schemas.ts";
import type { Deps } from "../deps.ts";
import { analyzeDocument, analyzerVersion } from "./analyzer.ts";
import { sqliteKnowledgeIndex, type KnowledgeIndex, type KnowledgeIndexDoc } from "./fts-index.ts";

/** An article row as the index needs it. */
export interface IndexableArticle {
  id: string;
  title: string;
  tags: readonly string[];
  audience: readonly KnowledgeAudience[];
  body: string;
}

/** Tokenizes an article for the index (the one place that decides what an index entry holds). */
export function indexDocFor(article: IndexableArticle): KnowledgeIndexDoc {
  const plain = markdownToPlainText(article.body);
  return {
    id: article.id,
    title: article.title,
    tags: article.tags,
    audience: article.audience,
    plain,
    columns: analyzeDocument({ title: article.title, tags: article.tags, plain }),
  };
}

/** Decodes the stored tags (JSON array) and audiences (comma-separated). */
export function decodeArticleLists(row: { tags: string; audience: string }): { tags: string[]; audience: KnowledgeAudience[] } {
  let tags: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.tags);
    if (Array.isArray(parsed)) tags = parsed.filter((t): t is string => typeof t === "string");
  } catch {
    tags = [];
  }
  return { tags, audience: row.audience.split(",").filter(Boolean) as KnowledgeAudience[] };
}

interface Engine {
  index: KnowledgeIndex;
  checked: boolean;
  synonymSignature: string | null;
  synonyms: readonly (readonly string[])[];
}

const engines = new WeakMap<Database.Database, Engine>();

function engineFor(sqlite: Database.Database): Engine {
  let engine = engines.get(sqlite);
  if (!engine) {
    engine = { index: sqliteKnowledgeIndex(sqlite), checked: false, synonymSignature: null, synonyms: CORE_SYNONYM_GROUPS };
    engines.set(sqlite, engine);
  }
  return engine;
}

/**
 * Refills the index from the article table, in one transaction (searches keep answering from the
 * old entries until it commits). Used when the tokenizer changed, by the CLI and the benchmark.
 */
export function rebuildKnowledgeIndex(deps: Deps): { count: number; ms: number } {
  const started = performance.now();
  const rows = deps.db.sqlite
    .prepare<[], { id: string; title: string; tags: string; audience: string; body: string }>(`SELECT id, title, tags, audience, body FROM KnowledgeArticle ORDER BY id`)
    .all();
  const engine = engineFor(deps.db.sqlite);
  const count = engine.index.rebuild(
    (function* () {
      for (const row of rows) yield indexDocFor({ ...row, ...decodeArticleLists(row) });
    })(),
    analyzerVersion(),
  );
  engine.checked = true;
  return { count, ms: Math.round(performance.now() - started) };
}

/**
 * The index of this database, rebuilt first if it was built by another tokenizer version or does
 * not hold every article (checked once per connection). The index is derived data: this is how a
 * database copied from elsewhere, or upgraded, becomes searchable without a manual step.
 */
export function knowledgeIndex(deps: Deps): KnowledgeIndex {
  const engine = engineFor(deps.db.sqlite);
  if (!engine.checked) {
    const status = engine.index.status();
    const articles = deps.db.sqlite.prepare<[], number>(`SELECT count(*) FROM KnowledgeArticle`).pluck().get() ?? 0;
    if (status.version !== analyzerVersion() || status.count !== articles) {
      const { count, ms } = rebuildKnowledgeIndex(deps);
      deps.logger.info({ count, ms }, "knowledge index rebuilt");
    }
    engine.checked = true;
  }
  return engine.index;
}

/**
 * Core's synonym groups plus the trainers' (KnowledgeSynonym), re-read only when that table
 * changed (its rows are compared as one string: a handful of rows, microseconds).
 */
export function knowledgeSynonyms(deps: Deps): readonly (readonly string[])[] {
  const engine = engineFor(deps.db.sqlite);
  const signature = deps.db.sqlite.prepare<[], string | null>(`SELECT group_concat(terms, char(10)) FROM (SELECT terms FROM KnowledgeSynonym ORDER BY createdAt, id)`).pluck().get() ?? "";
  if (signature !== engine.synonymSignature) {
    const extra: string[][] = [];
    for (const line of signature ? signature.split("\n") : []) {
      try {
        const terms: unknown = JSON.parse(line);
        if (Array.isArray(terms)) extra.push(terms.filter((t): t is string => typeof t === "string" && t.length > 0));
      } catch {
        // a damaged row adds nothing
      }
    }
    engine.synonyms = [...CORE_SYNONYM_GROUPS, ...extra.filter((g) => g.length >= 2)];
    engine.synonymSignature = signature;
  }
  return engine.synonyms;
}
