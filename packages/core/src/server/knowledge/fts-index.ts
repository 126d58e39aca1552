import type Database from "better-sqlite3";
import type { KnowledgeAudience } from "../../domain/knowledge/schemas.ts";
import type { AnalyzedQuery, KnowledgeIndexColumns } from "./analyzer.ts";

/** One article as the index stores it: pre-tokenized columns plus what results and snippets need. */
export interface KnowledgeIndexDoc {
  id: string;
  title: string;
  tags: readonly string[];
  audience: readonly KnowledgeAudience[];
  /** The body's plain text (snippets are cut from it). */
  plain: string;
  columns: KnowledgeIndexColumns;
}

/** A candidate from the index, best first. `score` is higher for better matches. */
export interface KnowledgeIndexHit {
  id: string;
  title: string;
  tags: string[];
  audience: KnowledgeAudience[];
  plain: string;
  score: number;
}

/**
 * The knowledge search index behind a small interface, so the engine can change without touching
 * the use-cases: SQLite FTS5 here; PostgreSQL would keep the same pre-tokenized strings in a
 * `tsvector` (config `simple`, weights A-D, GIN index). What must stay true:
 * - it is derived data: `rebuild` from the article table gives the same answers as the edits did;
 * - `upsert`/`remove` are synchronous statements on the article store's connection, called inside
 *   its transaction, so an article and its index entry change together or not at all (the index
 *   follows every edit at once; a PostgreSQL twin would take the transaction's client);
 * - `search` takes analyzed terms only (letters and digits), quoted: user text never reaches the
 *   FTS query syntax.
 */
export interface KnowledgeIndex {
  upsert(doc: KnowledgeIndexDoc): void;
  remove(id: string): void;
  /** Best `limit` candidates (after `offset`), optionally only articles for an audience (or for `all`). */
  search(query: AnalyzedQuery, opts: { limit: number; offset?: number; audience?: KnowledgeAudience | undefined }): KnowledgeIndexHit[];
  /** Replaces the whole index with these documents, in one transaction. Returns how many were written. */
  rebuild(docs: Iterable<KnowledgeIndexDoc>, version: string): number;
  /** True when some indexed article uses this word (any column). */
  isKnownTerm(term: string): boolean;
  /** How many indexed articles use this word (any column): common words are dropped from queries. */
  documentFrequency(term: string): number;
  /** How many articles are indexed (cheap: read for every query). */
  size(): number;
  /** Entries in the index and the analyzer version that built it. */
  status(): { count: number; version: string | null };
}

/** bm25 column weights, in column order: article_id, audience, title, tags, plain (not searched), tw, tb, bw, bb, py. */
export const KNOWLEDGE_COLUMN_WEIGHTS = { tw: 10, tb: 5, bw: 2, bb: 1, py: 2.5 } as const;

/** The FTS rowid of an article: its number (K021 -> 21). */
export function articleRowid(id: string): number {
  const n = Number(id.slice(1));
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`not an article id: ${id}`);
  return n;
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

function group(columns: string, terms: readonly string[]): string | null {
  if (terms.length === 0) return null;
  return `{${columns}} : (${terms.map(quote).join(" OR ")})`;
}

/**
 * The FTS5 MATCH expression of an analyzed query (null when there is nothing to match). A term
 * that is both a word and a bigram is matched once over the four columns, so its posting list is
 * read once; bm25 still weighs each column by its own weight.
 */
