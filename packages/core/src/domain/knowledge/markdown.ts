import { Lexer, type Token, type Tokens } from "marked";

/**
 * Safe rendering of article Markdown. Articles are parsed into a small plain structure of blocks
 * and inline spans; front ends draw that structure with their own components (the mini-app with
 * View/Text, the bot as Telegram HTML built here with escaping), never as HTML from the author.
 *
 * What must stay true: raw HTML in an article is never passed through (`<script>` becomes the
 * visible text of its content or nothing); only http(s) and mailto links keep their target;
 * images become their alt text. The same structure gives the plain text that search indexes, so
 * what is found is what is shown.
 */

/** A run of text with its emphasis. `href` only for safe links. */
export interface KnowledgeSpan {
  text: string;
  bold?: true;
  italic?: true;
  code?: true;
  href?: string;
}

/** One block of an article. Headings are levels 2-4 (level 1 is the article title). */
export type KnowledgeBlock =
  | { type: "heading"; level: 2 | 3 | 4; spans: KnowledgeSpan[] }
  | { type: "paragraph"; spans: KnowledgeSpan[] }
  | { type: "list"; ordered: boolean; start: number; items: KnowledgeSpan[][] }
  | { type: "quote"; blocks: KnowledgeBlock[] }
  | { type: "code"; text: string }
  | { type: "table"; header: string[]; rows: string[][] }
  | { type: "rule" };

const SAFE_HREF = /^(https?:\/\/|mailto:)[^\s<>"'`]+$/i;

/** Only a link the reader can safely open keeps its target. */
export function safeHref(href: string | undefined): string | undefined {
  const trimmed = (href ?? "").trim();
  return SAFE_HREF.test(trimmed) ? trimmed : undefined;
}

/** Text of an HTML fragment without its tags, scripts and styles. */
function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/<\/?[A-Za-z][^>]*$/g, "");
}

type Marks = Omit<KnowledgeSpan, "text">;

function pushSpan(out: KnowledgeSpan[], text: string, marks: Marks): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.bold === marks.bold && last.italic === marks.italic && last.code === marks.code && last.href === marks.href) {
    last.text += text;
    return;
  }
  out.push({ text, ...marks });
}

const OPEN_RAW = /^<(script|style|iframe|object|template)\b/i;
const CLOSE_RAW = /^<\/(script|style|iframe|object|template)\s*>/i;

function inlineSpans(tokens: readonly Token[] | undefined, marks: Marks = {}, out: KnowledgeSpan[] = [], state = { skipping: false }): KnowledgeSpan[] {
  for (const token of tokens ?? []) {
    // Inline HTML arrives tag by tag: whatever sits between <script> and </script> is dropped too.
    if (token.type === "html") {
      const text = (token as Tokens.HTML).text.trim();
      if (OPEN_RAW.test(text)) {
        state.skipping = !/<\/(script|style|iframe|object|template)\s*>\s*$/i.test(text);
        continue;
      }
      if (CLOSE_RAW.test(text)) {
        state.skipping = false;
        continue;
      }
    }
    if (state.skipping) continue;
    switch (token.type) {
      case "strong":
        inlineSpans((token as Tokens.Strong).tokens, { ...marks, bold: true }, out, state);
        break;
      case "em":
        inlineSpans((token as Tokens.Em).tokens, { ...marks, italic: true }, out, state);
        break;
      case "del":
        inlineSpans((token as Tokens.Del).tokens, marks, out, state);
        break;
      case "codespan":
        pushSpan(out, (token as Tokens.Codespan).text, { ...marks, code: true });
        break;
      case "br":
        pushSpan(out, "\n", marks);
        break;
      case "link": {
        const link = token as Tokens.Link;
        const href = safeHref(link.href);
        inlineSpans(link.tokens, href ? { ...marks, href } : marks, out, state);
        break;
      }
      case "image":
        pushSpan(out, (token as Tokens.Image).text, marks);
        break;
      case "html":
        pushSpan(out, stripHtml((token as Tokens.HTML).text), marks);
        break;
      case "escape":
        pushSpan(out, (token as Tokens.Escape).text, marks);
        break;
      case "text": {
        const text = token as Tokens.Text;
        if (text.tokens && text.tokens.length) inlineSpans(text.tokens, marks, out, state);
        else pushSpan(out, text.text, marks);
        break;
      }
      default: {
        const generic = token as Tokens.Generic;
        if (Array.isArray(generic.tokens)) inlineSpans(generic.tokens as Token[], marks, out, state);
        else if (typeof generic.text === "string") pushSpan(out, generic.text, marks);
      }
    }
  }
  return out;
}

function trimSpans(spans: KnowledgeSpan[]): KnowledgeSpan[] {
  const out = spans.filter((s) => s.text.length > 0);
  if (out[0]) out[0] = { ...out[0], text: out[0].text.replace(/^\s+/, "") };
  const last = out.length - 1;
  if (out[last]) out[last] = { ...out[last]!, text: out[last]!.text.replace(/\s+$/, "") };
  return out.filter((s) => s.text.length > 0);
}

