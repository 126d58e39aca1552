import type Database from "better-sqlite3";
import type { KnowledgeAudience } from "../../domain/knowledge/schemas.ts";
import type { AnalyzedQuery, KnowledgeIndexColumns } from "./analyzer.ts";
import { sqlDate } from "../hot-path.ts";

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

/** One version of an article as the store writes it (tags JSON-encoded, audiences comma-separated). */
export interface ArticleVersionWrite {
  id: string;
  title: string;
  tags: string;
  audience: string;
  law: string;
  body: string;
  updated: string;
  /** null: create (the id must be free); else the revision the edit started from. */
  expectRevision: number | null;
  source: string;
  restoredFrom: number | null;
  authorId: string | null;
  unitId: string | null;
  at: Date;
  /** The audit row's detail (JSON). */
  auditDetail: string;
}

/** Why a write changed nothing, or the revision it wrote. */
export type ArticleWriteOutcome = { ok: true; revision: number } | { ok: false; reason: "taken" } | { ok: false; reason: "missing" } | { ok: false; reason: "stale"; current: number };

/** An article row as a rebuild reads it. */
export interface StoredArticleRow {
  id: string;
  title: string;
  tags: string;
  audience: string;
  body: string;
}

/**
 * The knowledge tables on the raw driver behind one interface, chosen by the database's dialect:
 * SQLite FTS5 (this file) or PostgreSQL tsvector + GIN with the same bm25 (fts-index-pg.ts), so
 * the use-cases never see a driver. What must stay true:
 * - the index is derived data: `rebuild` from the article table gives the same answers as the edits did;
 * - `writeArticle` writes the article row, its revision, its index entry and an audit row in ONE
 *   transaction: an article and its index entry change together or not at all;
 * - `search` takes analyzed terms only (letters and digits), quoted: user text never reaches the
 *   FTS query syntax;
 * - both implementations score with FTS5's bm25 and KNOWLEDGE_COLUMN_WEIGHTS, so a query ranks
 *   the same articles in the same order on both databases.
 */
