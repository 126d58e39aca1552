import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import type { KnowledgeArticleView } from "@xieshui/core";
import { useKnowledgeSearch } from "../src/features/learn/use-search";
import { readRecent } from "../src/features/learn/recent";
import { splitTags, useArticleEditor } from "../src/features/learn/editor";
import { groupByAudience } from "../src/features/learn/topics";
import { ArticleBody, SnippetText } from "../src/components/article-body";
import LearnPage from "../src/pages/learn/index";
import { ApiError } from "../src/lib/request";
import { setLocale } from "../src/lib/i18n";
import { clearSession, setSession } from "../src/lib/session";

const article = (over: Partial<KnowledgeArticleView> = {}): KnowledgeArticleView => ({
  id: "K021", title: "车辆登记和定期检验时核查车船税", tags: ["年检"], audience: ["traffic-police"], law: "车船税法第十条", updated: "2025-01-01",
  body: "## 要点\n- 核查当年度", revision: 3, updatedAt: "2026-12-01T02:00:00Z", ...over,
});

beforeEach(() => setLocale("zh-CN"));
afterEach(() => {
  vi.useRealTimers();
  clearSession();
});

describe("search as you type", () => {
  it("waits for a pause in typing and sends one search for the last text", async () => {
    vi.useFakeTimers();
    const search = vi.fn(async (q: string) => ({ results: [{ id: "K019", title: q, snippet: "", score: 1, audience: [] }] }));
    const { result } = renderHook(() => useKnowledgeSearch({ search }, 250));
    act(() => result.current.setQuery("车"));
    act(() => void vi.advanceTimersByTime(100));
    act(() => result.current.setQuery("车船"));
    act(() => void vi.advanceTimersByTime(100));
    act(() => result.current.setQuery("车船水"));
    expect(search).not.toHaveBeenCalled();
    await act(async () => void vi.advanceTimersByTime(260));
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith("车船水", null);
    expect(result.current.results?.[0]?.title).toBe("车船水");
  });

  it("drops an answer that arrives after the query changed", async () => {
    let resolveFirst: (v: { results: never[] }) => void = () => undefined;
    const search = vi.fn((q: string) => (q === "契税" ? new Promise<{ results: never[] }>((r) => (resolveFirst = r)) : Promise.resolve({ results: [{ id: "K011", title: "契税", snippet: "", score: 1, audience: [] }] as never[] })));
    const { result } = renderHook(() => useKnowledgeSearch({ search }, 0));
    act(() => result.current.setQuery("契税"));
    await waitFor(() => expect(search).toHaveBeenCalledTimes(1));
    act(() => result.current.setQuery("契税税率"));
    await waitFor(() => expect(result.current.results).toHaveLength(1));
    await act(async () => resolveFirst({ results: [] }));
    expect(result.current.results).toHaveLength(1);
  });

  it("shows the server's field message for a refused query", async () => {
    const search = vi.fn(async () => {
      throw new ApiError(400, "invalid_input", "输入有误", { q: "太长了，最多 200 个字" });
    });
    const { result } = renderHook(() => useKnowledgeSearch({ search }, 0));
    act(() => result.current.setQuery("税"));
    await waitFor(() => expect(result.current.error).toBe("太长了，最多 200 个字"));
  });

  it("remembers recent searches on this device, newest first, without duplicates", () => {
    const { result } = renderHook(() => useKnowledgeSearch({ search: vi.fn(async () => ({ results: [] })) }, 0));
    act(() => result.current.remember("契税"));
    act(() => result.current.remember("年检"));
    act(() => result.current.remember("契税"));
    expect(result.current.recent).toEqual(["契税", "年检"]);
    expect(readRecent()).toEqual(["契税", "年检"]);
    act(() => result.current.forget());
    expect(readRecent()).toEqual([]);
  });
});

