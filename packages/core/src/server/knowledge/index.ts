// Learn: the knowledge base. Articles and revisions (Prisma), the search index (FTS5 behind the
// KnowledgeIndex interface, fts-index.ts), the tokenizer (analyzer.ts), search, import, synonyms.
export * from "./analyzer.ts";
export * from "./fts-index.ts";
export * from "./engine.ts";
export * from "./articles.ts";
export * from "./search.ts";
export * from "./synonyms.ts";
export * from "./import.ts";
