import { mkdirSync } from "node:fs";
import exifr from "exifr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createInvite, createTipContext, decryptTipBytes, systemActor, tipAad } from "@xieshui/core/server";
import { makeJpeg } from "./factories/images.ts";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

const SHOTS = "/tmp/xieshui-tip-shots";

// A tip filed in the real H5 build in Chromium without signing in, the receipt read off the page,
// and the status opened with it later; screenshots of every tip page at 390×844 in both languages.
describe.skipIf(shouldSkipBrowserTests())("anonymous tips in the H5 app", () => {
  let app: H5App;
  let page: Page;
  let receipt = "";
  const tipRequests: { url: string; headers: Record<string, string> }[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startH5App();
    page = await app.browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    page.on("request", (r) => {
      if (r.url().includes("/api/v1/tips")) tipRequests.push({ url: r.url(), headers: r.headers() });
    });
  }, 600_000);
  afterAll(async () => {
    await app?.close();
  });

  const visible = (selector: string) => page.locator(selector).filter({ visible: true });
  const settle = () => page.waitForTimeout(450);

  it("opens the tip page from the home tile without signing in, and explains anonymous and real-name tips", async () => {
    await page.goto(`${app.baseUrl}/`);
    await visible("#entry-tip").click();
    await visible("#tip-intro").waitFor();
    await expect(visible("#tip-mode-real").textContent()).resolves.toContain("奖励");
    await settle();
    await page.screenshot({ path: `${SHOTS}/tip-zh-CN.png`, fullPage: true });
  }, 60_000);

  it("shows the errors next to the fields for an empty form", async () => {
    await visible("#tip-submit").click();
    await visible("#tip-category-error").waitFor();
    await expect(visible("#tip-description-error").textContent()).resolves.toContain("必填");
    await page.screenshot({ path: `${SHOTS}/tip-errors-zh-CN.png`, fullPage: true });
  }, 60_000);

  it("files the tip and shows the receipt once, 4-4-4-4, with the advice to keep it", async () => {
    await visible("#tip-category-false_invoice").click();
    await visible("#tip-subject input").fill("某某商贸有限公司");
    await visible("#tip-location input").fill("工业路 8 号");
    await visible("#tip-when input").fill("今年以来");
    await visible("#tip-description textarea").fill("这家公司长期对外虚开增值税专用发票，按票面金额收取开票费。");
    await visible("#tip-submit").click();
    const shown = visible("#tip-receipt");
    await shown.waitFor({ timeout: 20_000 });
    receipt = (await shown.textContent())!.trim();
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    await expect(visible("#tip-keep").textContent()).resolves.toContain("唯一凭证");
    expect(page.url()).not.toContain(receipt.replace(/ /g, ""));
    await settle();
    await page.screenshot({ path: `${SHOTS}/tip-receipt-zh-CN.png`, fullPage: true });
    expect(await app.testDb.db.prisma.tip.count()).toBe(1);
  }, 60_000);

  it("opens the status later with the receipt, and answers the handlers", async () => {
    const later = await app.browser.context.newPage();
    await later.setViewportSize({ width: 390, height: 844 });
    await later.goto(`${app.baseUrl}/pages/tip-status/index`);
    const input = later.locator("#tip-status-receipt input").filter({ visible: true });
    await input.waitFor();
    await input.fill(receipt.replace(/ /g, "-"));
    await later.locator("#tip-status-lookup").filter({ visible: true }).click();
    await later.locator("#tip-status-status").filter({ visible: true }).waitFor();
    await expect(later.locator("#tip-status-status").filter({ visible: true }).textContent()).resolves.toBe("已收到，待受理");
    await later.locator("#tip-reply textarea").filter({ visible: true }).fill("补充：开票费按 6% 收取");
    await later.locator("#tip-reply-send").filter({ visible: true }).click();
    await later.getByText("补充：开票费按 6% 收取", { exact: true }).filter({ visible: true }).waitFor();
    // Evidence: a phone photo with its GPS position goes in; what is stored has none.
    const chooser = later.waitForEvent("filechooser");
    await later.locator("#tip-evidence-add").filter({ visible: true }).click();
    await (await chooser).setFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: await makeJpeg({ seed: 21 }) });
    await expect.poll(() => later.locator("#tip-status-info").filter({ visible: true }).textContent(), { timeout: 20_000 }).toContain("共 1 张");
    const att = await app.testDb.db.prisma.tipAttachment.findFirstOrThrow();
    const ring = createTipContext(app.testDb.deps, { generateKey: false });
    const stored = decryptTipBytes(ring.keys, (await ring.files.get(att.file))!, tipAad.attachment(att.id));
    expect(await exifr.gps(stored)).toBeUndefined();
    await later.waitForTimeout(450);
    await later.screenshot({ path: `${SHOTS}/tip-status-zh-CN.png`, fullPage: true });
    // A wrong receipt: the same message for every unknown one.
    await input.fill("1234 5678 9012 3456");
    await later.locator("#tip-status-lookup").filter({ visible: true }).click();
    await expect(later.locator("#tip-status-error").filter({ visible: true }).textContent()).resolves.toContain("没有找到");
    await later.close();
  }, 60_000);

  it("lets the supervision office work the tip: message, status with a reason, assignment; the tipster sees the message", async () => {
    const { code } = await createInvite(app.testDb.deps, systemActor("test"), { unit: "finance-supervision", roles: ["tip_handler"], name: "赵敏" });
    const hp = await app.browser.context.newPage();
    await hp.setViewportSize({ width: 390, height: 844 });
    await hp.goto(`${app.baseUrl}/`);
    await hp.evaluate("localStorage.clear()");
    await hp.goto(`${app.baseUrl}/`);
    const on = (sel: string) => hp.locator(sel).filter({ visible: true });
    await on("#go-login").click();
    await on("#login-code input").fill(code);
    await on("#login-submit").click();
    await on("#entry-tips_inbox").click();
    await on(".tip-item").first().waitFor({ timeout: 20_000 });
    await hp.waitForTimeout(450);
    await hp.screenshot({ path: `${SHOTS}/tips-inbox-zh-CN.png`, fullPage: true });
    await hp.getByText("这家公司长期对外虚开增值税专用发票", { exact: false }).filter({ visible: true }).first().click();
    await on("#tip-facts").waitFor();
    await on("#tip-message textarea").fill("请问开票费是现金还是转账？");
    await on("#tip-message-send").click();
    await on("#tip-detail-info").waitFor();
    await on("#tip-to-accepted").click();
    await on("#tip-change-save").click();
    await expect(on("#tip-reason-error").textContent()).resolves.toContain("必填");
    await on("#tip-reason textarea").fill("线索具体，予以受理");
    await on("#tip-change-save").click();
    await on("#tip-history").waitFor();
    // The unit is picked by name (never typed as a code).
    await on("#tip-assign-unit-pick").click();
    await on("#tip-assign-unit-search input").fill("税务");
    await on("#tip-assign-unit-options >> text=国家税务总局本区税务局").click();
    await expect(on("#tip-assign-unit-pick").textContent()).resolves.toContain("国家税务总局本区税务局");
    await on("#tip-assign-save").click();
    await expect.poll(() => on("#tip-facts").textContent()).toContain("税务局");
    await hp.waitForTimeout(450);
    await hp.screenshot({ path: `${SHOTS}/tip-detail-zh-CN.png`, fullPage: true });
    await hp.close();

    const later = await app.browser.context.newPage();
    await later.goto(`${app.baseUrl}/pages/tip-status/index`);
    await later.locator("#tip-status-receipt input").filter({ visible: true }).fill(receipt);
    await later.locator("#tip-status-lookup").filter({ visible: true }).click();
    await later.getByText("请问开票费是现金还是转账？", { exact: true }).filter({ visible: true }).waitFor();
    await expect(later.locator("#tip-status-status").filter({ visible: true }).textContent()).resolves.toBe("已受理");
    await later.close();
  }, 120_000);

  it("sends no token and no cookie with tip requests, even for a signed-in staff member", async () => {
    const { code } = await createInvite(app.testDb.deps, systemActor("test"), { unit: "dongcun", roles: ["reporter"], name: "王芳" });
    await page.goto(`${app.baseUrl}/`);
    await page.evaluate("localStorage.clear()");
    await page.goto(`${app.baseUrl}/`);
    await visible("#go-login").click();
    await visible("#login-code input").fill(code);
    await visible("#login-submit").click();
    await page.getByText("王芳，幸福镇东村村委会", { exact: true }).filter({ visible: true }).waitFor({ timeout: 20_000 });
    await expect(page.evaluate("localStorage.getItem('xieshui.token')")).resolves.not.toBeNull();
    await app.browser.context.addCookies([{ name: "probe", value: "c1", url: app.baseUrl }]);
    await page.goto(`${app.baseUrl}/pages/tip/index`);
    await visible("#tip-category-other").click();
    await visible("#tip-description textarea").fill("有人出租房屋多年一直没有登记备案。");
    await visible("#tip-submit").click();
    await visible("#tip-receipt").waitFor({ timeout: 20_000 });
    const posts = tipRequests.filter((r) => r.url.endsWith("/api/v1/tips"));
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const r of tipRequests) {
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers.cookie).toBeUndefined();
    }
  }, 60_000);

  it("shows every tip page in English too", async () => {
    const en = await app.browser.context.newPage();
    await en.setViewportSize({ width: 390, height: 844 });
    await en.goto(`${app.baseUrl}/`);
    await en.locator("#open-profile").filter({ visible: true }).click();
    await en.locator("#locale-en").filter({ visible: true }).click();
    await en.goto(`${app.baseUrl}/pages/tip/index`);
    await expect.poll(() => en.locator("#tip-intro").filter({ visible: true }).textContent(), { timeout: 20_000 }).toContain("No sign-in");
    await en.waitForTimeout(450);
    await en.screenshot({ path: `${SHOTS}/tip-en.png`, fullPage: true });
    await en.locator("#tip-category-tax_evasion").filter({ visible: true }).click();
    await en.locator("#tip-description textarea").filter({ visible: true }).fill("The restaurant takes cash only and never issues invoices.");
    await en.locator("#tip-submit").filter({ visible: true }).click();
    const shown = en.locator("#tip-receipt").filter({ visible: true });
    await shown.waitFor({ timeout: 20_000 });
    await en.waitForTimeout(450);
    await en.screenshot({ path: `${SHOTS}/tip-receipt-en.png`, fullPage: true });
    const r = (await shown.textContent())!.trim();
    await en.locator("#tip-go-status").filter({ visible: true }).click();
    const input = en.locator("#tip-status-receipt input").filter({ visible: true });
    await input.waitFor();
    await input.fill(r);
    await en.locator("#tip-status-lookup").filter({ visible: true }).click();
    await en.locator("#tip-status-status").filter({ visible: true }).waitFor();
    await en.waitForTimeout(450);
    await en.screenshot({ path: `${SHOTS}/tip-status-en.png`, fullPage: true });
    await en.close();
  }, 90_000);
});
