import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createInvite, systemActor } from "@xieshui/core/server";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

// The real H5 build, served by the real API over a real SQLite database, driven in Debian Chromium.
describe.skipIf(shouldSkipBrowserTests())("H5 app in Chromium", () => {
  let app: H5App;
  let testDb: H5App["testDb"];
  let baseUrl: string;
  let reporterInvite: string;
  let page: Page;

  beforeAll(async () => {
    app = await startH5App();
    ({ testDb, baseUrl } = app);
    reporterInvite = (await createInvite(testDb.deps, systemActor("test"), { unit: "dongcun", roles: ["reporter"], name: "王芳" })).code;
    page = await app.browser.context.newPage();
  });

  afterAll(async () => {
    await app?.close();
  });

  const visible = (text: string) => page.getByText(text, { exact: true }).filter({ visible: true });

  it("shows visitors a sign-in button and only the jobs open without an account", async () => {
    await page.goto(`${baseUrl}/`);
    await page.locator("#go-login").filter({ visible: true }).waitFor();
    // 学习税法 and 匿名举报 work without an account; nothing else is offered.
    await expect(page.locator(".tile").filter({ visible: true }).count()).resolves.toBe(2);
    await expect(page.locator("#entry-learn").filter({ visible: true }).count()).resolves.toBe(1);
    await expect(page.locator("#entry-tip").filter({ visible: true }).count()).resolves.toBe(1);
    await expect(visible("报送信息").count()).resolves.toBe(0);
  });

  it("rejects a malformed invite code next to the field, then signs a reporter in", async () => {
    await page.locator("#go-login").click();
    const codeInput = page.locator("#login-code input").filter({ visible: true });
    await codeInput.waitFor();
    await codeInput.fill("abc");
    await page.locator("#login-submit").filter({ visible: true }).click();
    await expect(page.locator("#login-code-error").filter({ visible: true }).textContent()).resolves.toContain("邀请码由 10 位字母和数字组成");

    // A code typed loosely (lower case, dashes) is folded by the shared schema.
    await codeInput.fill(reporterInvite.toLowerCase().replace(/(.{4})(.{4})/, "$1-$2-"));
    await page.locator("#login-submit").filter({ visible: true }).click();
    await visible("王芳，幸福镇东村村委会").waitFor({ timeout: 15_000 });
  });

  it("shows a reporter the report job and not the checker's clearance check", async () => {
    await expect(visible("报送信息").count()).resolves.toBe(1);
    await expect(visible("承租房屋登记").count()).resolves.toBe(1);
    await expect(page.getByText("核验凭证", { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText("单位与邀请", { exact: true }).count()).resolves.toBe(0);
    await page.screenshot({ path: "/tmp/xieshui-h5-home.png", fullPage: true });
  });

  it("opens the anonymous tip page from its tile, signed in or not", async () => {
    await page.locator("#entry-tip").filter({ visible: true }).click();
    await page.locator("#tip-intro").filter({ visible: true }).waitFor();
    await page.locator("#nav-back").filter({ visible: true }).click();
    await visible("王芳，幸福镇东村村委会").waitFor();
  });

  it("keeps the session across a reload and refreshes the user from /me", async () => {
    await page.reload();
    await visible("王芳，幸福镇东村村委会").waitFor();
    await expect(visible("报送信息").count()).resolves.toBe(1);
  });

  it("shows the profile with Chinese role names, a Telegram link code and an English switch", async () => {
    await page.locator("#open-profile").filter({ visible: true }).click();
    await visible("信息报送员").waitFor();
    await expect(visible("村委会").count()).resolves.toBe(1);
    await page.locator("#link-telegram").filter({ visible: true }).click();
    const command = page.locator("#link-code .linkcode__command").filter({ visible: true });
    await command.waitFor();
    await expect(command.textContent()).resolves.toMatch(/^\/link [A-Z2-9]{8}$/);
    await page.waitForTimeout(400); // let the slide-in finish so the screenshot shows the settled page
    await page.screenshot({ path: "/tmp/xieshui-h5-profile.png" });

    await page.locator("#locale-en").filter({ visible: true }).click();
    await visible("Sign out").waitFor();
    await page.locator("#locale-zh-CN").filter({ visible: true }).click();
    await visible("退出登录").waitFor();
  });

  it("lays the app out as a centred phone-width column on a desktop screen", async () => {
    const desktop = await app.browser.context.newPage();
    await desktop.setViewportSize({ width: 1280, height: 800 });
    await desktop.goto(`${baseUrl}/`);
    const tile = desktop.locator("#entry-report").filter({ visible: true });
    await tile.waitFor();
    const box = await tile.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeLessThan(720);
    expect(Math.abs(box!.x + box!.width / 2 - 640)).toBeLessThan(20);
    await desktop.screenshot({ path: "/tmp/xieshui-h5-desktop.png" });
    await desktop.close();
  });

  it("signs out after a confirmation and returns to the visitor home", async () => {
    await page.locator("#logout").filter({ visible: true }).click();
    await page.locator(".taro-modal__foot >> text=退出").click();
    await visible("协税护税，人人有责").waitFor();
    await expect.poll(() => visible("报送信息").count()).toBe(0);
    await expect(page.evaluate("localStorage.getItem('xieshui.token')")).resolves.toBeNull();
  });
});
