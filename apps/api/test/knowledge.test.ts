import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedKnowledge } from "@xieshui/core/server";
import { makeUser } from "../../../test/factories/identity.ts";
import { bearer, createTestApi, type TestApi } from "./helpers.ts";

let api: TestApi;
let trainer: string;
let coordinator: string;
let reporter: string;

beforeAll(async () => {
  api = await createTestApi();
  await seedKnowledge(api.t.deps);
  trainer = (await makeUser(api.t.deps, { roles: ["trainer"], unitType: "tax_bureau", name: "刘培训" })).token;
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau", name: "陈协调" })).token;
  reporter = (await makeUser(api.t.deps, { roles: ["reporter"] })).token;
});
afterAll(async () => {
  await api.close();
});

const get = (url: string, headers: Record<string, string> = {}) => api.app.inject({ method: "GET", url, headers });
const search = (q: string, extra = "") => get(`/api/v1/knowledge/search?q=${encodeURIComponent(q)}${extra}`);
const send = (method: "POST" | "PUT" | "DELETE", url: string, token: string | null, payload?: unknown) =>
  api.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

describe("GET /api/v1/knowledge/search", () => {
  it("answers { results: [{ id, title, snippet, score }] } best first, without sign-in", async () => {
    const res = await search("没有车船税完税证明能年检吗");
    expect(res.statusCode).toBe(200);
    const { results } = res.json() as { results: { id: string; title: string; snippet: string; score: number }[] };
    expect(results[0]).toMatchObject({ id: "K021", title: "车辆登记和定期检验时核查车船税" });
    expect(results[0]!.snippet).toMatch(/<mark>[^<]+<\/mark>/);
    for (let i = 1; i < results.length; i++) expect(results[i]!.score).toBeLessThanOrEqual(results[i - 1]!.score);
  });

  it("limits and filters by audience", async () => {
    const res = await search("税", "&audience=venue&limit=5");
    const { results } = res.json() as { results: { audience: string[] }[] };
    expect(results).toHaveLength(5);
    for (const r of results) expect(r.audience.some((a) => a === "venue" || a === "all")).toBe(true);
  });

  it("refuses an empty, whitespace or over-long query with 400 and the field", async () => {
    for (const url of ["/api/v1/knowledge/search", "/api/v1/knowledge/search?q=", "/api/v1/knowledge/search?q=%20%20%E3%80%80", `/api/v1/knowledge/search?q=${"税".repeat(10_000)}`]) {
      const res = await get(url);
      expect(res.statusCode, url.slice(0, 60)).toBe(400);
      expect(res.json().error).toMatchObject({ code: "invalid_input", fields: { q: expect.any(String) } });
    }
    const en = await get(`/api/v1/knowledge/search?q=${"x".repeat(201)}`, { "accept-language": "en" });
    expect(en.json().error.fields.q).toBe("Too long: at most 200 characters");
    expect((await search("契税", "&audience=police")).statusCode).toBe(400);
    expect((await search("契税", "&limit=0")).statusCode).toBe(400);
    expect((await search("契税", "&limit=abc")).statusCode).toBe(400);
    expect((await get("/api/v1/knowledge/search?q=a&q=b")).statusCode).toBe(400);
  });

  it("answers punctuation, emoji and FTS syntax with 200 and no 500", async () => {
    for (const q of ["？？？", "😀😀", '"', "*", ":", "^", "NEAR", "AND", "OR", "-", '" OR "1"="1', "NEAR(契税 车船税, 2)", "契税*", "^契税", "{tw}: 契税"]) {
      const res = await search(q);
      expect(res.statusCode, q).toBe(200);
      expect(Array.isArray(res.json().results)).toBe(true);
    }
  });

  it("never echoes HTML from the query unescaped", async () => {
    const res = await search('<img src=x onerror="alert(1)">契税<script>');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).not.toContain("<img");
    expect(body).not.toContain("<script");
    for (const r of res.json().results as { snippet: string }[]) expect(r.snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
  });
});

