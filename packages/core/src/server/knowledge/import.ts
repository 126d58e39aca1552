import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { KnowledgeArticleSchema, KNOWLEDGE_BODY_MAX, type KnowledgeArticleMeta } from "../../domain/knowledge/schemas.ts";
import { t, DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import type { Principal } from "./identity.ts";
import type { Deps } from "../deps.ts";
import { requireRole, systemActor } from "./identity.ts";
import { contentOf, KNOWLEDGE_EDITOR_ROLES, sameContent, writeArticleVersion, type ArticleContent } from "./articles.ts";
import { decodeArticleLists } from "./engine.ts";

/** The seed knowledge base `npm start` loads into an empty database: the repository's seed/knowledge. */
export const SEED_KNOWLEDGE_DIR = resolve(import.meta.dirname, "../../../../../seed/knowledge");

/** Largest article file accepted by the import. */
export const KNOWLEDGE_FILE_MAX_BYTES = 256 * 1024;

/** `knowledge import`'s answer (DESIGN.md): new ids, re-imported ids, and the files refused with why. */
export interface KnowledgeImportSummary {
  imported: number;
  /** ids that existed: re-imported (a new revision only when the text changed) */
  updated: number;
  /** of `updated`, how many were identical to the stored text (no new revision) */
  unchanged: number;
  rejected: { file: string; reason: string }[];
}

/** One parsed article file, or why it cannot be imported. */
export type ParsedArticleFile = { ok: true; meta: KnowledgeArticleMeta; body: string } | { ok: false; reason: string };

/**
 * Parses an article file: `---`, YAML front matter (validated by KnowledgeArticleSchema), `---`,
 * Markdown body. Reasons are readable sentences in the locale, naming the field.
 */
export function parseArticleFile(text: string, locale: Locale = DEFAULT_LOCALE): ParsedArticleFile {
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)([\s\S]*)$/.exec(source);
  if (!match) return { ok: false, reason: t(locale, "knowledge-import-front-matter") };
  let front: unknown;
  try {
    front = parseYaml(match[1]!, { maxAliasCount: 10 });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 120) : "";
    return { ok: false, reason: t(locale, "knowledge-import-yaml", { detail }) };
  }
  if (!front || typeof front !== "object" || Array.isArray(front)) return { ok: false, reason: t(locale, "knowledge-import-front-matter") };
  const parsed = parseInput(KnowledgeArticleSchema, front, locale);
  if (!parsed.ok) return { ok: false, reason: Object.entries(parsed.fields).map(([field, message]) => `${field || "front matter"}: ${message}`).join("; ") };
  const body = match[2]!.trim();
  if (!body) return { ok: false, reason: t(locale, "knowledge-body-required") };
  if (body.length > KNOWLEDGE_BODY_MAX) return { ok: false, reason: t(locale, "field-too-long", { max: KNOWLEDGE_BODY_MAX }) };
  return { ok: true, meta: parsed.data, body };
}

/**
 * Imports every `*.md` file of a folder (not recursive), in name order. Idempotent by article id:
 * a new id is created, a known one re-imported as a new revision only when its text changed, never
 * duplicated. A bad file is rejected by name and reason and the others still import; two files
 * with one id: the second is rejected. The CLI and the seed act as the local operator (SystemActor); a
 * signed-in caller must be a trainer or coordinator.
 */
export async function importKnowledge(
  deps: Deps,
  actor: Principal,
  dir: string,
  opts: { locale?: Locale; source?: "import" | "seed" } = {},
): Promise<KnowledgeImportSummary> {
  requireRole(actor, ...KNOWLEDGE_EDITOR_ROLES);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const summary: KnowledgeImportSummary = { imported: 0, updated: 0, unchanged: 0, rejected: [] };
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".md"))
    .map((e) => e.name)
    .sort();
  const seen = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    if (statSync(path).size > KNOWLEDGE_FILE_MAX_BYTES) {
      summary.rejected.push({ file, reason: t(locale, "knowledge-import-too-large", { max: KNOWLEDGE_FILE_MAX_BYTES / 1024 }) });
      continue;
    }
    const bytes = readFileSync(path);
    const text = bytes.toString("utf8");
    if (text.includes("\uFFFD")) {
      summary.rejected.push({ file, reason: t(locale, "knowledge-import-encoding") });
      continue;
    }
    const parsed = parseArticleFile(text, locale);
    if (!parsed.ok) {
      summary.rejected.push({ file, reason: parsed.reason });
      continue;
    }
    const { meta, body } = parsed;
    const earlier = seen.get(meta.id);
    if (earlier) {
      summary.rejected.push({ file, reason: t(locale, "knowledge-import-duplicate-id", { id: meta.id, file: earlier }) });
      continue;
    }
    seen.set(meta.id, file);
    const content = contentOf(meta, body);
    const existing = await deps.db.prisma.knowledgeArticle.findUnique({ where: { id: meta.id } });
    if (!existing) {
      await writeArticleVersion(deps, actor, meta.id, content, { source: opts.source ?? "import", expectRevision: null });
      summary.imported++;
      continue;
    }
    summary.updated++;
    const stored: ArticleContent = { title: existing.title, ...decodeArticleLists(existing), law: existing.law, body: existing.body, updated: existing.updated };
    if (sameContent(stored, content)) {
      summary.unchanged++;
      continue;
    }
    await writeArticleVersion(deps, actor, meta.id, content, { source: "import", expectRevision: existing.revision });
  }
  return summary;
}

/** Loads the seed knowledge base into a database that has no article yet; returns how many were added. */
export async function seedKnowledge(deps: Deps, dir: string = SEED_KNOWLEDGE_DIR): Promise<number> {
  if ((await deps.db.prisma.knowledgeArticle.count()) > 0) return 0;
  const summary = await importKnowledge(deps, systemActor("seed"), dir, { source: "seed" });
  return summary.imported;
}
