import { parseKnowledgeMarkdown, spansText, type KnowledgeBlock, type KnowledgeSpan } from "./markdown.ts";

/** Telegram's limit for one message's text, in UTF-16 code units. */
export const TELEGRAM_MESSAGE_MAX = 4096;

/** Escapes text for Telegram's HTML parse mode (and any HTML): &, <, >, and quotes for attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : "&quot;"));
}

function spanHtml(span: KnowledgeSpan): string {
  let html = escapeHtml(span.text);
  if (span.code) html = `<code>${html}</code>`;
  if (span.italic) html = `<i>${html}</i>`;
  if (span.bold) html = `<b>${html}</b>`;
  if (span.href) html = `<a href="${escapeHtml(span.href)}">${html}</a>`;
  return html;
}

const spansHtml = (spans: readonly KnowledgeSpan[]) => spans.map(spanHtml).join("");

/** One block as Telegram HTML (only the tags Telegram allows: b, i, code, pre, a, blockquote). */
function blockHtml(block: KnowledgeBlock): string {
  switch (block.type) {
    case "heading":
      return `<b>${escapeHtml(spansText(block.spans))}</b>`;
    case "paragraph":
      return spansHtml(block.spans);
    case "list":
      return block.items.map((item, i) => `${block.ordered ? `${block.start + i}.` : "•"} ${spansHtml(item)}`).join("\n");
    case "quote":
      return `<blockquote>${block.blocks.map(blockHtml).join("\n\n")}</blockquote>`;
    case "code":
      return `<pre>${escapeHtml(block.text)}</pre>`;
    case "table":
      return [block.header, ...block.rows].map((r) => escapeHtml(r.join(" | "))).join("\n");
    case "rule":
      return "——";
  }
}

/** The visible length of a piece of Telegram HTML: what Telegram counts against the limit. */
function visibleLength(html: string): number {
  return html.replace(/<[^>]+>/g, "").replace(/&(amp|lt|gt|quot);/g, "x").length;
}

/** Splits escaped plain text into pieces of at most `max` visible characters, at line ends or spaces when possible. */
function splitPlain(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf("。", max - 1) + 1;
    if (cut < max / 2) cut = max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, "");
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Renders an article for the bot as Telegram HTML messages: the title in bold, the body block by
 * block, the legal basis last. Each message stays under `max` characters (default 4,096), split
 * between blocks; a single block longer than that is sent as plain escaped text in pieces, so a tag
 * is never cut in half. Everything from the article is escaped: authors cannot inject markup.
 */
export function renderTelegramArticle(
  article: { title: string; body: string; law?: string | null },
  opts: { max?: number; lawLabel?: string } = {},
): string[] {
  const max = Math.min(opts.max ?? TELEGRAM_MESSAGE_MAX, TELEGRAM_MESSAGE_MAX);
  const parts = [`<b>${escapeHtml(article.title)}</b>`, ...parseKnowledgeMarkdown(article.body).map(blockHtml)];
  if (article.law) parts.push(`<i>${escapeHtml(opts.lawLabel ?? "")}${escapeHtml(article.law)}</i>`);
  const messages: string[] = [];
  let current = "";
  const flush = () => {
    if (current) messages.push(current);
    current = "";
  };
  for (const part of parts) {
    const joined = current ? `${current}\n\n${part}` : part;
    if (visibleLength(joined) <= max && joined.length <= TELEGRAM_MESSAGE_MAX * 2) {
      current = joined;
      continue;
    }
    flush();
    if (visibleLength(part) <= max) {
      current = part;
      continue;
    }
    // One block alone is too long: send its text without markup, in pieces.
    const plain = part.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    for (const piece of splitPlain(plain, max)) messages.push(escapeHtml(piece));
  }
  flush();
  return messages;
}

/** One piece of a search snippet: text, and whether it matched the query. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

/**
 * Reads a snippet as the API sends it (HTML-escaped text with `<mark>` around matches) into parts
 * a front end draws with its own text components, never as HTML. Any other tag stays visible text.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  const parts: SnippetPart[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) parts.push({ text: unescape(snippet.slice(last, m.index)), mark: false });
    if (m[1]) parts.push({ text: unescape(m[1]), mark: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: unescape(snippet.slice(last)), mark: false });
  return parts;
}
