import { KnowledgeSearchQuerySchema, type KnowledgeSearchResult } from "../../domain/knowledge/schemas.ts";
import { escapeHtml } from "../../domain/knowledge/render.ts";
import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { formatCst } from "../../domain/time.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "./identity.ts";
import type { Actor } from "./identity.ts";
import type { Deps } from "../deps.ts";
import { analyzeQuery, hasTerms, normalizeForSearch, pinyinKey, type AnalyzedQuery } from "./analyzer.ts";
import { knowledgeIndex, knowledgeSynonyms } from "./engine.ts";
import type { KnowledgeIndexHit } from "./fts-index.ts";

/** Candidates the index returns before the JS re-rank (the page is cut from these). */
const CANDIDATES = 30;
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
      const head = `${normalisedText(hit.title)}\n${normalisedText(hit.tags.join(" "))}`;
      const body = normalisedText(hit.plain);
      return strong.some((w) => head.includes(w) || body.includes(w)) || (q.pinyin.length > 0 && (homophones(head, q).length > 0 || homophones(body, q).length > 0));
    })
    .map((hit) => {
      const title = normalisedText(hit.title);
      const tags = normalisedText(hit.tags.join(" "));
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
    const chars = [...window];
    const size = chars.length;
    const tried = new Set<number>();
    // Only substrings that share a character with the window can sound like it: start from those.
    for (const ch of new Set(chars)) {
      for (let at = normalised.indexOf(ch); at >= 0; at = normalised.indexOf(ch, at + 1)) {
        for (let start = Math.max(0, at - size + 1); start <= at; start++) {
          if (tried.has(start) || start + size > normalised.length) continue;
          tried.add(start);
          const candidate = normalised.slice(start, start + size);
          if (candidate === window || !/^\p{Script=Han}+$/u.test(candidate)) continue;
          if (pinyinKey(candidate) === key) found.add(candidate);
        }
      }
    }
  }
  return [...found];
}

const normalisedTexts = new Map<string, string>();
/** normalizeForSearch with a bounded cache: candidates' texts repeat from query to query. */
function normalisedText(text: string): string {
  let out = normalisedTexts.get(text);
  if (out === undefined) {
    out = normalizeForSearch(text);
    if (normalisedTexts.size >= 4000) normalisedTexts.clear();
    normalisedTexts.set(text, out);
  }
  return out;
}

/** Rows bm25 may score per query in a large base (its cost grows with rows x terms). */
const ROW_BUDGET = 2000;
/** Most terms one FTS query carries. */
const MAX_MATCH_TERMS = 18;

/**
 * Keeps the terms worth matching. Terms no article uses are dropped (they match nothing and only
 * cost time: most pinyin windows and bigrams across words). In a large base, bm25's cost grows with
 * the rows it scores times the terms: the rarest terms are kept first (they carry the most weight,
 * bm25's idf) until their articles add up to ROW_BUDGET, and never fewer than the four rarest. A base
 * of a few hundred articles keeps every used term.
 */
function pruneTerms(q: AnalyzedQuery, df: (term: string) => number, total: number): AnalyzedQuery {
  const freq = new Map<string, number>();
  for (const t of [...q.words, ...q.synonymWords, ...q.bigrams, ...q.synonymBigrams, ...q.pinyin]) if (!freq.has(t)) freq.set(t, df(t));
  const used = [...freq.entries()].filter(([, n]) => n > 0).sort((a, b) => a[1] - b[1]);
  let keep: Set<string>;
  if (total <= 400) keep = new Set(used.map(([t]) => t));
  else {
    keep = new Set<string>();
    let rows = 0;
    for (const [t, n] of used) {
      if (keep.size >= MAX_MATCH_TERMS || (keep.size >= 4 && rows + n > Math.max(ROW_BUDGET, total * 0.1))) break;
      keep.add(t);
      rows += n;
    }
  }
  const only = (list: string[]) => list.filter((t) => keep.has(t));
  return { ...q, words: only(q.words), synonymWords: only(q.synonymWords), bigrams: only(q.bigrams), synonymBigrams: only(q.synonymBigrams), pinyin: only(q.pinyin) };
}

/**
 * A snippet of the article's plain text around the densest cluster of matches: HTML-escaped, the
 * matches wrapped in `<mark>`, line breaks and list markers folded to spaces, `…` where cut.
 * Built from the original text (positions come from the same-length normalised text), so the
 * reader sees the article's words, not the normalised ones.
 */
export function buildSnippet(plain: string, terms: readonly string[], length = SNIPPET_LENGTH): string {
  const normalised = normalisedText(plain);
  const ranges = matchRanges(normalised, terms);
  // The window (starting a little before a match) that holds the most distinct terms: two pointers
  // over the sorted matches, counting terms in the window.
  let start = 0;
  let best = 0;
  const inWindow = new Map<string, number>();
  let right = 0;
  for (let left = 0; left < ranges.length; left++) {
    const from = Math.max(0, ranges[left]!.start - 12);
    while (right < ranges.length && ranges[right]!.end <= from + length) {
      const term = ranges[right]!.term;
      inWindow.set(term, (inWindow.get(term) ?? 0) + 1);
      right++;
    }
    if (inWindow.size > best) {
      best = inWindow.size;
      start = from;
    }
    const leaving = ranges[left]!.term;
    const n = (inWindow.get(leaving) ?? 0) - 1;
    if (n > 0) inWindow.set(leaving, n);
    else inWindow.delete(leaving);
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
  const index = await knowledgeIndex(deps);
  const synonyms = await knowledgeSynonyms(deps);
  // The analyzer asks the index, word by word, whether a window is a known word. Ask it all of them
  // in one round trip first: a dry run that answers "known" to everything asks every window there is.
  const asked = new Set<string>();
  analyzeQuery(q, { synonyms, isKnownTerm: (t) => (asked.add(t), true) });
  const known = await index.documentFrequencies([...asked]);
  const analyzed = analyzeQuery(q, { synonyms, isKnownTerm: (t) => (known.get(t) ?? 0) > 0 });
  if (!hasTerms(analyzed)) return { results: [], searchable: false };
  const terms = [...analyzed.words, ...analyzed.synonymWords, ...analyzed.bigrams, ...analyzed.synonymBigrams, ...analyzed.pinyin];
  const [frequencies, size] = await Promise.all([index.documentFrequencies(terms.filter((t) => !known.has(t))), index.size()]);
  for (const [t, n] of known) frequencies.set(t, n);
  const pruned = pruneTerms(analyzed, (t) => frequencies.get(t) ?? 0, size);
  const hits = rerank(await index.search(pruned, { limit: Math.max(CANDIDATES, offset + limit), audience }), analyzed);
  if (hits.length === 0 && offset === 0 && opts.record !== false) await recordZeroResult(deps, analyzed.normalised);
  const page = hits.slice(offset, offset + limit);
  return {
    searchable: true,
    results: page.map((hit) => {
      const normalised = normalisedText(hit.plain);
      const terms = [...analyzed.highlight, ...homophones(normalised, analyzed)];
      return { id: hit.id, title: hit.title, snippet: buildSnippet(hit.plain, terms), score: Math.round(hit.score * 1000) / 1000, audience: hit.audience };
    }),
  };
}

async function recordZeroResult(deps: Deps, normalised: string): Promise<void> {
  const query = maskQueryForLog(normalised.trim());
  if (!query) return;
  try {
    await (await knowledgeIndex(deps)).recordZeroResult(query, deps.clock.now());
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
