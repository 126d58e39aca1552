import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixedClock, createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { systemActor, type Actor } from "./identity.ts";
import { isAppError, type AppError } from "../errors.ts";
import { importKnowledge, parseArticleFile, seedKnowledge, SEED_KNOWLEDGE_DIR } from "./import.ts";
import { maskQueryForLog, searchKnowledge, topZeroResultQueries } from "./search.ts";
import {
  createKnowledgeArticle,
  getKnowledgeArticle,
  getKnowledgeRevision,
  knowledgeHistory,
  knowledgeTopics,
  listKnowledgeArticles,
  restoreKnowledgeRevision,
  saveKnowledgeArticle,
} from "./articles.ts";
import { addKnowledgeSynonym, listKnowledgeSynonyms, removeKnowledgeSynonym } from "./synonyms.ts";
import { knowledgeIndex, rebuildKnowledgeIndex } from "./engine.ts";

const clock = createFixedClock("2026-12-01T02:00:00Z");
let t: TestDb;
let trainer: Actor;
let coordinator: Actor;
let reporter: Actor;

/** Awaits a use-case that must fail with an AppError of `code`; `check` looks at the error. */
async function expectAppError(p: Promise<unknown>, code: string, check?: (e: AppError) => void): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isAppError(e)) throw e;
    expect(e.code).toBe(code);
    check?.(e);
    return;
  }
  throw new Error(`expected an AppError ${code}`);
}

const ids = async (q: string, extra: Record<string, unknown> = {}) => (await searchKnowledge(t.deps, { q, ...extra }, { record: false })).results.map((r) => r.id);

function editOf(article: Awaited<ReturnType<typeof getKnowledgeArticle>>, over: Record<string, unknown> = {}) {
  return { title: article.title, tags: article.tags, audience: article.audience, law: article.law, body: article.body, baseRevision: article.revision, ...over };
}

beforeAll(async () => {
  t = createTestDb({ clock });
  expect(await seedKnowledge(t.deps)).toBe(40);
  trainer = (await makeUser(t.deps, { roles: ["trainer"], unitType: "tax_bureau", name: "刘培训" })).actor;
  coordinator = (await makeUser(t.deps, { roles: ["coordinator"], unitType: "finance_bureau", name: "陈协调" })).actor;
  reporter = (await makeUser(t.deps, { roles: ["reporter", "checker"], name: "王村" })).actor;
});
afterAll(async () => {
  await t.close();
});

describe("import and seeding", () => {
  it("seeds an empty database once and never again", async () => {
    expect(await t.db.prisma.knowledgeArticle.count()).toBe(40);
    expect(await seedKnowledge(t.deps)).toBe(0);
  });

  it("re-imports by id without duplicating or adding revisions for unchanged files", async () => {
    const summary = await importKnowledge(t.deps, systemActor("test"), SEED_KNOWLEDGE_DIR);
    expect(summary).toEqual({ imported: 0, updated: 40, unchanged: 40, rejected: [] });
    expect(await t.db.prisma.knowledgeArticle.count()).toBe(40);
    expect(await t.db.prisma.knowledgeRevision.count({ where: { articleId: "K001" } })).toBe(1);
  });

  it("rejects a bad file by name and reason and imports the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "xs-kb-"));
    try {
      const good = readFileSync(join(SEED_KNOWLEDGE_DIR, "019-vehicle-vessel-tax-basics.md"), "utf8");
      writeFileSync(join(dir, "a-good.md"), good.replace("id: K019", "id: K101").replace("车船税的基本规定", "车船税测试条目"));
      writeFileSync(join(dir, "b-no-front-matter.md"), "## 要点\n没有头。");
      writeFileSync(join(dir, "c-bad-audience.md"), good.replace("id: K019", "id: K102").replace("audience: [traffic-police, all]", "audience: [police]"));
      writeFileSync(join(dir, "d-no-title.md"), good.replace("id: K019", "id: K103").replace(/^title: .*$/m, ""));
      writeFileSync(join(dir, "e-duplicate.md"), good.replace("id: K019", "id: K101"));
      writeFileSync(join(dir, "f-broken-yaml.md"), "---\nid: K104\ntitle: [unclosed\n---\n正文");
      writeFileSync(join(dir, "notes.txt"), "not an article");
      const summary = await importKnowledge(t.deps, systemActor("test"), dir);
      expect(summary.imported).toBe(1);
      expect(summary.rejected.map((r) => r.file)).toEqual(["b-no-front-matter.md", "c-bad-audience.md", "d-no-title.md", "e-duplicate.md", "f-broken-yaml.md"]);
      const reasons = Object.fromEntries(summary.rejected.map((r) => [r.file, r.reason]));
      expect(reasons["b-no-front-matter.md"]).toContain("YAML 头");
      expect(reasons["c-bad-audience.md"]).toMatch(/^audience\.0: 适用对象只能是/);
      expect(reasons["d-no-title.md"]).toBe("title: 必填");
      expect(reasons["e-duplicate.md"]).toBe("编号 K101 与文件 a-good.md 重复");
      expect(reasons["f-broken-yaml.md"]).toContain("YAML 头无法解析");
      expect(await ids("车船税测试条目")).toContain("K101");

      // A changed file is a new revision, found at once by its new words.
      writeFileSync(join(dir, "a-good.md"), good.replace("id: K019", "id: K101").replace("车船税的基本规定", "车船税测试条目").replace("## 要点", "## 要点\n- 蓝鲸号渔船的特别说明。"));
      const again = await importKnowledge(t.deps, systemActor("test"), dir);
      expect(again).toMatchObject({ imported: 0, updated: 1, unchanged: 0 });
      expect((await getKnowledgeArticle(t.deps, "K101")).revision).toBe(2);
      expect((await ids("蓝鲸号"))[0]).toBe("K101");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads front matter with a BOM, CRLF line ends and a YAML date", () => {
    const parsed = parseArticleFile("\uFEFF---\r\nid: k7\r\ntitle: x\r\ntags: [a]\r\naudience: [all]\r\nlaw: l\r\nupdated: 2025-01-01\r\n---\r\n正文");
    expect(parsed.ok).toBe(false);
    const ok = parseArticleFile("\uFEFF---\r\nid: k007\r\ntitle: 标题\r\ntags: [a, a]\r\naudience: [all]\r\nlaw: l\r\nupdated: 2025-01-01\r\n---\r\n正文");
    expect(ok).toMatchObject({ ok: true, meta: { id: "K007", tags: ["a"], updated: "2025-01-01" }, body: "正文" });
  });
});

