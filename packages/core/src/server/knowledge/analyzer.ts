import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { Jieba } from "@node-rs/jieba";
import type { pinyin as PinyinFn } from "pinyin-pro";
import { toHalfWidth } from "../../domain/text.ts";
import { STOP_WORDS, synonymExpansions } from "../../domain/knowledge/lexicon.ts";
import { userDictionaryWords } from "./terms.ts";

/**
 * Turns Chinese text into the tokens the knowledge index stores and queries match. Node only
 * (jieba is a native module). Both sides go through the same steps, so they always agree:
 *   1. normalise: full-width -> half-width, traditional -> simplified (opencc), A-Z -> a-z. Every
 *      step maps one UTF-16 unit to one, so positions in the normalised text are positions in the
 *      original: snippets highlight what the reader typed into the original text;
 *   2. words: jieba in search mode with the tax terms as a user dictionary (terms.ts);
 *   3. character bigrams of every Chinese run (two-character terms and partial words: 契税, 车船);
 *   4. pinyin without tones of words (index) and of query windows that are not known words (車船水
 *      -> 车船水 -> che chuan shui = 车船税), kept in a column of its own with a low weight.
 * What must stay true: tokens contain only letters and digits (so FTS syntax in a query is inert),
 * and ANALYZER_VERSION changes whenever tokenization could change (the index is then rebuilt).
 */

const CODE_VERSION = "knowledge-analyzer-3";

// jieba, opencc and pinyin-pro load their dictionaries (~0.5 s together) on first use, not at import:
// every process imports core's server entry, few of them search.
const load = createRequire(import.meta.url);
let pinyinFn: typeof PinyinFn | null = null;
const pinyin: typeof PinyinFn = ((...args: Parameters<typeof PinyinFn>) =>
  (pinyinFn ??= (load("pinyin-pro") as { pinyin: typeof PinyinFn }).pinyin)(...args)) as typeof PinyinFn;

let jiebaInstance: Jieba | null = null;
let dictionaryHash = "";

function dictionaryText(): string {
  return userDictionaryWords()
    .map((w) => `${w} 20000 n`)
    .join("\n");
}

/** The jieba segmenter with the default dictionary and the tax terms (loaded once per process, ~0.3 s). */
function jieba(): Jieba {
  if (!jiebaInstance) {
    const { Jieba: JiebaClass } = load("@node-rs/jieba") as { Jieba: typeof Jieba };
    const { dict } = load("@node-rs/jieba/dict") as { dict: Uint8Array };
    const instance = JiebaClass.withDict(dict);
    instance.loadDict(Buffer.from(dictionaryText(), "utf8"));
    jiebaInstance = instance;
  }
  return jiebaInstance;
}

/** Identifies the tokenization: the code's version and the user dictionary. Stored with the index. */
export function analyzerVersion(): string {
  if (!dictionaryHash) dictionaryHash = createHash("sha256").update(CODE_VERSION).update(dictionaryText()).digest("hex").slice(0, 16);
  return dictionaryHash;
}

type Convert = (text: string) => string;
let converters: { t2s: Convert; s2t: Convert } | null = null;
const simplifiedChar = new Map<string, string>();
const CJK_CHAR = /[\u3400-\u9fff\uf900-\ufaff]/g;

/**
 * Traditional -> simplified, character by character (memoised): 1:1, so positions survive. A
 * character that has a traditional form of its own is simplified already and stays (opencc alone
 * would turn the 么 of 什么 into 幺).
 */
function toSimplified(text: string): string {
  return text.replace(CJK_CHAR, (ch) => {
    let out = simplifiedChar.get(ch);
    if (out === undefined) {
      const opencc = load("opencc-js") as { Converter(o: { from: string; to: string }): Convert };
      converters ??= { t2s: opencc.Converter({ from: "tw", to: "cn" }), s2t: opencc.Converter({ from: "cn", to: "tw" }) };
      const converted = converters.s2t(ch) !== ch ? ch : converters.t2s(ch);
      out = converted.length === 1 ? converted : ch;
      simplifiedChar.set(ch, out);
    }
    return out;
  });
}

/**
 * Folds text for matching without changing its length: half-width, simplified, Latin lower case.
 * Index and query both use it.
 */
