import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createInvite, systemActor } from "@xieshui/core/server";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

// Issue 7, point 8: the real H5 build runs under the API's Content-Security-Policy with no
// violation, through sign-in and the pages a reporter and a checker open, and so does /docs.
describe.skipIf(shouldSkipBrowserTests())("the H5 app under the CSP", () => {
  let app: H5App;
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    app = await startH5App();
    page = await app.browser.context.newPage();
    // Every violation the browser reports, from the DOM event and from the console.
    // (Page scripts as strings: this project's TypeScript has no DOM library.)
    await page.addInitScript({
      content: `document.addEventListener("securitypolicyviolation", (e) => { (window.__csp ??= []).push(e.violatedDirective + " " + e.blockedURI); });`,
    });
    page.on("console", (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
    });
    page.on("pageerror", (error) => violations.push(`pageerror: ${error.message}`));
  });

  afterAll(async () => {
    await app?.close();
  });

  const recorded = async () => [...violations, ...((await page.evaluate("window.__csp ?? []")) as string[])];
  const visible = (text: string) => page.getByText(text, { exact: true }).filter({ visible: true });

  it("sends the policy with the H5 page and its inline script allowed by hash", async () => {
    const res = await page.goto(`${app.baseUrl}/`);
    const csp = res!.headers()["content-security-policy"]!;
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res!.headers()["x-content-type-options"]).toBe("nosniff");
    await visible("学习税法").waitFor();
    expect(await recorded()).toEqual([]);
  });

  it("signs a checker in and opens the check page without a violation", async () => {
    const { code } = await createInvite(app.testDb.deps, systemActor("test"), { unit: "traffic-1", roles: ["checker", "reporter"], name: "李警官" });
    await page.locator("#go-login").click();
    const input = page.locator("#login-code input").filter({ visible: true });
    await input.waitFor();
    await input.fill(code);
    await page.locator("#login-submit").filter({ visible: true }).click();
    await visible("核验凭证").waitFor({ timeout: 15_000 });
    await visible("核验凭证").click();
    await page.waitForTimeout(1_000);
    await page.goBack();
    await visible("报送信息").click();
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: "/tmp/xieshui-h5-csp.png" });
    expect(await recorded()).toEqual([]);
  });

  it("serves the API docs under the same headers without a violation", async () => {
    const res = await page.goto(`${app.baseUrl}/docs`);
    expect(res!.status()).toBe(200);
    await page.locator(".swagger-ui").first().waitFor({ timeout: 15_000 });
    await page.getByText("协税通 API").first().waitFor({ timeout: 15_000 });
    expect(await recorded()).toEqual([]);
  });
});
