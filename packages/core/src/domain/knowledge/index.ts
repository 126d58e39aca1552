// Learn: the knowledge base's schemas, search vocabulary and safe Markdown rendering (isomorphic).
export * from "./schemas.ts";
export * from "./lexicon.ts";
export * from "./markdown.ts";
export * from "./render.ts";