export function normalizeForSearch(text: string): string {
  return toSimplified(toHalfWidth(text).replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

const HAN = /\p{Script=Han}/u;
const TOKEN_RUN = /[\p{L}\p{N}]+/gu;
const HAN_RUN = /\p{Script=Han}+/gu;

/** Splits a raw jieba token into letter/digit runs (drops punctuation, spaces, emoji). */
function cleanTokens(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const token of raw) for (const m of token.matchAll(TOKEN_RUN)) out.push(m[0]);
  return out;
}

/** jieba's search-mode words of normalised text, letters and digits only. */
export function words(normalised: string): string[] {
  if (!normalised.trim()) return [];
  return cleanTokens(jieba().cutForSearch(normalised, true));
}

/** Character bigrams of every Chinese run (a lone character stands for itself) and the Latin/digit runs whole. */
export function bigrams(normalised: string): string[] {
  const out: string[] = [];
  for (const m of normalised.matchAll(TOKEN_RUN)) {
    const run = m[0];
    for (const part of splitScripts(run)) {
      if (!HAN.test(part)) {
        out.push(part);
        continue;
      }
      const chars = [...part];
      if (chars.length === 1) out.push(part);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    }
  }
  return out;
}

/** Splits a letter/digit run into Han and non-Han parts: 个税app -> 个税, app. */
function splitScripts(run: string): string[] {
  const parts: string[] = [];
  let last = 0;
  for (const m of run.matchAll(HAN_RUN)) {
    if (m.index > last) parts.push(run.slice(last, m.index));
    parts.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < run.length) parts.push(run.slice(last));
  return parts;
}

const pinyinCache = new Map<string, string>();
/** Toneless pinyin of a Chinese word, syllables joined: 车船税 -> chechuanshui. */
export function pinyinKey(word: string): string {
  let key = pinyinCache.get(word);
  if (key === undefined) {
    key = (pinyin(word, { toneType: "none", type: "array", nonZh: "removed", v: true }) as string[]).join("").replace(/[^a-z]/g, "");
    if (pinyinCache.size > 200_000) pinyinCache.clear();
    pinyinCache.set(word, key);
  }
  return key;
}

/** The pre-tokenized columns of one article (space-separated tokens), as the index stores them. */
export interface KnowledgeIndexColumns {
  /** title and tag words */
  tw: string;
  /** title and tag bigrams */
  tb: string;
  /** body words */
  bw: string;
  /** body bigrams */
  bb: string;
  /** toneless pinyin of the distinct Chinese words of 2-4 characters (title, tags, body) */
  py: string;
}

/** Tokenizes an article for the index. `plain` is the body's plain text (markdownToPlainText). */
export function analyzeDocument(doc: { title: string; tags: readonly string[]; plain: string }): KnowledgeIndexColumns {
  const head = normalizeForSearch([doc.title, ...doc.tags].join(" \n "));
  const body = normalizeForSearch(doc.plain);
  const headWords = words(head);
  const bodyWords = words(body);
  const pinyinWords = new Set<string>();
  for (const w of [...headWords, ...bodyWords]) {
    const n = [...w].length;
    if (n >= 2 && n <= 4 && /^\p{Script=Han}+$/u.test(w)) pinyinWords.add(w);
  }
  return {
    tw: headWords.join(" "),
    tb: bigrams(head).join(" "),
    bw: bodyWords.join(" "),
    bb: bigrams(body).join(" "),
    py: [...pinyinWords].map(pinyinKey).filter(Boolean).join(" "),
  };
}

/** What a query becomes before it meets the index. */
export interface AnalyzedQuery {
  /** The normalised query text (same length as the input). */
  normalised: string;
  /** Content words of the query (stop words removed), for the word columns. */
  words: string[];
  /** Bigrams of the query's content spans (never across a stop word), for the bigram columns. */
  bigrams: string[];
  /** Words and bigrams contributed by synonym groups. */
  synonymWords: string[];
  synonymBigrams: string[];
  /** Pinyin keys of query windows that are not known words (homophone fallback). */
  pinyin: string[];
  /** Surface strings to highlight in snippets: the query's words and its synonyms (2+ characters, or 1 when nothing else). */
  highlight: string[];
  /** The windows each pinyin key came from, for highlighting the homophone the index matched. */
  pinyinWindows: Map<string, string>;
}

const MAX_TERMS = 160;
const MAX_PINYIN_WINDOWS = 40;

/** The query's content spans: runs of non-stop-word tokens (accurate-mode jieba), stop words and punctuation split them. */
function contentSpans(normalised: string, isKnownTerm: (term: string) => boolean): { spans: string[]; tokens: string[]; weak: string[] } {
  const spans: string[] = [];
  const tokens: string[] = [];
  // Runs of tokens the index does not know as words (single characters, odd splits, typos): only
  // these need character bigrams; a known word already matches every article that has it.
  const weak: string[] = [];
  let current = "";
  let run = "";
  const endRun = () => {
    if (run) weak.push(run);
    run = "";
  };
  for (const token of jieba().cut(normalised, true)) {
    const clean = token.match(TOKEN_RUN)?.join("") ?? "";
    if (!clean || STOP_WORDS.has(clean)) {
      if (current) spans.push(current);
      current = "";
      endRun();
      continue;
    }
    // Latin next to Chinese stays in the span: bigrams() splits scripts (个税app -> 个税, app).
    current += clean;
    tokens.push(clean);
    if ([...clean].length >= 2 && isKnownTerm(clean)) endRun();
    else run += clean;
  }
  if (current) spans.push(current);
  endRun();
  return { spans, tokens, weak };
}

function uniq(values: Iterable<string>): string[] {
  return [...new Set(values)].filter(Boolean);
}

/**
 * Analyzes a search query. `isKnownTerm` asks the index whether a window is a word some article
 * uses (only unknown windows get a pinyin alternative); `synonyms` are core's groups plus the
 * trainers'. Returns no terms at all for punctuation, emoji or filler-only questions.
 */
export function analyzeQuery(
  query: string,
  opts: { synonyms: readonly (readonly string[])[]; isKnownTerm: (term: string) => boolean },
): AnalyzedQuery {
  const normalised = normalizeForSearch(query);
  const { spans, tokens, weak } = contentSpans(normalised, opts.isKnownTerm);
  const queryWords = uniq(spans.flatMap((s) => words(s)).filter((w) => !STOP_WORDS.has(w)));
  const queryBigrams = uniq(weak.flatMap((s) => bigrams(s)));

  // Phrases of 3+ characters may span filler words (什么时候交): they are looked for in the whole query.
  const expansions = synonymExpansions(normalised, tokens, opts.synonyms);
  const synonymWords = uniq(expansions.flatMap((e) => [...words(normalizeForSearch(e)), ...(/\s/.test(e) ? [] : [normalizeForSearch(e)])]).filter((w) => !queryWords.includes(w)));
  // Synonyms are whole words of the office's vocabulary: their words suffice, no bigrams.
  const synonymBigrams: string[] = [];

  const pinyinKeys: string[] = [];
  const pinyinWindows = new Map<string, string>();
  outer: for (const span of spans) {
    for (const m of span.matchAll(HAN_RUN)) {
      const chars = [...m[0]];
      for (let size = 2; size <= 4; size++) {
        for (let i = 0; i + size <= chars.length; i++) {
          if (pinyinWindows.size >= MAX_PINYIN_WINDOWS) break outer;
          const window = chars.slice(i, i + size).join("");
          if (opts.isKnownTerm(window)) continue;
          const key = pinyinKey(window);
          if (key.length < 4 || pinyinWindows.has(key)) continue;
          pinyinWindows.set(key, window);
          pinyinKeys.push(key);
        }
      }
    }
  }

  const multi = (w: string) => [...w].length >= 2 || !HAN.test(w);
  const highlight = uniq([...queryWords.filter(multi), ...expansions.map(normalizeForSearch)]);
  if (highlight.length === 0) highlight.push(...queryWords);

  // Bound the query: a long question adds little after its first 160 terms.
  let budget = MAX_TERMS;
  const take = (list: string[]) => {
    const kept = list.slice(0, Math.max(0, budget));
    budget -= kept.length;
    return kept;
  };
  return {
    normalised,
    words: take(queryWords),
    bigrams: take(queryBigrams),
    synonymWords: take(synonymWords),
    synonymBigrams: take(synonymBigrams),
    pinyin: take(pinyinKeys),
    highlight,
    pinyinWindows,
  };
}

/** True when the analyzed query has anything to look for. */
export function hasTerms(q: AnalyzedQuery): boolean {
  return q.words.length + q.bigrams.length + q.synonymWords.length + q.synonymBigrams.length + q.pinyin.length > 0;
}
