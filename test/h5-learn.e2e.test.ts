import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createInvite, seedKnowledge, systemActor } from "@xieshui/core/server";
import { launchBrowser, shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

const SHOTS = "/tmp/xieshui-h5-learn";

// Learn in the real H5 build: a visitor searches in their own words and reads the article, browses by
// job, switches to English; a trainer edits an article (preview, save), sees the history and restores.
describe.skipIf(shouldSkipBrowserTests())("H5 learn pages in Chromium", () => {
  let app: H5App;
  let trainerBrowser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let trainer: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startH5App();
    await seedKnowledge(app.testDb.deps);
    trainerBrowser = await launchBrowser();
    page = await app.browser.context.newPage();
    trainer = await trainerBrowser.context.newPage();
  });
  afterAll(async () => {
    await trainerBrowser?.close();
    await app?.close();
  });

  const byId = (p: Page, selector: string) => p.locator(selector).filter({ visible: true });
  const shot = async (p: Page, name: string) => {
    await p.waitForTimeout(400);
    await p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const noInternals = async (p: Page) => {
    const text = (await p.locator("body").innerText()) ?? "";
    expect(text).not.toMatch(/traffic-police|land-housing|knowledge-|app-learn|undefined|NaN|\[object/);
  };

  it("finds the inspection article from a colleague's own words and shows it with highlights", async () => {
    await page.goto(`${app.baseUrl}/`);
    await byId(page, "#entry-learn").click();
    const input = byId(page, "#learn-q input");
    await input.waitFor();
    await input.fill("没有车船税完税证明能年检吗");
    const first = byId(page, "#learn-results .result").first();
    await first.waitFor({ timeout: 15_000 });
    await expect(first.locator(".result__title").textContent()).resolves.toBe("车辆登记和定期检验时核查车船税");
    await expect(first.locator(".snippet__mark").first().textContent()).resolves.toMatch(/车船税|证明|完税|年检|车辆检验/);
    await noInternals(page);
    await shot(page, "search-zh");

    await first.click();
    await byId(page, "#article-title").waitFor();
    await expect(byId(page, "#article-title").textContent()).resolves.toBe("车辆登记和定期检验时核查车船税");
    await expect(byId(page, "#article-body .md__h--2").first().textContent()).resolves.toBe("法律要求");
    await expect(byId(page, "#article-law").textContent()).resolves.toContain("车船税法");
    await noInternals(page);
    await shot(page, "article-zh");
  });

  it("keeps recent searches and finds homophone typos and traditional characters", async () => {
    await byId(page, "#nav-back").click();
    const input = byId(page, "#learn-q input");
    await input.waitFor();
    await input.fill("");
    await byId(page, "#learn-recent").waitFor();
    await expect(byId(page, "#learn-recent").textContent()).resolves.toContain("没有车船税完税证明能年检吗");
    await shot(page, "recent-zh");
    await input.fill("車船稅");
    await byId(page, "#result-K019").waitFor({ timeout: 15_000 });
    await input.fill("气税");
    await byId(page, "#result-K011").waitFor({ timeout: 15_000 });
    await input.fill("火星上的企鹅滑板课");
    await byId(page, "#learn-empty").waitFor({ timeout: 15_000 });
  });

  it("browses the articles by job", async () => {
    await byId(page, "#learn-q input").fill("");
    await byId(page, "#learn-browse").click();
    await byId(page, "#topic-traffic-police").waitFor();
    await expect(byId(page, "#topic-traffic-police").textContent()).resolves.toContain("车船税");
    await noInternals(page);
    await shot(page, "topics-zh");
  });

  it("works in English", async () => {
    await page.goto(`${app.baseUrl}/`);
    await byId(page, "#open-profile").click();
    await byId(page, "#locale-en").click();
    await page.goto(`${app.baseUrl}/pages/learn/index`);
    const input = byId(page, "#learn-q input");
    await input.waitFor();
    await expect(byId(page, "#learn-browse").textContent()).resolves.toContain("Browse all articles by job");
    await input.fill("个税APP");
    await byId(page, "#learn-results .result").first().waitFor({ timeout: 15_000 });
    await noInternals(page);
    await shot(page, "search-en");
    await byId(page, "#learn-results .result").first().click();
    await byId(page, "#article-title").waitFor();
    await expect(byId(page, "#article-meta").textContent()).resolves.toMatch(/^Updated 2025-01-01 · revision 1$/);
    await shot(page, "article-en");
    await page.goto(`${app.baseUrl}/pages/learn-topics/index`);
    await byId(page, "#topic-venue").waitFor();
    await expect(byId(page, "#topic-venue").textContent()).resolves.toContain("Venues");
    await shot(page, "topics-en");
  });

  it("lets a trainer edit with a preview, see the new text, the history, and restore", async () => {
    const { code } = await createInvite(app.testDb.deps, systemActor("test"), { unit: "tax-bureau", roles: ["trainer"], name: "刘培训" });
    await trainer.goto(`${app.baseUrl}/`);
    await byId(trainer, "#go-login").click();
    await byId(trainer, "#login-code input").fill(code);
    await byId(trainer, "#login-submit").click();
    await trainer.getByText("刘培训，国家税务总局本区税务局", { exact: true }).filter({ visible: true }).waitFor({ timeout: 15_000 });

    await trainer.goto(`${app.baseUrl}/pages/learn-article/index?id=K040`);
    await byId(trainer, "#article-edit").click();
    const body = byId(trainer, "#edit-body textarea");
    await body.waitFor();
    const original = await body.inputValue();
    await body.fill(`${original}\n\n## 补充\n- 请群众先**坐下喝口水**，再讲政策。`);
    await byId(trainer, "#edit-mode-preview").click();
    await byId(trainer, "#edit-preview").waitFor();
    await expect(byId(trainer, "#edit-preview .md__span--bold").last().textContent()).resolves.toBe("坐下喝口水");
    await noInternals(trainer);
    await shot(trainer, "editor-preview-zh");
    await byId(trainer, "#edit-save").click();
    await byId(trainer, "#editor-saved").waitFor({ timeout: 15_000 });
    await expect(byId(trainer, "#editor-saved").textContent()).resolves.toBe("已保存为第 2 版");
    await shot(trainer, "editor-saved-zh");

    // What everyone reads, and what checkers are shown, is the new text at once.
    const found = await (await fetch(`${app.baseUrl}/api/v1/knowledge/search?q=${encodeURIComponent("坐下喝口水")}`)).json() as { results: { id: string }[] };
    expect(found.results[0]?.id).toBe("K040");

    await trainer.goto(`${app.baseUrl}/pages/learn-history/index?id=K040`);
    await byId(trainer, "#rev-2").waitFor();
    await expect(byId(trainer, "#rev-2").textContent()).resolves.toContain("刘培训");
    await expect(byId(trainer, "#rev-1").textContent()).resolves.toContain("初始内容");
    await byId(trainer, "#rev-view-1").click();
    await byId(trainer, "#rev-text-1").waitFor();
    await noInternals(trainer);
    await shot(trainer, "history-zh");
    await byId(trainer, "#rev-restore-1").click();
    await byId(trainer, "#history-notice").waitFor();
    await expect(byId(trainer, "#history-notice").textContent()).resolves.toBe("已恢复，现在是第 3 版");
    await byId(trainer, "#rev-3").waitFor();
    const article = await (await fetch(`${app.baseUrl}/api/v1/knowledge/articles/K040`)).json() as { body: string; revision: number };
    expect(article.revision).toBe(3);
    expect(article.body).not.toContain("坐下喝口水");
  });

  it("shows the trainer's editor in English too", async () => {
    await trainer.goto(`${app.baseUrl}/pages/profile/index`);
    await byId(trainer, "#locale-en").click();
    await trainer.goto(`${app.baseUrl}/pages/learn-edit/index?id=K021`);
    await byId(trainer, "#edit-body textarea").waitFor();
    await noInternals(trainer);
    await shot(trainer, "editor-en");
    await trainer.goto(`${app.baseUrl}/pages/learn-history/index?id=K040`);
    await byId(trainer, "#rev-3").waitFor();
    await shot(trainer, "history-en");
  });
});
