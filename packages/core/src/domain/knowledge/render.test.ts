import { describe, expect, it } from "vitest";
import { blocksToPlainText, parseKnowledgeMarkdown, safeHref } from "./markdown.ts";
import { escapeHtml, parseSnippet, renderTelegramArticle, TELEGRAM_MESSAGE_MAX } from "./render.ts";
import { KnowledgeSearchQuerySchema } from "./schemas.ts";
import { synonymExpansions } from "./lexicon.ts";

describe("article Markdown", () => {
  it("keeps headings, lists and emphasis as plain structure", () => {
    const blocks = parseKnowledgeMarkdown("## 要点\n- 第一条 **重要**\n- 第二条\n\n1. 先做\n2. 后做\n\n普通段落，含 `代码`。");
    expect(blocks).toEqual([
      { type: "heading", level: 2, spans: [{ text: "要点" }] },
      { type: "list", ordered: false, start: 1, items: [[{ text: "第一条 " }, { text: "重要", bold: true }], [{ text: "第二条" }]] },
      { type: "list", ordered: true, start: 1, items: [[{ text: "先做" }], [{ text: "后做" }]] },
      { type: "paragraph", spans: [{ text: "普通段落，含 " }, { text: "代码", code: true }, { text: "。" }] },
    ]);
  });

  it("drops raw HTML and scripts, keeps only safe link targets", () => {
    const md = "文字 <b>粗</b> <script>alert(1)</script> 尾\n\n<script>\nsteal()\n</script>\n\n<iframe src=x></iframe>\n\n[a](javascript:alert(1)) [b](https://12366.chinatax.gov.cn) [c](data:text/html,x) ![图](http://x/y.png)";
    const blocks = parseKnowledgeMarkdown(md);
    const text = blocksToPlainText(blocks);
    expect(text).not.toMatch(/alert|steal|<|iframe/);
    expect(text).toContain("文字 粗");
    const links = blocks.flatMap((b) => (b.type === "paragraph" ? b.spans : [])).filter((s) => s.href);
    expect(links).toEqual([{ text: "b", href: "https://12366.chinatax.gov.cn" }]);
    expect(safeHref(" javascript:alert(1)")).toBeUndefined();
  });

  it("never throws on odd input", () => {
    for (const md of ["", "#", "- ", "```", "\u0000", "<".repeat(1000), "*".repeat(5000), "|a|b|\n|-|-|\n|1|2|"]) expect(() => parseKnowledgeMarkdown(md)).not.toThrow();
    expect(parseKnowledgeMarkdown("|税种|税率|\n|-|-|\n|契税|3%|")).toEqual([{ type: "table", header: ["税种", "税率"], rows: [["契税", "3%"]] }]);
  });
});

describe("Telegram rendering", () => {
  it("escapes everything from the article and uses only Telegram's tags", () => {
    const [html] = renderTelegramArticle({ title: "A<B & C", body: "## 小标题\n- 一 **粗** <script>x()</script>\n\n[链接](https://x.cn/?a=1&b=2) [坏](https://x.cn/\"onclick)", law: "《法》" }, { lawLabel: "依据：" });
    expect(html).toBe('<b>A&lt;B &amp; C</b>\n\n<b>小标题</b>\n\n• 一 <b>粗</b>\n\n<a href="https://x.cn/?a=1&amp;b=2">链接</a> 坏\n\n<i>依据：《法》</i>');
  });

  it("splits a long article into messages under 4,096 characters without cutting a tag", () => {
    const body = Array.from({ length: 60 }, (_, i) => `## 第${i}节\n- ${"车船税核查要点。".repeat(20)}`).join("\n\n") + `\n\n${"很长的一段没有换行".repeat(800)}`;
    const messages = renderTelegramArticle({ title: "长文", body, law: null });
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) {
      expect(m.replace(/<[^>]+>/g, "").length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_MAX);
      expect((m.match(/<b>/g) ?? []).length).toBe((m.match(/<\/b>/g) ?? []).length);
    }
    expect(messages.join("").replace(/<[^>]+>/g, "")).toContain("很长的一段没有换行");
  });

  it("escapes text for HTML", () => {
    expect(escapeHtml(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });
});

describe("snippets and queries", () => {
  it("reads a snippet into marked and unmarked parts, other tags staying text", () => {
    expect(parseSnippet("…按<mark>车船税</mark>法 &lt;b&gt;x&lt;/b&gt;")).toEqual([
      { text: "…按", mark: false },
      { text: "车船税", mark: true },
      { text: "法 <b>x</b>", mark: false },
    ]);
  });

  it("states the query limit and trims before counting", () => {
    expect(KnowledgeSearchQuerySchema.safeParse({ q: `  ${"税".repeat(200)}  ` }).success).toBe(true);
    expect(KnowledgeSearchQuerySchema.safeParse({ q: "税".repeat(201) }).success).toBe(false);
    expect(KnowledgeSearchQuerySchema.safeParse({ q: "  " }).success).toBe(false);
    expect(KnowledgeSearchQuerySchema.parse({ q: "契税", limit: "5" })).toEqual({ q: "契税", limit: 5, offset: 0 });
  });

  it("expands synonyms on whole tokens, not inside longer words", () => {
    const groups = [["房子", "住房"], ["出租", "租赁"], ["二手房", "存量房"]];
    expect(synonymExpansions("出租车", ["出租车"], groups)).toEqual([]);
    expect(synonymExpansions("房子出租", ["房子", "出租"], groups)).toEqual(["住房", "租赁"]);
    expect(synonymExpansions("卖二手房子", ["卖", "二手", "房子"], groups)).toEqual(["住房", "存量房"]);
  });
});