export interface KnowledgeIndex {
  /** Writes one article version with its index entry (see ArticleVersionWrite); nothing on a refusal. */
  writeArticle(write: ArticleVersionWrite, doc: KnowledgeIndexDoc): Promise<ArticleWriteOutcome>;
  /** Every article, in id order (for a rebuild). */
  articles(): Promise<StoredArticleRow[]>;
  /** Best `limit` candidates (after `offset`), optionally only articles for an audience (or for `all`). */
  search(query: AnalyzedQuery, opts: { limit: number; offset?: number; audience?: KnowledgeAudience | undefined }): Promise<KnowledgeIndexHit[]>;
  /** Replaces the whole index with these documents, in one transaction. Returns how many were written. */
  rebuild(docs: Iterable<KnowledgeIndexDoc>, version: string): Promise<number>;
  /** For each term, how many indexed articles use it (any column; 0 = unknown word). One round trip. */
  documentFrequencies(terms: readonly string[]): Promise<Map<string, number>>;
  /** How many articles there are (cheap: read for every query). */
  size(): Promise<number>;
  /** Entries in the index and the analyzer version that built it. */
  status(): Promise<{ count: number; version: string | null }>;
  /** The trainers' synonym rows as one string (terms JSON per line, in creation order): a change detector. */
  synonymSignature(): Promise<string>;
  /** Records a search that found nothing (normalised, masked text and time only). */
  recordZeroResult(query: string, at: Date): Promise<void>;
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

/** An index column that queries match (the other columns are stored only). */
export type KnowledgeSearchColumn = "tw" | "tb" | "bw" | "bb" | "py";

/**
 * The phrases of an analyzed query: each term with the columns it may match. A term that is both
 * a word and a bigram is matched once over the four columns, so its posting list is read once;
 * bm25 still weighs each column by its own weight. Both indexes score exactly these phrases.
 */
export function matchPhrases(q: AnalyzedQuery): { term: string; columns: readonly KnowledgeSearchColumn[] }[] {
  const words = new Set([...q.words, ...q.synonymWords]);
  const grams = new Set([...q.bigrams, ...q.synonymBigrams]);
  const groups: [readonly KnowledgeSearchColumn[], string[]][] = [
    [["tw", "bw", "tb", "bb"], [...words].filter((t) => grams.has(t))],
    [["tw", "bw"], [...words].filter((t) => !grams.has(t))],
    [["tb", "bb"], [...grams].filter((t) => !words.has(t))],
    [["py"], [...new Set(q.pinyin)]],
  ];
  return groups.flatMap(([columns, terms]) => terms.map((term) => ({ term, columns })));
}

/** The FTS5 MATCH expression of an analyzed query (null when there is nothing to match). */
export function matchExpression(q: AnalyzedQuery): string | null {
  const groups = new Map<string, string[]>();
  for (const p of matchPhrases(q)) {
    const key = p.columns.join(" ");
    groups.set(key, [...(groups.get(key) ?? []), p.term]);
  }
  const parts = [...groups.entries()].map(([columns, terms]) => `{${columns}} : (${terms.map(quote).join(" OR ")})`);
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
  let frequency: Database.Statement<[string], number> | null = null;
  let size: Database.Statement<[], number> | null = null;
  let signature: Database.Statement<[], string | null> | null = null;
  let zero: Database.Statement<[string, string]> | null = null;
  const upsert = (doc: KnowledgeIndexDoc) => {
    sqlite.prepare(DELETE).run(articleRowid(doc.id));
    sqlite.prepare(INSERT).run(...values(doc));
  };
  const write = sqlite.transaction((w: ArticleVersionWrite, doc: KnowledgeIndexDoc): ArticleWriteOutcome => {
    const now = sqlDate(w.at);
    const current = sqlite.prepare<[string], { revision: number }>(`SELECT revision FROM KnowledgeArticle WHERE id = ?`).get(w.id);
    let next: number;
    if (w.expectRevision === null) {
      if (current) return { ok: false, reason: "taken" };
      next = 1;
      sqlite
        .prepare(`INSERT INTO KnowledgeArticle (id, title, tags, audience, law, body, updated, revision, createdAt, updatedAt, updatedById) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(w.id, w.title, w.tags, w.audience, w.law, w.body, w.updated, next, now, now, w.authorId);
    } else {
      if (!current) return { ok: false, reason: "missing" };
      next = w.expectRevision + 1;
      const changed = sqlite
        .prepare(`UPDATE KnowledgeArticle SET title = ?, tags = ?, audience = ?, law = ?, body = ?, updated = ?, revision = ?, updatedAt = ?, updatedById = ? WHERE id = ? AND revision = ?`)
        .run(w.title, w.tags, w.audience, w.law, w.body, w.updated, next, now, w.authorId, w.id, w.expectRevision).changes;
      if (changed !== 1) return { ok: false, reason: "stale", current: current.revision };
    }
    sqlite
      .prepare(`INSERT INTO KnowledgeRevision (articleId, revision, title, tags, audience, law, body, updated, source, restoredFrom, authorId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(w.id, next, w.title, w.tags, w.audience, w.law, w.body, w.updated, w.source, w.restoredFrom, w.authorId, now);
    upsert(doc);
    sqlite
      .prepare(`INSERT INTO AuditLog (at, userId, unitId, action, subject, result, detail) VALUES (?, ?, ?, ?, ?, 'ok', ?)`)
      .run(now, w.authorId, w.unitId, `knowledge.${w.source}`, `knowledge:${w.id}`, w.auditDetail);
    return { ok: true, revision: next };
  });
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
    async writeArticle(w, doc) {
      return write.immediate(w, doc);
    },
    async articles() {
      return sqlite.prepare<[], StoredArticleRow>(`SELECT id, title, tags, audience, body FROM KnowledgeArticle ORDER BY id`).all();
    },
    async search(query, opts) {
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
    async rebuild(docs, version) {
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
    async documentFrequencies(terms) {
      frequency ??= sqlite.prepare<[string], number>(`SELECT doc FROM knowledge_fts_vocab WHERE term = ?`).pluck();
      const out = new Map<string, number>();
      for (const term of terms) if (!out.has(term)) out.set(term, frequency.get(term) ?? 0);
      return out;
    },
    async size() {
      size ??= sqlite.prepare<[], number>(`SELECT count(*) FROM KnowledgeArticle`).pluck();
      return size.get() ?? 0;
    },
    async status() {
      const count = sqlite.prepare<[], number>(`SELECT count(*) FROM knowledge_fts`).pluck().get() ?? 0;
      const version = sqlite.prepare<[], string>(`SELECT value FROM knowledge_index_meta WHERE key = 'analyzer'`).pluck().get() ?? null;
      return { count, version };
    },
    async synonymSignature() {
      signature ??= sqlite.prepare<[], string | null>(`SELECT group_concat(terms, char(10)) FROM (SELECT terms FROM KnowledgeSynonym ORDER BY createdAt, id)`).pluck();
      return signature.get() ?? "";
    },
    async recordZeroResult(query, at) {
      zero ??= sqlite.prepare(`INSERT INTO KnowledgeZeroResult (query, at) VALUES (?, ?)`);
      zero.run(query, sqlDate(at));
    },
  };
}
