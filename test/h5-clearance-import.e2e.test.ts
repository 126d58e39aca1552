import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { CLEARANCE_COLUMNS, withIdCheckChar } from "@xieshui/core";
import { createInvite, systemActor } from "@xieshui/core/server";
import { launchBrowser, shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

// The clearance import page in the real H5 build (issue 7 point 5): a coordinator may only
// dry-run, a long list of rejected rows is counted in full and listed in part, and an import
// that overlaps another is refused with a clear message. Screenshots (390×844, zh-CN and en) go
// to /tmp/xieshui-h5-import-limits/.

const SHOTS = "/tmp/xieshui-h5-import-limits";
const ID = withIdCheckChar("41010619900101123");
const row = (cert: string, amount = "360.00") =>
  [cert, "vehicle_vessel", "车船税", "豫A7K3M9", "", "", ID, "杜英", "2026-01-01", "2026-12-31", "paid", amount, "2026-03-01"].join(",");
// One good row and 1,500 with a bad amount: more than the 1,000 the server lists.
const MANY_BAD = [CLEARANCE_COLUMNS.join(","), row("CT2026900000"), ...Array.from({ length: 1500 }, (_, i) => row(`CT2026${String(900001 + i)}`, "三百"))].join("\n");

describe.skipIf(shouldSkipBrowserTests())("H5 clearance import page in Chromium", () => {
  let app: H5App;
  let english: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startH5App();
    english = await launchBrowser({ locale: "en" });
  });
  afterAll(async () => {
    await english?.close();
    await app?.close();
  });

  const byId = (page: Page, selector: string) => page.locator(selector).filter({ visible: true });

  async function openImport(page: Page, roles: ("coordinator" | "tax_officer")[], name: string, locale: "zh-CN" | "en" = "zh-CN") {
    const { code } = await createInvite(app.testDb.deps, systemActor("test"), { unit: roles.includes("tax_officer") ? "tax-bureau" : "finance-bureau", roles, name });
    await page.goto(`${app.baseUrl}/`);
    await page.evaluate("localStorage.clear()");
    await page.goto(`${app.baseUrl}/`);
    await byId(page, "#go-login").click();
    await byId(page, "#login-code input").fill(code);
    await byId(page, "#login-submit").click();
    if (locale === "en") {
      await byId(page, "#open-profile").click();
      await byId(page, "#locale-en").click();
      await page.getByText("Sign out", { exact: true }).filter({ visible: true }).waitFor();
      await page.goBack();
    }
    await byId(page, roles.includes("coordinator") ? "#entry-oversight" : "#entry-review").click();
    await byId(page, roles.includes("coordinator") ? "#open-import" : "#open-clearance-import").click();
    await byId(page, "#import-pick").waitFor();
  }

  async function upload(page: Page, name: string, text: string) {
    const chooser = page.waitForEvent("filechooser");
    await byId(page, "#import-pick").click();
    await (await chooser).setFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
    await byId(page, "#import-file").waitFor();
    await byId(page, "#import-submit").click();
  }

  it("lets a coordinator dry-run only and counts all 1,500 rejected lines (zh-CN)", async () => {
    const page = await app.browser.context.newPage();
    await openImport(page, ["coordinator"], "陈协调");
    await expect(byId(page, "#import-dry-run-only").textContent()).resolves.toContain("只有税务人员可以正式导入");
    await upload(page, "完税凭证.csv", MANY_BAD);
    await byId(page, "#import-summary").waitFor({ timeout: 60_000 });
    await expect(byId(page, "#import-summary .card__title").textContent()).resolves.toBe("试导入结果（未写入）");
    await expect(byId(page, "#import-imported").textContent()).resolves.toBe("1新增");
    await expect(byId(page, "#import-rejected").textContent()).resolves.toBe("1500拒收");
    await expect(byId(page, "#import-more").textContent()).resolves.toBe("共有 1500 行被拒收，这里只列出前 20 行：请修正后重新试导入。");
    expect(await app.testDb.db.prisma.clearance.count({ where: { certificateNo: "CT2026900000" } })).toBe(0);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/coordinator-dry-run-zh.png` });
    await byId(page, "#import-more").scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/coordinator-dry-run-zh-end.png` });
    await page.close();
  });

  it("says the same in English", async () => {
    const page = await english.context.newPage();
    await openImport(page, ["coordinator"], "Chen", "en");
    await upload(page, "clearances.csv", MANY_BAD);
    await byId(page, "#import-summary").waitFor({ timeout: 60_000 });
    await expect(byId(page, "#import-dry-run-only").textContent()).resolves.toContain("Only tax officers may import");
    await expect(byId(page, "#import-more").textContent()).resolves.toBe("1500 lines were rejected in all; only the first 20 are listed: fix them and dry-run again.");
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/coordinator-dry-run-en.png` });
    await byId(page, "#import-more").scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/coordinator-dry-run-en-end.png` });
    await page.close();
  });

  it("tells a tax officer another import is running, then imports once it has finished", async () => {
    const page = await app.browser.context.newPage();
    await openImport(page, ["tax_officer"], "李税务");
    const now = Date.now();
    await app.testDb.db.prisma.jobLease.create({ data: { name: "clearance-import", holder: "another-process", acquiredAt: new Date(now), expiresAt: new Date(now + 60_000) } });
    await upload(page, "完税凭证.csv", [CLEARANCE_COLUMNS.join(","), row("CT2026800000")].join("\n"));
    await expect.poll(() => byId(page, "#import-submit-feedback").textContent(), { timeout: 30_000 }).toMatch(/^另一次完税凭证导入正在进行（\d{4}-\d{2}-\d{2} \d{2}:\d{2} 开始）：请等它结束后再试$/);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/tax-officer-busy-zh.png` });
    await app.testDb.db.prisma.jobLease.deleteMany();
    await byId(page, "#import-submit").click();
    await byId(page, "#import-summary").waitFor({ timeout: 60_000 });
    await expect(byId(page, "#import-summary .card__title").textContent()).resolves.toBe("导入结果");
    await expect(byId(page, "#import-imported").textContent()).resolves.toBe("1新增");
    expect(await app.testDb.db.prisma.clearance.count({ where: { certificateNo: "CT2026800000" } })).toBe(1);
    await page.close();
  });
});
