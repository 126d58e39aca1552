import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createInvite, createLinkCode, systemActor } from "@xieshui/core/server";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { screen, startInLocale, type UiLocale } from "./support/screens.ts";

// Issue 8 point 10: a session that is used stays alive (it slides), and the profile page lists the
// user's sessions and devices and ends any of them; ending the current one signs this device out.
const IPHONE_WECHAT =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
const WORDS: Record<UiLocale, { device: string; thisDevice: string }> = {
  "zh-CN": { device: "iPhone · 微信", thisDevice: "本设备" },
  en: { device: "iPhone · WeChat", thisDevice: "This device" },
};
const DAY = 86_400_000;

describe.skipIf(shouldSkipBrowserTests()).each(["zh-CN", "en"] as const)("H5 sessions: sliding, listed, ended (%s)", (locale) => {
  let app: H5App;
  let page: Page;
  let userId: string;
  let otherToken: string;

  beforeAll(async () => {
    app = await startH5App();
    const invite = (await createInvite(app.testDb.deps, systemActor("test"), { unit: "dongcun", roles: ["reporter"], name: "王芳" })).code;
    await startInLocale(app.browser.context, locale);
    page = await app.browser.context.newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.locator("#go-login").filter({ visible: true }).click();
    await page.locator("#login-code input").filter({ visible: true }).fill(invite);
    await page.locator("#login-submit").filter({ visible: true }).click();
    await page.locator("#open-profile").filter({ visible: true }).waitFor({ timeout: 15_000 });
    userId = (await app.testDb.deps.db.prisma.user.findFirstOrThrow({ where: { name: "王芳" } })).id;
    // A second device: the same person signs in on an iPhone in WeChat with a link code from the bot.
    const actor = (await app.testDb.deps.identity.actorByUserId(userId))!;
    const { code } = await createLinkCode(app.testDb.deps, actor);
    const res = await fetch(`${app.baseUrl}/api/v1/auth/link`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": IPHONE_WECHAT },
      body: JSON.stringify({ code }),
    });
    expect(res.status).toBe(200);
    otherToken = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await app?.close();
  });

  const on = (id: string) => page.locator(`#${id}`).filter({ visible: true });
  const sessions = () => app.testDb.deps.db.prisma.session.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

  it("renews a session that is used close to its end", async () => {
    // As if signed in 29 days ago and last used two hours ago: 30 minutes left.
    const [mine] = await sessions();
    const now = Date.now();
    await app.testDb.deps.db.prisma.session.update({
      where: { id: mine!.id },
      data: { createdAt: new Date(now - 29 * DAY), lastUsedAt: new Date(now - 2 * 3600_000), expiresAt: new Date(now + 30 * 60_000) },
    });
    await page.reload();
    await on("open-profile").waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => (await app.testDb.deps.db.prisma.session.findUniqueOrThrow({ where: { id: mine!.id } })).expiresAt.getTime(), { timeout: 10_000 })
      .toBeGreaterThan(now + 29 * DAY);
  });

  it("lists both devices on the profile page, this one marked", async () => {
    await on("open-profile").click();
    const items = page.locator("#sessions .session").filter({ visible: true });
    await items.first().waitFor({ timeout: 15_000 });
    await expect(items.count()).resolves.toBe(2);
    const text = (await page.locator("#sessions").filter({ visible: true }).textContent()) ?? "";
    expect(text).toContain(WORDS[locale].device);
    expect(text).toContain(WORDS[locale].thisDevice);
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).not.toMatch(/Mozilla|MicroMessenger|c[a-z0-9]{20,}/);
    await screen(page, "profile-sessions", locale);
  });

  it("ends the other device's session after confirmation", async () => {
    const [, other] = await sessions();
    await on(`session-end-${other!.id}`).click();
    await page.locator(".taro-model__confirm").filter({ visible: true }).click();
    await expect.poll(() => page.locator("#sessions .session").filter({ visible: true }).count(), { timeout: 10_000 }).toBe(1);
    const me = await fetch(`${app.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${otherToken}` } });
    expect(me.status).toBe(401);
  });

  it("ending the current session signs this device out", async () => {
    const [mine] = await sessions();
    await on(`session-end-${mine!.id}`).click();
    await page.locator(".taro-model__confirm").filter({ visible: true }).click();
    await on("go-login").waitFor({ timeout: 15_000 });
    const rows = await sessions();
    expect(rows.every((s) => s.revokedAt !== null)).toBe(true);
  });
});
