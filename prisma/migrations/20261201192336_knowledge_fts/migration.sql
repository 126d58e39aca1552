-- Written by hand: the knowledge search index, an SQLite FTS5 table that Prisma's schema cannot
-- describe (and must not: FTS5 shadow tables confuse its drift check, Prisma issue 8106). It holds
-- pre-tokenized text made in JS (packages/core/src/server/knowledge/analyzer.ts): space-separated
-- tokens per column, so the unicode61 tokenizer only splits on the spaces. Columns:
--   article_id, audience, title, tags, plain  stored for results, re-ranking and snippets, not searched
--   tw  title + tag words (jieba, search mode)      tb  title + tag character bigrams
--   bw  body words                                  bb  body character bigrams
--   py  toneless pinyin of title, tag and body words (homophone fallback, lower weight)
-- rowid = the article number (K021 -> 21). The table is derived data: rebuildKnowledgeIndex()
-- refills it from KnowledgeArticle, and every article save updates it in the same transaction.
-- A PostgreSQL twin keeps the same strings in a tsvector (config `simple`) with a GIN index.
CREATE VIRTUAL TABLE "knowledge_fts" USING fts5(
  article_id UNINDEXED,
  audience UNINDEXED,
  title UNINDEXED,
  tags UNINDEXED,
  plain UNINDEXED,
  tw, tb, bw, bb, py,
  tokenize = 'unicode61 remove_diacritics 0'
);

-- The index's own vocabulary (one row per term): tells the query analyzer whether a window of the
-- query is a word some article uses, so pinyin is only tried for windows that are not.
CREATE VIRTUAL TABLE "knowledge_fts_vocab" USING fts5vocab("knowledge_fts", 'row');

-- Which tokenizer version built the index; the index is rebuilt when the code's version differs.
CREATE TABLE "knowledge_index_meta" (
  "key" TEXT NOT NULL PRIMARY KEY,
  "value" TEXT NOT NULL
);
