import { CORE_SYNONYM_GROUPS } from "../../domain/knowledge/lexicon.ts";
import { markdownToPlainText } from "../../domain/knowledge/markdown.ts";
import type { KnowledgeAudience } from "../../domain/knowledge/schemas.ts";
import type { Db } from "../db.ts";
import type { Deps } from "../deps.ts";
import { analyzeDocument, analyzerVersion } from "./analyzer.ts";
import { sqliteKnowledgeIndex, type KnowledgeIndex, type KnowledgeIndexDoc } from "./fts-index.ts";
import { pgKnowledgeIndex } from "./fts-index-pg.ts";

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
  /** The running check-and-rebuild of this database's index (once per Db). */
  checked: Promise<void> | null;
  synonymSignature: string | null;
  synonyms: readonly (readonly string[])[];
}

const engines = new WeakMap<Db, Engine>();

function engineFor(db: Db): Engine {
  let engine = engines.get(db);
  if (!engine) {
    const index = db.dialect === "postgresql" ? pgKnowledgeIndex(db.pg) : sqliteKnowledgeIndex(db.sqlite);
    engine = { index, checked: null, synonymSignature: null, synonyms: CORE_SYNONYM_GROUPS };
    engines.set(db, engine);
  }
  return engine;
}

/**
 * Refills the index from the article table, in one transaction (searches keep answering from the
 * old entries until it commits). Used when the tokenizer changed, by the CLI and the benchmark.
 */
export async function rebuildKnowledgeIndex(deps: Deps): Promise<{ count: number; ms: number }> {
  const started = performance.now();
  const engine = engineFor(deps.db);
  const rows = await engine.index.articles();
  const count = await engine.index.rebuild(
    (function* () {
      for (const row of rows) yield indexDocFor({ ...row, ...decodeArticleLists(row) });
    })(),
    analyzerVersion(),
  );
  engine.checked = Promise.resolve();
  return { count, ms: Math.round(performance.now() - started) };
}

/**
 * The index of this database, rebuilt first if it was built by another tokenizer version or does
 * not hold every article (checked once per connection). The index is derived data: this is how a
 * database copied from elsewhere, or upgraded, becomes searchable without a manual step.
 */
export async function knowledgeIndex(deps: Deps): Promise<KnowledgeIndex> {
  const engine = engineFor(deps.db);
  engine.checked ??= (async () => {
    const status = await engine.index.status();
    const articles = await engine.index.size();
    if (status.version !== analyzerVersion() || status.count !== articles) {
      const { count, ms } = await rebuildKnowledgeIndex(deps);
      deps.logger.info({ count, ms }, "knowledge index rebuilt");
    }
  })().catch((error: unknown) => {
    engine.checked = null; // the next call checks again
    throw error;
  });
  await engine.checked;
  return engine.index;
}

/**
 * Core's synonym groups plus the trainers' (KnowledgeSynonym), re-read only when that table
 * changed (its rows are compared as one string: a handful of rows, microseconds).
 */
export async function knowledgeSynonyms(deps: Deps): Promise<readonly (readonly string[])[]> {
  const engine = engineFor(deps.db);
  const signature = await engine.index.synonymSignature();
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
