-- Written by hand, PostgreSQL only: the knowledge search index, twin of SQLite's FTS5 table
-- (prisma/migrations/20261201192336_knowledge_fts). Prisma's schema cannot describe tsvector
-- columns, and the index is derived data that rebuildKnowledgeIndex() refills from KnowledgeArticle;
-- every article save updates it in the same transaction. Code: packages/core/src/server/knowledge/fts-index-pg.ts.
--   article_id, audience, title, tags, plain  stored for results, re-ranking and snippets
--   terms   tsvector of the analyzer's pre-tokenized strings, weight A = title/tag words (tw),
--           B = title/tag bigrams (tb), C = body words (bw), D = body bigrams (bb): a tsquery's
--           weight labels are FTS5's column filters
--   pinyin  tsvector of the toneless pinyin column (py): PostgreSQL has only four weight classes
--   length  tokens in the five columns (bm25's document length)
-- rowid = the article number (K021 -> 21).
CREATE TABLE "knowledge_fts" (
  "rowid" INTEGER NOT NULL PRIMARY KEY,
  "article_id" TEXT NOT NULL UNIQUE,
  "audience" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "tags" TEXT NOT NULL,
  "plain" TEXT NOT NULL,
  "terms" tsvector NOT NULL,
  "pinyin" tsvector NOT NULL,
  "length" INTEGER NOT NULL
);
CREATE INDEX "knowledge_fts_terms_idx" ON "knowledge_fts" USING GIN ("terms");
CREATE INDEX "knowledge_fts_pinyin_idx" ON "knowledge_fts" USING GIN ("pinyin");

-- The index's vocabulary, kept in step with knowledge_fts (the fts5vocab twin): one row per term
-- and article with the term's count in each column. It answers "is this a word some article
-- uses", document frequencies, and gives bm25 its term frequencies, so both databases score alike.
CREATE TABLE "knowledge_fts_vocab" (
  "term" TEXT NOT NULL,
  "rowid" INTEGER NOT NULL REFERENCES "knowledge_fts" ("rowid") ON DELETE CASCADE,
  "tw" INTEGER NOT NULL,
  "tb" INTEGER NOT NULL,
  "bw" INTEGER NOT NULL,
  "bb" INTEGER NOT NULL,
  "py" INTEGER NOT NULL,
  PRIMARY KEY ("term", "rowid")
);
CREATE INDEX "knowledge_fts_vocab_rowid_idx" ON "knowledge_fts_vocab" ("rowid");

-- bm25's collection statistics (articles indexed, tokens in them), kept in step by every write so
-- a search does not scan the table for them. One row.
CREATE TABLE "knowledge_fts_stats" (
  "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
  "rows" INTEGER NOT NULL,
  "tokens" BIGINT NOT NULL
);
INSERT INTO "knowledge_fts_stats" ("id", "rows", "tokens") VALUES (1, 0, 0);

-- Which tokenizer version built the index; the index is rebuilt when the code's version differs.
CREATE TABLE "knowledge_index_meta" (
  "key" TEXT NOT NULL PRIMARY KEY,
  "value" TEXT NOT NULL
);
