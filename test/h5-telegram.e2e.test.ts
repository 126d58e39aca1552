import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { signWebAppInitData } from "@xieshui/core/server";
import { makeTelegramUser } from "./factories/identity.ts";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

const BOT_TOKEN = "123456:TEST-telegram-webapp-token";

function initDataFor(telegramId: number): string {
  const user = JSON.stringify({ id: telegramId, first_name: "Li", language_code: "zh-hans" });
  return signWebAppInitData({ query_id: "AAH-test", user, auth_date: String(Math.floor(Date.now() / 1000)) }, BOT_TOKEN);
}

// The H5 build opened as a Telegram Mini App: Telegram appends #tgWebAppData=<initData> to the URL.
describe.skipIf(shouldSkipBrowserTests())("H5 app as a Telegram Mini App", () => {
  let app: H5App;
  let browser: H5App["browser"];
  let baseUrl: string;

  beforeAll(async () => {
    app = await startH5App({ telegramBotToken: BOT_TOKEN });
    ({ browser, baseUrl } = app);
    await makeTelegramUser(app.testDb.deps, { roles: ["checker"], telegramId: 4242, unit: "traffic-1", name: "李警官" });
  });

  afterAll(async () => {
    await app?.close();
  });

  const visible = (page: Page, text: string) => page.getByText(text, { exact: true }).filter({ visible: true });
  const openInTelegram = async (telegramId: number) => {
    const page = await browser.context.newPage();
    // Start from a clean origin: no session left by an earlier test.
    await page.goto(`${baseUrl}/healthz`);
    await page.evaluate("localStorage.clear()");
    const hash = `tgWebAppData=${encodeURIComponent(initDataFor(telegramId))}&tgWebAppVersion=7.0&tgWebAppPlatform=android`;
    await page.goto(`${baseUrl}/#${hash}`);
    return page;
  };

  it("signs a linked Telegram user in without a code and shows the checker's jobs", async () => {
    const page = await openInTelegram(4242);
    await visible(page, "李警官，区公安局交警大队一中队").waitFor({ timeout: 15_000 });
    await expect(visible(page, "核验凭证").count()).resolves.toBe(1);
    await expect(page.getByText("报送信息", { exact: true }).count()).resolves.toBe(0);
    await page.screenshot({ path: "/tmp/xieshui-h5-telegram.png" });
    await page.close();
  });

  it("sends an unknown Telegram account to the login page", async () => {
    const page = await openInTelegram(9999);
    await page.locator("#login-code input").filter({ visible: true }).waitFor({ timeout: 15_000 });
    await expect(page.locator("#telegram-unknown").filter({ visible: true }).textContent()).resolves.toContain("还没有绑定");
    await page.screenshot({ path: "/tmp/xieshui-h5-login.png" });
    await page.close();
  });
});