describe("reading and browsing", () => {
  it("serves an article and 404s an unknown id", async () => {
    const res = await get("/api/v1/knowledge/articles/K040");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: "K040", revision: 1, tags: expect.arrayContaining(["先税后证"]) });
    for (const id of ["K999", "nope", "..%2F..%2Fetc", "K0%27--"]) {
      const missing = await get(`/api/v1/knowledge/articles/${id}`);
      expect(missing.statusCode, id).toBe(404);
      expect(missing.json().error.code).toBe("not_found");
    }
  });

  it("lists articles by audience or tag, and the topics", async () => {
    const list = (await get("/api/v1/knowledge/articles?audience=construction")).json() as { articles: { id: string }[] };
    expect(list.articles.map((a) => a.id)).toContain("K035");
    const tag = (await get(`/api/v1/knowledge/articles?tag=${encodeURIComponent("检举")}`)).json() as { articles: { id: string }[] };
    expect(tag.articles.map((a) => a.id)).toEqual(["K038"]);
    const topics = (await get("/api/v1/knowledge/topics")).json() as { audiences: { audience: string; count: number }[] };
    expect(topics.audiences.find((a) => a.audience === "venue")?.count).toBeGreaterThan(3);
  });
});

describe("editing", () => {
  it("lets a trainer save, a coordinator see the history, and anyone read the new text at once", async () => {
    const article = (await get("/api/v1/knowledge/articles/K031")).json();
    const body = { title: article.title, tags: article.tags, audience: article.audience, law: article.law, body: `${article.body}\n\n- 演出前三天报送荔枝园剧场。`, baseRevision: article.revision };
    const saved = await send("PUT", "/api/v1/knowledge/articles/K031", trainer, body);
    expect(saved.statusCode).toBe(200);
    expect(saved.json().revision).toBe(article.revision + 1);
    const found = (await search("荔枝园")).json().results as { id: string }[];
    expect(found[0]?.id).toBe("K031");
    const history = await get("/api/v1/knowledge/articles/K031/revisions", bearer(coordinator));
    expect(history.statusCode).toBe(200);
    expect(history.json().revisions[0]).toMatchObject({ revision: article.revision + 1, author: "刘培训", source: "edit" });
    const old = await get(`/api/v1/knowledge/articles/K031/revisions/${article.revision}`, bearer(coordinator));
    expect(old.json().body).toBe(article.body);
  });

  it("answers the second of two saves from the same revision with 409, keeping the first", async () => {
    const article = (await get("/api/v1/knowledge/articles/K032")).json();
    const edit = (extra: string) => ({ title: article.title, tags: article.tags, audience: article.audience, law: article.law, body: `${article.body}\n\n${extra}`, baseRevision: article.revision });
    const [a, b] = await Promise.all([send("PUT", "/api/v1/knowledge/articles/K032", trainer, edit("甲：樱桃。")), send("PUT", "/api/v1/knowledge/articles/K032", coordinator, edit("乙：柠檬。"))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const conflict = a.statusCode === 409 ? a : b;
    expect(conflict.json().error).toMatchObject({ code: "conflict", reason: "knowledge_revision_conflict" });
    expect(conflict.json().error.message).toContain(`第 ${article.revision + 1} 版`);
    const now = (await get("/api/v1/knowledge/articles/K032")).json();
    expect(now.revision).toBe(article.revision + 1);
    expect(/樱桃|柠檬/.test(now.body)).toBe(true);
  });

  it("refuses editing without the trainer or coordinator role (403) or sign-in (401)", async () => {
    const article = (await get("/api/v1/knowledge/articles/K001")).json();
    const body = { title: "改掉", tags: article.tags, audience: article.audience, law: article.law, body: article.body, baseRevision: article.revision };
    expect((await send("PUT", "/api/v1/knowledge/articles/K001", reporter, body)).statusCode).toBe(403);
    expect((await send("PUT", "/api/v1/knowledge/articles/K001", null, body)).statusCode).toBe(401);
    expect((await send("POST", "/api/v1/knowledge/articles", reporter, { ...body, baseRevision: undefined })).statusCode).toBe(403);
    expect((await send("POST", "/api/v1/knowledge/articles/K001/restore", reporter, { revision: 1, baseRevision: 1 })).statusCode).toBe(403);
    expect((await get("/api/v1/knowledge/articles/K001/revisions", bearer(reporter))).statusCode).toBe(403);
    expect((await get("/api/v1/knowledge/articles/K001")).json().title).toBe(article.title);
  });

  it("validates the body with the shared schema and returns field errors", async () => {
    const res = await send("PUT", "/api/v1/knowledge/articles/K001", trainer, { title: "", tags: [], audience: ["moon"], law: "x", body: "x", baseRevision: 0 });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(["audience.0", "baseRevision", "tags", "title"]);
    expect((await send("PUT", "/api/v1/knowledge/articles/K999", trainer, { title: "x", tags: ["x"], audience: ["all"], law: "x", body: "x", baseRevision: 1 })).statusCode).toBe(404);
  });

  it("creates an article and restores an old revision", async () => {
    const created = await send("POST", "/api/v1/knowledge/articles", coordinator, { title: "新条目：演出门票", tags: ["门票"], audience: ["venue"], law: "无", body: "## 要点\n- 菠萝票务。" });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    const edited = await send("PUT", `/api/v1/knowledge/articles/${id}`, coordinator, { title: "改过的标题", tags: ["门票"], audience: ["venue"], law: "无", body: "## 要点\n- 菠萝票务。", baseRevision: 1 });
    expect(edited.json().revision).toBe(2);
    const restored = await send("POST", `/api/v1/knowledge/articles/${id}/restore`, coordinator, { revision: 1, baseRevision: 2 });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ title: "新条目：演出门票", revision: 3 });
    expect((await send("POST", `/api/v1/knowledge/articles/${id}/restore`, coordinator, { revision: 1, baseRevision: 2 })).statusCode).toBe(409);
  });
});