describe("search", () => {
  it("answers the issue's examples with the right article first", async () => {
    expect((await ids("没有车船税完税证明能年检吗")).slice(0, 3)).toContain("K021");
    expect((await ids("出租房子要报啥")).slice(0, 3)).toContain("K017");
    expect((await ids("车船水")).slice(0, 3)).toContain("K019");
    expect((await ids("車船稅")).slice(0, 3)).toContain("K019");
    expect((await ids("气税")).slice(0, 3)).toContain("K011");
    expect((await ids("二手房过户")).slice(0, 3)).toContain("K014");
  });

  it("highlights the matched words in an escaped snippet, homophones included", async () => {
    const [first] = (await searchKnowledge(t.deps, { q: "车船水", limit: 1 }, { record: false })).results;
    expect(first!.snippet).toContain("<mark>车船税</mark>");
    const [k003] = (await searchKnowledge(t.deps, { q: "１２３６６", limit: 1 }, { record: false })).results;
    expect(k003).toMatchObject({ id: "K003" });
    expect(k003!.snippet).toContain("<mark>12366</mark>");
  });

  it("filters by audience: articles for that audience or for everyone", async () => {
    const results = (await searchKnowledge(t.deps, { q: "税", audience: "traffic-police", limit: 50 }, { record: false })).results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.audience.some((a) => a === "traffic-police" || a === "all")).toBe(true);
    expect(results.map((r) => r.id)).not.toContain("K017");
  });

  it("pages with offset without repeating results", async () => {
    const first = await ids("车船税", { limit: 3 });
    const next = await ids("车船税", { limit: 3, offset: 3 });
    expect(first).toHaveLength(3);
    expect(next.some((id) => first.includes(id))).toBe(false);
  });

  it("refuses an empty, whitespace-only or over-long query with a field error", async () => {
    for (const q of ["", "   ", "\u3000\t", "x".repeat(201), "契".repeat(10_000)]) {
      await expectAppError(searchKnowledge(t.deps, { q }), "invalid_input", (e) => expect(Object.keys(e.fields ?? {})).toEqual(["q"]));
    }
    await expectAppError(searchKnowledge(t.deps, {}), "invalid_input");
    await expectAppError(searchKnowledge(t.deps, { q: "契税", audience: "police" }), "invalid_input");
    await expectAppError(searchKnowledge(t.deps, { q: "契税", limit: 500 }), "invalid_input");
    await expectAppError(searchKnowledge(t.deps, { q: ["契税"] }), "invalid_input");
    expect((await searchKnowledge(t.deps, { q: "契税".repeat(100) }, { record: false })).results.length).toBeGreaterThan(0);
  });

  it("finds nothing, without an error, for punctuation, emoji and filler words", async () => {
    for (const q of ["？？？！！", "……", "😀🚗🏠", "吗", "怎么办呢", "\u200b"]) {
      const answer = await searchKnowledge(t.deps, { q: q === "\u200b" ? "。" : q }, { record: false });
      expect(answer.results, q).toEqual([]);
    }
  });

  it("treats FTS syntax as plain words", async () => {
    for (const q of ['"', "*", ":", "^", "NEAR", "AND", "OR", "-", '"契税" OR *', "契税 NEAR(车船税)", "tw:契税", "{tw}:契税", "契税^", "-契税", "契税 AND", "NOT 契税 (", "'; DROP TABLE knowledge_fts; --"]) {
      const answer = await searchKnowledge(t.deps, { q }, { record: false });
      expect(Array.isArray(answer.results), q).toBe(true);
    }
    expect((await ids('"契税" OR *')).slice(0, 3)).toContain("K011");
    expect(await t.db.prisma.knowledgeArticle.count()).toBeGreaterThan(0);
  });

  it("never echoes HTML from the query unescaped in a snippet", async () => {
    const article = await createKnowledgeArticle(t.deps, trainer, {
      title: "转义测试条目",
      tags: ["转义"],
      audience: ["all"],
      law: "无",
      body: "正文里有 <b>粗体标签</b> 和 <script>alert(1)</script> 以及 紫罗兰税 这个词，公式 a<b&c。",
    });
    const answer = await searchKnowledge(t.deps, { q: "<script>alert(1)</script>紫罗兰税 <img src=x onerror=alert(1)>" }, { record: false });
    const hit = answer.results.find((r) => r.id === article.id)!;
    expect(hit).toBeTruthy();
    expect(hit.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.snippet).toContain("a&lt;b&amp;c");
    expect(hit.snippet).not.toContain("alert");
    expect(hit.snippet).toContain("<mark>紫罗兰</mark>");
  });

  it("records searches that found nothing with the text and time only, digits masked", async () => {
    await t.db.prisma.knowledgeZeroResult.deleteMany();
    await searchKnowledge(t.deps, { q: "火星移民补贴" });
    await searchKnowledge(t.deps, { q: "火星移民补贴" });
    await searchKnowledge(t.deps, { q: "企鹅滑板410106195405020740" });
    await searchKnowledge(t.deps, { q: "？？" });
    await searchKnowledge(t.deps, { q: "契税" });
    const rows = await t.db.prisma.knowledgeZeroResult.findMany();
    expect(rows.map((r) => r.query).sort()).toEqual(["企鹅滑板******************", "火星移民补贴", "火星移民补贴"]);
    expect(Object.keys(rows[0]!).sort()).toEqual(["at", "id", "query"]);
    expect(maskQueryForLog("电话13800138000")).toBe("电话***********");

    const top = await topZeroResultQueries(t.deps, trainer);
    expect(top[0]).toEqual({ query: "火星移民补贴", count: 2, lastAt: "2026-12-01 10:00" });
    await expectAppError(topZeroResultQueries(t.deps, reporter), "forbidden");
    await expectAppError(topZeroResultQueries(t.deps, null), "unauthorized");
  });
});

