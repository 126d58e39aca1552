import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createInvite, seedKnowledge, seedQuizQuestions, systemActor } from "@xieshui/core/server";
import { launchBrowser, shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

const SHOTS = "/tmp/xieshui-h5-quiz";

// Quizzes in the real H5 build: a trainer builds a quiz (preview) and pushes it to a village; a reporter
// there finds it on the home page, answers one question per screen with the explanation after each
// and sees the result with the wrong questions; the trainer reads the results with charts. Then the
// reporter's 错题本 and practice, and the same pages in English.
describe.skipIf(shouldSkipBrowserTests())("H5 quiz pages in Chromium", () => {
  let app: H5App;
  let trainerBrowser: Awaited<ReturnType<typeof launchBrowser>>;
  let trainer: Page;
  let reporter: Page;
  let quizId = "";

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startH5App();
    await seedKnowledge(app.testDb.deps);
    await seedQuizQuestions(app.testDb.deps);
    trainerBrowser = await launchBrowser();
    trainer = await trainerBrowser.context.newPage();
    reporter = await app.browser.context.newPage();
    for (const p of [trainer, reporter]) await p.setViewportSize({ width: 390, height: 844 });
  }, 240_000);
  afterAll(async () => {
    await trainerBrowser?.close();
    await app?.close();
  });

  const byId = (p: Page, selector: string) => p.locator(selector).filter({ visible: true });
  const shot = async (p: Page, name: string) => {
    await p.waitForTimeout(400);
    await p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const part = async (p: Page, selector: string, name: string) => {
    await p.waitForTimeout(300);
    await byId(p, selector).first().screenshot({ path: `${SHOTS}/${name}.png` });
  };
  const noInternals = async (p: Page) => {
    const text = (await p.locator("body").innerText()) ?? "";
    expect(text).not.toMatch(/app-quiz|quiz-|not_started|in_progress|undefined|NaN|\[object|dongcun|tax_bureau|traffic_police/);
  };
  async function login(p: Page, unit: string, roles: ("trainer" | "reporter")[], name: string, greeting: string) {
    const { code } = await createInvite(app.testDb.deps, systemActor("test"), { unit, roles, name });
    await p.goto(`${app.baseUrl}/`);
    await byId(p, "#go-login").click();
    await byId(p, "#login-code input").fill(code);
    await byId(p, "#login-submit").click();
    await p.getByText(greeting, { exact: true }).filter({ visible: true }).waitFor({ timeout: 15_000 });
  }

  it("lets a trainer build a quiz with a preview and push it to a village", async () => {
    await login(reporter, "dongcun", ["reporter"], "王会计", "王会计，幸福镇东村村委会");
    await login(trainer, "tax-bureau", ["trainer"], "刘培训", "刘培训，国家税务总局本区税务局");
    await byId(trainer, "#entry-training").click();
    await byId(trainer, "#quiz-new").waitFor();
    await byId(trainer, "#bank-import").waitFor();
    await noInternals(trainer);
    await shot(trainer, "hub-zh");
    await byId(trainer, "#quiz-new").click();
    await byId(trainer, "#quiz-title input").fill("车船税协查周测");
    await byId(trainer, "#quiz-count input").fill("3");
    await byId(trainer, "#quiz-units-dongcun").waitFor({ timeout: 15_000 });
    // Nothing chosen to send to: the refusal is shown next to the targets.
    await byId(trainer, "#quiz-preview").click();
    await byId(trainer, "#quiz-targets-error").waitFor();
    await expect(byId(trainer, "#quiz-targets-error").textContent()).resolves.toContain("请至少选择一个推送对象");
    await byId(trainer, "#quiz-units-dongcun").click();
    await byId(trainer, "#quiz-roles-reporter").click();
    await byId(trainer, "#quiz-difficulty-easy").click();
    await byId(trainer, "#quiz-preview").click();
    await byId(trainer, "#quiz-preview-card").waitFor();
    await expect(byId(trainer, "#quiz-audience").textContent()).resolves.toContain("将推送给 1 个单位的 1 人");
    await noInternals(trainer);
    await shot(trainer, "build-preview-zh");
    await part(trainer, "#quiz-preview-card", "build-preview-card-zh");
    await byId(trainer, "#quiz-push").click();
    await byId(trainer, "#results-summary").waitFor({ timeout: 15_000 });
    quizId = new URL(trainer.url()).searchParams.get("id") ?? "";
    expect(quizId).not.toBe("");
    await expect(byId(trainer, "#results-summary").textContent()).resolves.toContain("推送 1 人 · 完成 0 人");
    await shot(trainer, "results-before-zh");
  });

  it("lets the reporter answer it in the mini-app, one question per screen, and see the result", async () => {
    await reporter.goto(`${app.baseUrl}/`);
    const card = byId(reporter, "#home-quizzes .quiz__home-card").first();
    await card.waitFor({ timeout: 15_000 });
    await expect(card.textContent()).resolves.toContain("车船税协查周测");
    await noInternals(reporter);
    await shot(reporter, "home-card-zh");
    await card.click();
    for (let i = 1; i <= 3; i++) {
      await byId(reporter, "#quiz-progress").filter({ hasText: `第 ${i} / 3 题` }).waitFor({ timeout: 15_000 });
      await byId(reporter, "#quiz-option-A").click();
      if (await byId(reporter, "#quiz-option-C").count()) await byId(reporter, "#quiz-option-C").click().catch(() => undefined);
      if (i === 1) await shot(reporter, "question-zh");
      if ((await byId(reporter, "#quiz-question .quiz__type").textContent()) === "多选") await shot(reporter, "question-multi-zh");
      await byId(reporter, "#quiz-submit").click();
      await byId(reporter, "#quiz-feedback").waitFor();
      await expect(byId(reporter, "#quiz-feedback").textContent()).resolves.toMatch(/回答正确|回答错误，正确答案是/);
      if (i === 1) {
        await noInternals(reporter);
        await shot(reporter, "feedback-zh");
      }
      await byId(reporter, "#quiz-next").click();
    }
    await byId(reporter, "#quiz-result").waitFor();
    await expect(byId(reporter, "#quiz-score").textContent()).resolves.toMatch(/^\d+ 分$/);
    await noInternals(reporter);
    await shot(reporter, "result-zh");
    await part(reporter, "#quiz-result", "result-card-zh");
  });

  it("shows the trainer the results per unit, question and person, with charts", async () => {
    await trainer.goto(`${app.baseUrl}/pages/quiz-results/index?id=${quizId}`);
    await byId(trainer, "#results-summary").filter({ hasText: "完成 1 人" }).waitFor({ timeout: 15_000 });
    await byId(trainer, "#chart-units").waitFor();
    await byId(trainer, "#chart-questions").waitFor();
    await expect(byId(trainer, "#results-people").textContent()).resolves.toContain("王会计");
    await byId(trainer, "#results-remind").click();
    await byId(trainer, "#results-notice").waitFor();
    await noInternals(trainer);
    await shot(trainer, "results-after-zh");
    await part(trainer, "#results-questions", "results-questions-zh");
    await part(trainer, "#results-people", "results-people-zh");
  });

  it("lets the trainer find a question in the bank and edit it, with errors next to the field", async () => {
    await trainer.goto(`${app.baseUrl}/pages/quiz/index`);
    await byId(trainer, "#bank-q input").fill("车船税法");
    const row = byId(trainer, "#bank-list .quiz__row").first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await byId(trainer, "#question-form").waitFor({ timeout: 15_000 });
    const answer = byId(trainer, "#question-answer input");
    const before = await answer.inputValue();
    await answer.fill("E");
    await byId(trainer, "#question-save").click();
    await byId(trainer, "#question-answer-error").waitFor();
    await expect(byId(trainer, "#question-answer-error").textContent()).resolves.toContain("不在选项中");
    await noInternals(trainer);
    await shot(trainer, "question-edit-error-zh");
    await answer.fill(before);
    await byId(trainer, "#question-save").click();
    await byId(trainer, "#question-saved").waitFor();
    await expect(byId(trainer, "#question-saved").textContent()).resolves.toContain("第 1 版");
  });

  it("keeps the reporter's wrong answers in the 错题本 and offers a practice round", async () => {
    await reporter.goto(`${app.baseUrl}/pages/quiz-mistakes/index`);
    await reporter.locator("#mistakes, #mistakes-empty").filter({ visible: true }).first().waitFor({ timeout: 15_000 });
    await noInternals(reporter);
    await shot(reporter, "mistakes-zh");
    await reporter.goto(`${app.baseUrl}/pages/quiz-practice/index`);
    await byId(reporter, "#quiz-question").waitFor({ timeout: 15_000 });
    await expect(byId(reporter, "#quiz-progress").textContent()).resolves.toBe("第 1 / 5 题");
    await noInternals(reporter);
    await shot(reporter, "practice-zh");
  });

  it("shows the same pages in English", async () => {
    for (const p of [trainer, reporter]) {
      await p.goto(`${app.baseUrl}/`);
      await byId(p, "#open-profile").click();
      await byId(p, "#locale-en").click();
    }
    await reporter.goto(`${app.baseUrl}/pages/quiz-practice/index`);
    await byId(reporter, "#quiz-progress").filter({ hasText: "Question 1 of 5" }).waitFor({ timeout: 15_000 });
    await noInternals(reporter);
    await shot(reporter, "practice-en");
    await byId(reporter, "#quiz-option-A").click();
    await byId(reporter, "#quiz-submit").click();
    await byId(reporter, "#quiz-feedback").waitFor();
    await shot(reporter, "feedback-en");
    await reporter.goto(`${app.baseUrl}/pages/quiz-mistakes/index`);
    await reporter.locator("#mistakes, #mistakes-empty").filter({ visible: true }).first().waitFor({ timeout: 15_000 });
    await shot(reporter, "mistakes-en");
    const assignment = await app.testDb.db.prisma.quizAssignment.findFirstOrThrow({ where: { quizId } });
    await reporter.goto(`${app.baseUrl}/pages/quiz-take/index?id=${assignment.id}`);
    await byId(reporter, "#quiz-result").waitFor({ timeout: 15_000 });
    await expect(byId(reporter, "#quiz-score").textContent()).resolves.toMatch(/points$/);
    await noInternals(reporter);
    await shot(reporter, "result-en");

    await trainer.goto(`${app.baseUrl}/pages/quiz/index`);
    await byId(trainer, "#quiz-list").filter({ hasText: "Quizzes" }).waitFor({ timeout: 15_000 });
    await noInternals(trainer);
    await shot(trainer, "hub-en");
    await trainer.goto(`${app.baseUrl}/pages/quiz-build/index`);
    await byId(trainer, "#quiz-form").waitFor();
    await byId(trainer, "#quiz-units-dongcun").waitFor({ timeout: 15_000 });
    await noInternals(trainer);
    await shot(trainer, "build-en");
    await trainer.goto(`${app.baseUrl}/pages/quiz-results/index?id=${quizId}`);
    await byId(trainer, "#results-summary").filter({ hasText: "1 finished" }).waitFor({ timeout: 15_000 });
    await noInternals(trainer);
    await shot(trainer, "results-en");
  });
});