/** A list item's text: its paragraphs and nested lists flattened into one line of spans. */
function itemSpans(item: Tokens.ListItem): KnowledgeSpan[] {
  const out: KnowledgeSpan[] = [];
  for (const token of item.tokens) {
    if (token.type === "list") {
      for (const nested of (token as Tokens.List).items) {
        const spans = itemSpans(nested);
        if (!spans.length) continue;
        if (out.length) pushSpan(out, "；", {});
        for (const { text, ...marks } of spans) pushSpan(out, text, marks);
      }
    } else if (token.type === "space") {
      continue;
    } else if ("tokens" in token && Array.isArray(token.tokens) && token.type !== "code") {
      if (out.length) pushSpan(out, " ", {});
      inlineSpans(token.tokens, {}, out);
    } else if (token.type === "code") {
      pushSpan(out, (token as Tokens.Code).text, { code: true });
    } else if (token.type === "html") {
      pushSpan(out, stripHtml((token as Tokens.HTML).text), {});
    } else if ("text" in token && typeof token.text === "string") {
      pushSpan(out, token.text, {});
    }
  }
  return trimSpans(out);
}

function blocksOf(tokens: readonly Token[]): KnowledgeBlock[] {
  const blocks: KnowledgeBlock[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "heading": {
        const h = token as Tokens.Heading;
        const spans = trimSpans(inlineSpans(h.tokens));
        if (spans.length) blocks.push({ type: "heading", level: Math.min(Math.max(h.depth, 2), 4) as 2 | 3 | 4, spans });
        break;
      }
      case "paragraph":
      case "text": {
        const p = token as Tokens.Paragraph;
        const spans = trimSpans(inlineSpans(p.tokens ?? [{ type: "text", raw: p.text, text: p.text } as Tokens.Text]));
        if (spans.length) blocks.push({ type: "paragraph", spans });
        break;
      }
      case "list": {
        const list = token as Tokens.List;
        const items = list.items.map(itemSpans).filter((s) => s.length > 0);
        if (items.length) blocks.push({ type: "list", ordered: list.ordered, start: typeof list.start === "number" ? list.start : 1, items });
        break;
      }
      case "blockquote": {
        const inner = blocksOf((token as Tokens.Blockquote).tokens);
        if (inner.length) blocks.push({ type: "quote", blocks: inner });
        break;
      }
      case "code": {
        const text = (token as Tokens.Code).text;
        if (text.trim()) blocks.push({ type: "code", text });
        break;
      }
      case "table": {
        const table = token as Tokens.Table;
        const cell = (c: Tokens.TableCell) => spansText(inlineSpans(c.tokens)).trim();
        blocks.push({ type: "table", header: table.header.map(cell), rows: table.rows.map((r) => r.map(cell)) });
        break;
      }
      case "hr":
        blocks.push({ type: "rule" });
        break;
      case "html": {
        const text = stripHtml((token as Tokens.HTML).text).trim();
        if (text) blocks.push({ type: "paragraph", spans: [{ text }] });
        break;
      }
      default:
        break;
    }
  }
  return blocks;
}

/** Parses article Markdown into blocks. Never throws; anything unknown is dropped or becomes text. */
export function parseKnowledgeMarkdown(markdown: string): KnowledgeBlock[] {
  try {
    return blocksOf(Lexer.lex(markdown, { gfm: true }));
  } catch {
    return markdown
      .split(/\n{2,}/)
      .map((p) => stripHtml(p).trim())
      .filter(Boolean)
      .map((text) => ({ type: "paragraph" as const, spans: [{ text }] }));
  }
}

/** The text of spans, emphasis dropped. */
export function spansText(spans: readonly KnowledgeSpan[]): string {
  return spans.map((s) => s.text).join("");
}

/** One line per block (list items one per line), as search indexes it and snippets quote it. */
export function blocksToPlainText(blocks: readonly KnowledgeBlock[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case "heading":
      case "paragraph":
        lines.push(spansText(block.spans));
        break;
      case "list":
        block.items.forEach((item, i) => lines.push(`${block.ordered ? `${block.start + i}. ` : "- "}${spansText(item)}`));
        break;
      case "quote":
        lines.push(blocksToPlainText(block.blocks));
        break;
      case "code":
        lines.push(block.text);
        break;
      case "table":
        lines.push(block.header.join(" "), ...block.rows.map((r) => r.join(" ")));
        break;
      case "rule":
        break;
    }
  }
  return lines.join("\n");
}

/** Markdown to the plain text search indexes. */
export function markdownToPlainText(markdown: string): string {
  return blocksToPlainText(parseKnowledgeMarkdown(markdown));
}
