import { CORE_SYNONYM_GROUPS } from "../../domain/knowledge/lexicon.ts";
import { KnowledgeSynonymSchema } from "../../domain/knowledge/schemas.ts";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import { requireRole } from "./identity.ts";
import type { Actor } from "./identity.ts";
import type { Deps } from "../deps.ts";
import { normalizeForSearch } from "./analyzer.ts";

/** A synonym group as trainers see it: core's (fixed, `id` null) or one a trainer added. */
export interface SynonymGroupView {
  id: string | null;
  terms: string[];
  builtIn: boolean;
  createdAt: string | null;
}

/** Core's groups and the trainers' own, for the trainers' page (trainers only). */
export async function listKnowledgeSynonyms(deps: Deps, actor: Actor | null): Promise<SynonymGroupView[]> {
  requireRole(actor, "trainer");
  const rows = await deps.db.prisma.knowledgeSynonym.findMany({ orderBy: { createdAt: "desc" } });
  const own = rows.map((r) => ({ id: r.id, terms: JSON.parse(r.terms) as string[], builtIn: false, createdAt: r.createdAt.toISOString() }));
  return [...own, ...CORE_SYNONYM_GROUPS.map((g) => ({ id: null, terms: [...g], builtIn: true, createdAt: null }))];
}

/**
 * Adds a synonym group (trainers): its words then find each other's articles at once, in every
 * process (searches compare the table on every query). Words are normalised as queries are
 * (traditional, full-width, upper case folded).
 */
export async function addKnowledgeSynonym(deps: Deps, actor: Actor | null, input: unknown, opts: { locale?: Locale } = {}): Promise<SynonymGroupView> {
  requireRole(actor, "trainer");
  const parsed = parseInput(KnowledgeSynonymSchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_knowledge_synonym" });
  const terms = [...new Set(parsed.data.terms.map(normalizeForSearch))];
  if (terms.length < 2) throw new AppError("invalid_input", { fields: { terms: t(opts.locale ?? DEFAULT_LOCALE, "knowledge-synonym-min") }, messageKey: "knowledge-synonym-min", reason: "invalid_knowledge_synonym" });
  const now = deps.clock.now();
  const row = await deps.db.prisma.$transaction(async (tx) => {
    const created = await tx.knowledgeSynonym.create({ data: { terms: JSON.stringify(terms), createdById: actor.userId, createdAt: now } });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "knowledge.synonym.add", subject: `synonym:${created.id}`, result: "ok", detail: { terms } });
    return created;
  });
  return { id: row.id, terms, builtIn: false, createdAt: row.createdAt.toISOString() };
}

/** Removes a trainer's synonym group (core's groups cannot be removed). Unknown id: 404. */
export async function removeKnowledgeSynonym(deps: Deps, actor: Actor | null, id: string): Promise<void> {
  requireRole(actor, "trainer");
  const found = await deps.db.prisma.knowledgeSynonym.findUnique({ where: { id } });
  if (!found) throw new AppError("not_found", { messageKey: "knowledge-synonym-unknown", reason: "knowledge_synonym_unknown" });
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.knowledgeSynonym.delete({ where: { id } });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "knowledge.synonym.remove", subject: `synonym:${id}`, result: "ok" });
  });
}
