import { KnowledgeSearchQuerySchema, type KnowledgeSearchResult } from "../../domain/knowledge/schemas.ts";
import { escapeHtml } from "../../domain/knowledge/render.ts";
import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { formatCst } from "../../domain/time.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity.ts";
import { sqlDate } from "../hot-path.ts";
import type { Actor } from "../hot-path.ts";
import type { Deps } from "../deps.ts";
import { analyzeQuery, hasTerms, normalizeForSearch, pinyinKey, type AnalyzedQuery } from "./analyzer.ts";
import { knowledgeIndex, knowledgeSynonyms } from "./engine.ts";
import type { KnowledgeIndexHit } from "./fts-index.ts";

/** Candidates the index returns before the JS re-rank (the page is cut from these). */
const CANDIDATES = 60;
/** Characters of article text around the matches in a snippet. */
export const SNIPPET_LENGTH = 90;

/**
 * A search's answer: `results` best first. `searchable` is false when the query held nothing to
 * look for (punctuation, emoji, only filler words): the bot then treats the text as not a question.
 */
export interface KnowledgeSearchAnswer {
  results: KnowledgeSearchResult[];
  searchable: boolean;
}

/**
 * Re-ranks the index's candidates. bm25 (title/tag columns weighted 5-10x) stays the base; an
 * article whose title and tags hold more of what was asked moves up: the query's own words count
 * fully, homophones of its unknown windows (气税 -> 契税) nearly so, synonyms half. So 契税减免
 * puts the exemptions article above every article that merely mentions 契税, and 房东租出去 the
 * rental article above the property-tax one.
 */
function rerank(hits: KnowledgeIndexHit[], q: AnalyzedQuery): KnowledgeIndexHit[] {
  const own = q.words.filter((w) => [...w].length >= 2 || /^[a-z0-9]+$/.test(w));
  const synonyms = q.synonymWords.filter((w) => [...w].length >= 2);
  const total = own.reduce((n, w) => n + [...w].length, 0) || 2;
  // A lone character (上, 课, 税) matches nearly every article: it helps rank, but an article that
  // matches nothing longer is dropped, so a question the base does not cover finds nothing. Only a
  // query with nothing longer (税) keeps such matches.
  const strong = [...new Set([...own, ...synonyms, ...q.bigrams, ...q.synonymBigrams].filter((w) => [...w].length >= 2 || /^[a-z0-9]+$/.test(w)))];
  const needsEvidence = strong.length > 0 || q.pinyin.length > 0;
  return hits
    .filter((hit) => {
      if (!needsEvidence) return true;
      const text = normalizeForSearch(`${hit.title}\n${hit.tags.join(" ")}\n${hit.plain}`);
      return strong.some((w) => text.includes(w)) || (q.pinyin.length > 0 && homophones(text, q).length > 0);
    })
    .map((hit) => {
      const title = normalizeForSearch(hit.title);
      const tags = normalizeForSearch(hit.tags.join(" "));
      const head = `${title} ${tags}`;
      let matched = 0;
      for (const w of own) if (title.includes(w)) matched += [...w].length;
      else if (tags.includes(w)) matched += 0.6 * [...w].length;
      for (const w of synonyms) if (head.includes(w)) matched += 0.5 * [...w].length;
      for (const w of homophones(head, q)) matched += 0.8 * [...w].length;
      const coverage = Math.min(matched / total, 1.5);
      return { ...hit, score: hit.score * (1 + 0.6 * coverage) };
    })
    .sort((a, b) => b.score - a.score);
}