export function matchExpression(q: AnalyzedQuery): string | null {
  const words = new Set([...q.words, ...q.synonymWords]);
  const grams = new Set([...q.bigrams, ...q.synonymBigrams]);
  const both = [...words].filter((t) => grams.has(t));
  const parts = [
    group("tw bw tb bb", both),
    group("tw bw", [...words].filter((t) => !grams.has(t))),
    group("tb bb", [...grams].filter((t) => !words.has(t))),
    group("py", q.pinyin),
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(" OR ") : null;
}

const audienceText = (a: readonly string[]) => `,${a.join(",")},`;

interface HitRow {
  article_id: string;
  title: string;
  tags: string;
  audience: string;
  plain: string;
  rank: number;
}

const indexes = new WeakMap<Database.Database, KnowledgeIndex>();

/** The FTS5 index on a connection (statements prepared once per connection). */
export function sqliteKnowledgeIndex(sqlite: Database.Database): KnowledgeIndex {
  let index = indexes.get(sqlite);
  if (!index) {
    index = createSqliteKnowledgeIndex(sqlite);
    indexes.set(sqlite, index);
  }
  return index;
}

function createSqliteKnowledgeIndex(sqlite: Database.Database): KnowledgeIndex {
  const w = KNOWLEDGE_COLUMN_WEIGHTS;
  const rank = `bm25(knowledge_fts, 0, 0, 0, 0, 0, ${w.tw}, ${w.tb}, ${w.bw}, ${w.bb}, ${w.py})`;
  const INSERT = `INSERT INTO knowledge_fts (rowid, article_id, audience, title, tags, plain, tw, tb, bw, bb, py) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  const DELETE = `DELETE FROM knowledge_fts WHERE rowid = ?`;
  let searchAll: Database.Statement<[string, number, number], HitRow> | null = null;
  let searchAudience: Database.Statement<[string, string, number, number], HitRow> | null = null;
  let known: Database.Statement<[string], number> | null = null;
  let frequency: Database.Statement<[string], number> | null = null;
  let size: Database.Statement<[], number> | null = null;
  const values = (doc: KnowledgeIndexDoc) => [
    articleRowid(doc.id),
    doc.id,
    audienceText(doc.audience),
    doc.title,
    doc.tags.join("\n"),
    doc.plain,
    doc.columns.tw,
    doc.columns.tb,
    doc.columns.bw,
    doc.columns.bb,
    doc.columns.py,
  ];
  const toHit = (r: HitRow): KnowledgeIndexHit => ({
    id: r.article_id,
    title: r.title,
    tags: r.tags ? r.tags.split("\n") : [],
    audience: r.audience.split(",").filter(Boolean) as KnowledgeAudience[],
    plain: r.plain,
    score: -r.rank,
  });

  return {
    upsert(doc) {
      sqlite.transaction(() => {
        sqlite.prepare(DELETE).run(articleRowid(doc.id));
        sqlite.prepare(INSERT).run(...values(doc));
      })();
    },
    remove(id) {
      sqlite.prepare(DELETE).run(articleRowid(id));
    },
    search(query, opts) {
      const match = matchExpression(query);
      if (!match) return [];
      const offset = opts.offset ?? 0;
      if (opts.audience) {
        searchAudience ??= sqlite.prepare(
          `SELECT article_id, title, tags, audience, plain, ${rank} AS rank FROM knowledge_fts
           WHERE knowledge_fts MATCH ? AND (instr(audience, ?) > 0 OR instr(audience, ',all,') > 0)
           ORDER BY rank LIMIT ? OFFSET ?`,
        );
        return searchAudience.all(match, `,${opts.audience},`, opts.limit, offset).map(toHit);
      }
      searchAll ??= sqlite.prepare(
        `SELECT article_id, title, tags, audience, plain, ${rank} AS rank FROM knowledge_fts
         WHERE knowledge_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?`,
      );
      return searchAll.all(match, opts.limit, offset).map(toHit);
    },
    rebuild(docs, version) {
      let count = 0;
      sqlite.transaction(() => {
        sqlite.prepare(`DELETE FROM knowledge_fts`).run();
        const insert = sqlite.prepare(INSERT);
        for (const doc of docs) {
          insert.run(...values(doc));
          count++;
        }
        sqlite.prepare(`INSERT INTO knowledge_fts (knowledge_fts) VALUES ('optimize')`).run();
        sqlite.prepare(`INSERT INTO knowledge_index_meta (key, value) VALUES ('analyzer', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(version);
      })();
      return count;
    },
    isKnownTerm(term) {
      known ??= sqlite.prepare<[string], number>(`SELECT 1 FROM knowledge_fts_vocab WHERE term = ? LIMIT 1`).pluck();
      return known.get(term) !== undefined;
    },
    documentFrequency(term) {
      frequency ??= sqlite.prepare<[string], number>(`SELECT doc FROM knowledge_fts_vocab WHERE term = ?`).pluck();
      return frequency.get(term) ?? 0;
    },
    size() {
      size ??= sqlite.prepare<[], number>(`SELECT count(*) FROM KnowledgeArticle`).pluck();
      return size.get() ?? 0;
    },
    status() {
      const count = sqlite.prepare<[], number>(`SELECT count(*) FROM knowledge_fts`).pluck().get() ?? 0;
      const version = sqlite.prepare<[], string>(`SELECT value FROM knowledge_index_meta WHERE key = 'analyzer'`).pluck().get() ?? null;
      return { count, version };
    },
  };
}