describe("trainers' report and synonyms", () => {
  it("shows trainers the searches that found nothing, and nobody else", async () => {
    await search("企鹅滑板课");
    await search("企鹅滑板课");
    const res = await get("/api/v1/knowledge/zero-results", bearer(trainer));
    expect(res.statusCode).toBe(200);
    expect(res.json().queries[0]).toMatchObject({ query: "企鹅滑板课", count: 2 });
    expect((await get("/api/v1/knowledge/zero-results", bearer(reporter))).statusCode).toBe(403);
    expect((await get("/api/v1/knowledge/zero-results")).statusCode).toBe(401);
  });

  it("lets trainers add and remove synonyms", async () => {
    const added = await send("POST", "/api/v1/knowledge/synonyms", trainer, { terms: ["企鹅滑板课", "检举奖励"] });
    expect(added.statusCode).toBe(201);
    expect(((await search("企鹅滑板课")).json().results as { id: string }[])[0]?.id).toBe("K038");
    const list = (await get("/api/v1/knowledge/synonyms", bearer(trainer))).json() as { groups: { id: string | null; builtIn: boolean }[] };
    expect(list.groups.some((g) => g.builtIn)).toBe(true);
    expect((await send("DELETE", `/api/v1/knowledge/synonyms/${added.json().id}`, trainer)).statusCode).toBe(204);
    expect((await send("DELETE", `/api/v1/knowledge/synonyms/${added.json().id}`, trainer)).statusCode).toBe(404);
    expect((await send("POST", "/api/v1/knowledge/synonyms", trainer, { terms: ["只有一个"] })).statusCode).toBe(400);
    expect((await send("POST", "/api/v1/knowledge/synonyms", coordinator, { terms: ["甲", "乙"] })).statusCode).toBe(403);
  });
});

describe("OpenAPI", () => {
  it("describes the body and response of every knowledge route", async () => {
    const doc = (await get("/docs/json")).json() as { paths: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, { content?: unknown }>; parameters?: { name: string }[] }>> };
    const search = doc.paths["/api/v1/knowledge/search"]!.get!;
    expect(search.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(["q", "audience", "limit"]));
    expect(search.responses!["200"]!.content).toBeTruthy();
    expect(doc.paths["/api/v1/knowledge/articles/{id}"]!.put!.requestBody).toBeTruthy();
    for (const [path, methods] of Object.entries(doc.paths).filter(([p]) => p.startsWith("/api/v1/knowledge"))) {
      for (const [method, op] of Object.entries(methods)) {
        const ok = Object.entries(op.responses ?? {}).find(([status]) => status.startsWith("2"));
        expect(ok, `${method} ${path}`).toBeTruthy();
        if (ok![0] !== "204") expect(ok![1].content, `${method} ${path}`).toBeTruthy();
        if (method === "post" || method === "put") expect(op.requestBody, `${method} ${path}`).toBeTruthy();
      }
    }
  });
});