describe("editing", () => {
  it("lets trainers and coordinators edit, with a revision per save that names who and when", async () => {
    const before = await getKnowledgeArticle(t.deps, "K021");
    const saved = await saveKnowledgeArticle(t.deps, trainer, "k021", editOf(before, { body: `${before.body}\n\n## 补充\n- 请核对蓝莓棉花糖。` }));
    expect(saved.revision).toBe(before.revision + 1);
    expect(saved.updated).toBe("2026-12-01");
    // The index follows the edit at once.
    expect((await ids("蓝莓棉花糖"))[0]).toBe("K021");
    clock.advance(60_000);
    const again = await saveKnowledgeArticle(t.deps, coordinator, "K021", editOf(saved, { body: before.body }));
    expect(await ids("蓝莓棉花糖")).not.toContain("K021");
    const history = await knowledgeHistory(t.deps, coordinator, "K021");
    expect(history.map((h) => [h.revision, h.source, h.author])).toEqual([
      [again.revision, "edit", "陈协调"],
      [saved.revision, "edit", "刘培训"],
      [1, "seed", null],
    ]);
    const audit = await t.db.prisma.auditLog.findMany({ where: { subject: "knowledge:K021", action: "knowledge.edit" } });
    expect(audit.map((a) => a.userId).sort()).toEqual([coordinator.userId, trainer.userId].sort());
  });

  it("refuses edits by users without the trainer or coordinator role", async () => {
    const article = await getKnowledgeArticle(t.deps, "K001");
    await expectAppError(saveKnowledgeArticle(t.deps, reporter, "K001", editOf(article)), "forbidden");
    await expectAppError(saveKnowledgeArticle(t.deps, null, "K001", editOf(article)), "unauthorized");
    await expectAppError(createKnowledgeArticle(t.deps, reporter, { title: "x", tags: ["x"], audience: ["all"], law: "x", body: "x" }), "forbidden");
    await expectAppError(knowledgeHistory(t.deps, reporter, "K001"), "forbidden");
    await expectAppError(restoreKnowledgeRevision(t.deps, reporter, "K001", { revision: 1, baseRevision: 1 }), "forbidden");
    expect((await getKnowledgeArticle(t.deps, "K001")).revision).toBe(article.revision);
  });

  it("gives the second of two concurrent saves a conflict and loses neither text", async () => {
    const base = await getKnowledgeArticle(t.deps, "K016");
    const results = await Promise.allSettled([
      saveKnowledgeArticle(t.deps, trainer, "K016", editOf(base, { body: `${base.body}\n\n甲的补充：银杏巷。` })),
      saveKnowledgeArticle(t.deps, coordinator, "K016", editOf(base, { body: `${base.body}\n\n乙的补充：梧桐巷。` })),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toMatchObject({ code: "conflict", reason: "knowledge_revision_conflict", params: { revision: base.revision + 1 } });
    const now = await getKnowledgeArticle(t.deps, "K016");
    expect(now.revision).toBe(base.revision + 1);
    // The loser saves again on top of the winner's revision: both additions survive.
    const winnerText = now.body.includes("银杏巷") ? "银杏巷" : "梧桐巷";
    const loserText = winnerText === "银杏巷" ? "梧桐巷" : "银杏巷";
    const merged = await saveKnowledgeArticle(t.deps, trainer, "K016", editOf(now, { body: `${now.body}\n\n补充：${loserText}。` }));
    expect(merged.body).toContain(winnerText);
    expect(merged.body).toContain(loserText);
    // A stale base revision is refused, whatever the content.
    await expectAppError(saveKnowledgeArticle(t.deps, trainer, "K016", editOf(now)), "conflict");
  });

  it("restores an old revision as a new one, keeping the history", async () => {
    const base = await getKnowledgeArticle(t.deps, "K024");
    const edited = await saveKnowledgeArticle(t.deps, trainer, "K024", editOf(base, { title: "印花税（已改标题）" }));
    const old = await getKnowledgeRevision(t.deps, trainer, "K024", base.revision);
    expect(old.title).toBe(base.title);
    const restored = await restoreKnowledgeRevision(t.deps, trainer, "K024", { revision: base.revision, baseRevision: edited.revision });
    expect(restored).toMatchObject({ title: base.title, body: base.body, revision: edited.revision + 1 });
    const [latest] = await knowledgeHistory(t.deps, trainer, "K024");
    expect(latest).toMatchObject({ source: "restore", restoredFrom: base.revision });
    await expectAppError(restoreKnowledgeRevision(t.deps, trainer, "K024", { revision: base.revision, baseRevision: edited.revision }), "conflict");
    await expectAppError(restoreKnowledgeRevision(t.deps, trainer, "K024", { revision: 99, baseRevision: restored.revision }), "not_found");
  });

  it("validates edits with the shared schema and reports fields", async () => {
    const article = await getKnowledgeArticle(t.deps, "K002");
    await expectAppError(saveKnowledgeArticle(t.deps, trainer, "K002", editOf(article, { title: " ", tags: [], audience: ["moon"], body: "" })), "invalid_input", (e) =>
      expect(Object.keys(e.fields ?? {}).sort()).toEqual(["audience.0", "body", "tags", "title"]),
    );
    await expectAppError(saveKnowledgeArticle(t.deps, trainer, "K002", { ...editOf(article), extra: 1 }), "invalid_input");
    await expectAppError(saveKnowledgeArticle(t.deps, trainer, "K002", editOf(article, { body: "x".repeat(20_001) })), "invalid_input");
    await expectAppError(saveKnowledgeArticle(t.deps, trainer, "K999", editOf(article)), "not_found");
    await expectAppError(saveKnowledgeArticle(t.deps, trainer, "../etc", editOf(article)), "not_found");
  });

  it("creates an article with the next free id, or refuses a taken id", async () => {
    const created = await createKnowledgeArticle(t.deps, coordinator, { title: "新条目", tags: ["新"], audience: ["village"], law: "无", body: "## 要点\n- 一条。" });
    expect(created.id).toMatch(/^K1\d\d$/);
    expect(created.revision).toBe(1);
    await expectAppError(createKnowledgeArticle(t.deps, coordinator, { id: "K001", title: "x", tags: ["x"], audience: ["all"], law: "x", body: "x" }), "conflict");
  });
});

describe("reading", () => {
  it("reads an article and 404s unknown or malformed ids", async () => {
    expect(await getKnowledgeArticle(t.deps, "K040")).toMatchObject({ id: "K040", title: "群众缺少完税证明时如何耐心解释", audience: ["traffic-police", "land-housing", "all"] });
    for (const id of ["K404", "x", "", "K00", "K0001'--", 7]) await expectAppError(getKnowledgeArticle(t.deps, id), "not_found");
  });

  it("lists by audience and tag, and counts topics", async () => {
    const venue = await listKnowledgeArticles(t.deps, { audience: "venue" });
    expect(venue.map((a) => a.id)).toContain("K031");
    expect(venue.every((a) => a.audience.includes("venue") || a.audience.includes("all"))).toBe(true);
    expect((await listKnowledgeArticles(t.deps, { tag: "年检" })).map((a) => a.id)).toEqual(["K021"]);
    await expectAppError(listKnowledgeArticles(t.deps, { audience: "moon" }), "invalid_input");
    const topics = await knowledgeTopics(t.deps);
    expect(topics.audiences.map((a) => a.audience)).toEqual(["village", "traffic-police", "venue", "land-housing", "construction", "all"]);
    expect(topics.tags.find((x) => x.tag === "车船税")?.count).toBeGreaterThan(1);
  });
});

describe("synonyms and the index", () => {
  it("lets trainers add synonyms that search uses at once, and remove them", async () => {
    expect(await ids("铁骑")).toEqual([]);
    const group = await addKnowledgeSynonym(t.deps, trainer, { terms: ["铁骑", "摩托车"] });
    expect((await ids("铁骑")).slice(0, 3)).toContain("K022");
    expect((await listKnowledgeSynonyms(t.deps, trainer))[0]).toMatchObject({ id: group.id, terms: ["铁骑", "摩托车"], builtIn: false });
    await removeKnowledgeSynonym(t.deps, trainer, group.id!);
    expect(await ids("铁骑")).toEqual([]);
    await expectAppError(addKnowledgeSynonym(t.deps, trainer, { terms: ["一个"] }), "invalid_input");
    await expectAppError(addKnowledgeSynonym(t.deps, trainer, { terms: ["同", "同"] }), "invalid_input");
    await expectAppError(addKnowledgeSynonym(t.deps, reporter, { terms: ["甲", "乙"] }), "forbidden");
    await expectAppError(removeKnowledgeSynonym(t.deps, trainer, "nope"), "not_found");
  });

  it("rebuilds from the article table to the same answers", async () => {
    const before = await ids("出租房屋登记");
    const { count } = await rebuildKnowledgeIndex(t.deps);
    expect(count).toBe(await t.db.prisma.knowledgeArticle.count());
    expect(await ids("出租房屋登记")).toEqual(before);
  });

  it("rebuilds by itself when the index was made by another tokenizer version", async () => {
    const fresh = createTestDb();
    try {
      await seedKnowledge(fresh.deps);
      // The same statements on both databases (the index tables have the same names).
      await fresh.db.prisma.$executeRawUnsafe(`UPDATE knowledge_index_meta SET value = 'old' WHERE key = 'analyzer'`);
      await fresh.db.prisma.$executeRawUnsafe(`DELETE FROM knowledge_fts`);
      // A new connection (another process, a restart) checks the index on first use.
      const { createDb, createDeps } = await import("../index.ts");
      const db2 = createDb(fresh.url);
      try {
        const deps2 = createDeps(db2);
        expect((await (await knowledgeIndex(deps2)).status()).count).toBe(40);
        expect((await searchKnowledge(deps2, { q: "契税" }, { record: false })).results.length).toBeGreaterThan(0);
      } finally {
        await db2.close();
      }
    } finally {
      await fresh.close();
    }
  });
});