describe("the learn page", () => {
  it("lists results with the matches highlighted and never renders HTML from a snippet", async () => {
    vi.mocked(Taro.request).mockImplementation((async () => ({
      statusCode: 200,
      data: { results: [{ id: "K021", title: "车辆登记和定期检验时核查车船税", snippet: "…核查<mark>车船税</mark> &lt;img src=x onerror=alert(1)&gt;", score: 9, audience: ["traffic-police"] }] },
    })) as never);
    const { container } = render(<LearnPage />);
    fireEvent.change(container.querySelector("#learn-q")!, { target: { value: "车船税" } });
    await screen.findByText("车辆登记和定期检验时核查车船税");
    expect(container.querySelector(".snippet__mark")?.textContent).toBe("车船税");
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain("<img src=x onerror=alert(1)>");
    const url = (vi.mocked(Taro.request).mock.calls[0]![0] as { url: string }).url;
    expect(url).toBe(`/api/v1/knowledge/search?q=${encodeURIComponent("车船税")}&limit=10`);
    fireEvent.click(container.querySelector("#result-K021")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/learn-article/index?id=K021" });
    expect(readRecent()).toEqual(["车船税"]);
  });

  it("offers editors a new article and trainers the searches that found nothing", () => {
    setSession("tok", { id: "u", name: "刘", unit: { code: "tax", name: "税务局", type: "tax_bureau" }, roles: ["trainer"] });
    const { container } = render(<LearnPage />);
    expect(container.querySelector("#learn-new")).not.toBeNull();
    expect(container.querySelector("#learn-gaps")).not.toBeNull();
    clearSession();
  });
});

describe("the editor", () => {
  it("checks the fields with the shared schema before sending anything", async () => {
    const api = { save: vi.fn(), create: vi.fn(), article: vi.fn() };
    const { result } = renderHook(() => useArticleEditor(null, api));
    act(() => result.current.set("title", " "));
    await act(() => result.current.save());
    expect(result.current.fields).toMatchObject({ title: "必填", tags: "至少填写一个标签", law: "必填", body: "正文不能为空" });
    expect(api.create).not.toHaveBeenCalled();
  });

  it("keeps the draft on a conflict and lets the user load theirs or save over it", async () => {
    const theirs = article({ revision: 4, body: "## 别人改的" });
    const save = vi.fn()
      .mockRejectedValueOnce(new ApiError(409, "conflict", "这篇条目刚被别人修改过（现在是第 4 版）"))
      .mockResolvedValueOnce(article({ revision: 5, body: "## 我改的" }));
    const api = { save, create: vi.fn(), article: vi.fn(async () => theirs) };
    const { result } = renderHook(() => useArticleEditor(article(), api));
    act(() => result.current.set("body", "## 我改的"));
    await act(() => result.current.save());
    expect(result.current.error).toContain("第 4 版");
    expect(result.current.conflict?.revision).toBe(4);
    expect(result.current.draft.body).toBe("## 我改的");
    expect(save.mock.calls[0]![1]).toMatchObject({ baseRevision: 3, tags: ["年检"] });
    await act(() => result.current.overwrite());
    expect(save.mock.calls[1]![1]).toMatchObject({ baseRevision: 4, body: "## 我改的" });
    expect(result.current.saved?.revision).toBe(5);
    expect(result.current.conflict).toBeNull();
  });

  it("splits tags on Chinese and Latin separators", () => {
    expect(splitTags("年检，完税证明、 交警,  ;")).toEqual(["年检", "完税证明", "交警"]);
  });
});

describe("article rendering", () => {
  it("draws Markdown with components and drops scripts", () => {
    const { container } = render(<ArticleBody markdown={"## 要点\n- 一 **重要**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>正文"} />);
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector(".md__h--2")?.textContent).toBe("要点");
    expect(container.querySelector(".md__span--bold")?.textContent).toBe("重要");
    expect(container.textContent).not.toContain("alert");
    const snippet = render(<SnippetText snippet="a<mark>b</mark>c" />);
    expect(snippet.container.querySelector(".snippet__mark")?.textContent).toBe("b");
  });

  it("groups articles by job for browsing", () => {
    const groups = groupByAudience([
      { id: "K001", title: "a", tags: [], audience: ["all"] },
      { id: "K017", title: "b", tags: [], audience: ["village"] },
      { id: "K002", title: "c", tags: [], audience: ["all", "village"] },
    ]);
    expect(groups.map((g) => [g.audience, g.articles.map((a) => a.id)])).toEqual([["village", ["K017", "K002"]], ["all", ["K001", "K002"]]]);
  });
});