/** Positions [start, end) of each highlight term in the normalised text. */
function matchRanges(normalised: string, terms: readonly string[]): { start: number; end: number; term: string }[] {
  const ranges: { start: number; end: number; term: string }[] = [];
  for (const term of terms) {
    if (!term) continue;
    for (let at = normalised.indexOf(term); at >= 0 && ranges.length < 400; at = normalised.indexOf(term, at + term.length)) {
      ranges.push({ start: at, end: at + term.length, term });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** Words of the article that sound like the query's unknown windows (车船水 -> 车船税), to highlight them. */
function homophones(normalised: string, q: AnalyzedQuery): string[] {
  const found = new Set<string>();
  for (const [key, window] of q.pinyinWindows) {
    const size = [...window].length;
    const chars = new Set(window);
    for (let i = 0; i + size <= normalised.length; i++) {
      const candidate = normalised.slice(i, i + size);
      if (candidate === window || ![...candidate].some((c) => chars.has(c)) || !/^\p{Script=Han}+$/u.test(candidate)) continue;
      if (pinyinKey(candidate) === key) found.add(candidate);
    }
  }
  return [...found];
}

/**
 * A snippet of the article's plain text around the densest cluster of matches: HTML-escaped, the
 * matches wrapped in `<mark>`, line breaks and list markers folded to spaces, `…` where cut.
 * Built from the original text (positions come from the same-length normalised text), so the
 * reader sees the article's words, not the normalised ones.
 */
export function buildSnippet(plain: string, terms: readonly string[], length = SNIPPET_LENGTH): string {
  const normalised = normalizeForSearch(plain);
  const ranges = matchRanges(normalised, terms);
  let start = 0;
  if (ranges.length) {
    let best = -1;
    for (const r of ranges) {
      const from = Math.max(0, r.start - 12);
      const distinct = new Set(ranges.filter((x) => x.start >= from && x.end <= from + length).map((x) => x.term));
      if (distinct.size > best) {
        best = distinct.size;
        start = from;
      }
    }
  }
  const end = Math.min(plain.length, start + length);
  const marked = new Array<boolean>(end - start).fill(false);
  for (const r of ranges) for (let i = Math.max(r.start, start); i < Math.min(r.end, end); i++) marked[i - start] = true;
  let out = start > 0 ? "…" : "";
  let open = false;
  let lineStart = start === 0 || plain[start - 1] === "\n";
  for (let i = start; i < end; i++) {
    let ch = plain[i]!;
    if (lineStart) {
      const marker = /^(- |\d{1,2}\. )/.exec(plain.slice(i, i + 4));
      if (marker) {
        i += marker[0].length - 1;
        lineStart = false;
        continue;
      }
    }
    lineStart = ch === "\n";
    if (ch === "\n") ch = " ";
    const m = marked[i - start]!;
    if (m && !open) out += "<mark>";
    if (!m && open) out += "</mark>";
    open = m;
    out += escapeHtml(ch);
  }
  if (open) out += "</mark>";
  if (end < plain.length) out += "…";
  return out.replace(/\s{2,}/g, " ").trim();
}

/** Long digit runs (ID, phone, contract numbers someone pasted) never reach the zero-result log. */
export function maskQueryForLog(normalised: string): string {
  return normalised.replace(/\d{6,}/g, (d) => "*".repeat(d.length)).slice(0, 200);
}

/**
 * Searches the knowledge base. Anyone may search (learning needs no sign-in). Validates with
 * KnowledgeSearchQuerySchema (400 for an empty or over-long query); punctuation, emoji and FTS
 * syntax simply find nothing. Best first; each result has an HTML-escaped snippet with `<mark>`.
 * A search with terms that finds nothing is recorded (normalised text and time only, no user).
 */
export async function searchKnowledge(deps: Deps, input: unknown, opts: { locale?: Locale; record?: boolean } = {}): Promise<KnowledgeSearchAnswer> {
  const parsed = parseInput(KnowledgeSearchQuerySchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_knowledge_query" });
  const { q, audience, limit, offset } = parsed.data;
  const index = knowledgeIndex(deps);
  const analyzed = analyzeQuery(q, { synonyms: knowledgeSynonyms(deps), isKnownTerm: (t) => index.isKnownTerm(t) });
  if (!hasTerms(analyzed)) return { results: [], searchable: false };
  const hits = rerank(index.search(analyzed, { limit: Math.max(CANDIDATES, offset + limit), audience }), analyzed);
  if (hits.length === 0 && offset === 0 && opts.record !== false) recordZeroResult(deps, analyzed.normalised);
  const page = hits.slice(offset, offset + limit);
  return {
    searchable: true,
    results: page.map((hit) => {
      const normalised = normalizeForSearch(hit.plain);
      const terms = [...analyzed.highlight, ...homophones(normalised, analyzed)];
      return { id: hit.id, title: hit.title, snippet: buildSnippet(hit.plain, terms), score: Math.round(hit.score * 1000) / 1000, audience: hit.audience };
    }),
  };
}

function recordZeroResult(deps: Deps, normalised: string): void {
  const query = maskQueryForLog(normalised.trim());
  if (!query) return;
  try {
    deps.db.sqlite.prepare(`INSERT INTO KnowledgeZeroResult (query, at) VALUES (?, ?)`).run(query, sqlDate(deps.clock.now()));
  } catch (error) {
    // Losing a statistic must never fail a search.
    deps.logger.warn({ error: error instanceof Error ? error.message : String(error) }, "zero-result query not recorded");
  }
}

/** One line of the trainers' zero-result report. `lastAt` is CST (YYYY-MM-DD HH:mm). */
export interface ZeroResultView {
  query: string;
  count: number;
  lastAt: string;
}

/** The most frequent searches that found nothing in the last `days` days (trainers). */
export async function topZeroResultQueries(deps: Deps, actor: Actor | null, opts: { days?: number; limit?: number } = {}): Promise<ZeroResultView[]> {
  requireRole(actor, "trainer");
  const days = Math.min(Math.max(Math.trunc(opts.days ?? 90), 1), 366);
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 20), 1), 200);
  const since = new Date(deps.clock.now().getTime() - days * 86_400_000);
  const rows = await deps.db.prisma.knowledgeZeroResult.groupBy({
    by: ["query"],
    where: { at: { gte: since } },
    _count: { _all: true },
    _max: { at: true },
    orderBy: [{ _count: { query: "desc" } }, { _max: { at: "desc" } }],
    take: limit,
  });
  return rows.map((r) => ({ query: r.query, count: r._count._all, lastAt: r._max.at ? formatCst(r._max.at) : "" }));
}
