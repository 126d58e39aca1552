import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { addDays, cstDate, withIdCheckChar, withUsccCheckChar } from "@xieshui/core";
import { createInvite, submitReport, systemActor } from "@xieshui/core/server";
import { launchBrowser, shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { screen, startInLocale, type UiLocale } from "./support/screens.ts";

// Issue 8 point 5: a tax officer returns a rental report naming the field concerned; the clerk opens
// it from 我的报送, sees the reason next to that field, corrects it and resubmits a new version of the
// same report; the officer's inbox shows the latest version and the detail page what changed.
const WORDS: Record<UiLocale, { returned: string; submitted: string; version2: string; returnAction: string }> = {
  "zh-CN": { returned: "已退回", submitted: "待审核", version2: "第 2 版", returnAction: "退回" },
  en: { returned: "Returned", submitted: "Awaiting review", version2: "Version 2", returnAction: "Return" },
};
const REASON = "租期结束日期与合同不符";

describe.skipIf(shouldSkipBrowserTests()).each(["zh-CN", "en"] as const)("H5 returned report fixed and resubmitted (%s)", (locale) => {
  let app: H5App;
  let officerBrowser: Awaited<ReturnType<typeof launchBrowser>>;
  let clerk: Page;
  let officer: Page;
  let reportId: string;
  let taps = 0;
  const today = cstDate(new Date());
  const wrongEnd = addDays(today, 30);
  const rightEnd = addDays(today, 365);

  beforeAll(async () => {
    app = await startH5App();
    const { deps } = app.testDb;
    const clerkInvite = (await createInvite(deps, systemActor("test"), { unit: "dongcun", roles: ["reporter"], name: "王芳" })).code;
    const officerInvite = (await createInvite(deps, systemActor("test"), { unit: "tax-bureau", roles: ["tax_officer"], name: "李税" })).code;
    await startInLocale(app.browser.context, locale);
    officerBrowser = await launchBrowser();
    await startInLocale(officerBrowser.context, locale);
    clerk = await app.browser.context.newPage();
    officer = await officerBrowser.context.newPage();
    for (const [page, code] of [[clerk, clerkInvite], [officer, officerInvite]] as const) {
      await page.goto(`${app.baseUrl}/`);
      await page.locator("#go-login").filter({ visible: true }).click();
      await page.locator("#login-code input").filter({ visible: true }).fill(code);
      await page.locator("#login-submit").filter({ visible: true }).click();
      await page.locator("#open-profile").filter({ visible: true }).waitFor({ timeout: 15_000 });
    }
    // The clerk's report, filed through core as the clerk's own user.
    const user = await deps.db.prisma.user.findFirstOrThrow({ where: { name: "王芳" } });
    const actor = await deps.identity.actorByUserId(user.id)!;
    const filed = await submitReport(deps, actor, {
      type: "rental",
      clientId: `e2e-fix-${locale}`,
      data: {
        address: "幸福镇东村5组8号",
        landlordName: "张三",
        landlordIdNo: withIdCheckChar("41010619800101001"),
        tenantName: "李四",
        tenantIdNo: withUsccCheckChar("91410100MA0000001"),
        use: "residential",
        monthlyRent: 1200,
        area: 85.5,
        leaseStart: today,
        leaseEnd: wrongEnd,
      },
    });
    reportId = filed.report.id;
  });
  afterAll(async () => {
    await officerBrowser?.close();
    await app?.close();
  });

  const on = (page: Page, id: string) => page.locator(`#${id}`).filter({ visible: true });

  it("lets the officer return the report naming the field concerned", async () => {
    await on(officer, "entry-review").click();
    await officer.locator("#inbox-list .ritem").filter({ visible: true }).first().click();
    await on(officer, "kv-leaseEnd").waitFor({ timeout: 15_000 });
    await on(officer, "return-fields-leaseEnd").click();
    await officer.locator("#review-comment input").filter({ visible: true }).fill(REASON);
    await screen(officer, "review-return-fields", locale);
    await on(officer, "review-return").click();
    // A return is confirmed first (issue 8 point 8).
    await officer.locator(".taro-modal__foot").waitFor();
    await officer.locator(`.taro-modal__foot >> text=${WORDS[locale].returnAction}`).click();
    await expect.poll(() => on(officer, "review-status").textContent()).toBe(WORDS[locale].returned);
    const row = await app.testDb.deps.db.prisma.report.findUniqueOrThrow({ where: { id: reportId } });
    expect(row).toMatchObject({ status: "returned", reviewComment: REASON });
    expect(JSON.parse(row.returnedFields ?? "[]")).toEqual(["leaseEnd"]);
  });

  it("opens the returned report from 我的报送 with the reason next to the field", async () => {
    taps = 0;
    await clerk.reload();
    for (const id of ["entry-report", "open-mine", `mine-${reportId}`]) {
      await on(clerk, id).click();
      taps++;
    }
    await expect.poll(() => on(clerk, "detail-status").textContent(), { timeout: 15_000 }).toBe(WORDS[locale].returned);
    await expect(on(clerk, "detail-reason").textContent()).resolves.toContain(REASON);
    await expect(on(clerk, "kv-leaseEnd-reason").textContent()).resolves.toContain(REASON);
    await expect(clerk.locator("#kv-address-reason").count()).resolves.toBe(0);
    await screen(clerk, "report-detail-returned", locale);
  });

  it("corrects the field and resubmits a new version of the same report", async () => {
    await on(clerk, "fix-start").click();
    taps++;
    const end = clerk.locator("#f-leaseEnd input").filter({ visible: true });
    await end.waitFor();
    await expect(end.inputValue()).resolves.toBe(wrongEnd);
    await expect(on(clerk, "f-leaseEnd-error").textContent()).resolves.toContain(REASON);
    await screen(clerk, "report-detail-fixing", locale);
    await end.click();
    taps++;
    await end.fill(rightEnd);
    await on(clerk, "fix-submit").click();
    taps++;
    await expect.poll(() => on(clerk, "detail-status").textContent(), { timeout: 15_000 }).toBe(WORDS[locale].submitted);
    await expect(on(clerk, "detail-version").textContent()).resolves.toContain(WORDS[locale].version2);
    expect(taps).toBeLessThanOrEqual(6);
    await screen(clerk, "report-detail-resubmitted", locale);

    const { prisma } = app.testDb.deps.db;
    await expect(prisma.report.count()).resolves.toBe(1);
    const row = await prisma.report.findUniqueOrThrow({ where: { id: reportId } });
    expect(row).toMatchObject({ status: "submitted", version: 2, reviewComment: null });
    expect(JSON.parse(row.data)).toMatchObject({ leaseEnd: rightEnd });
    const history = await prisma.reportVersion.findMany({ where: { reportId } });
    expect(history).toHaveLength(1);
    expect(JSON.parse(history[0]!.data)).toMatchObject({ leaseEnd: wrongEnd });
    expect(history[0]).toMatchObject({ version: 1, reviewComment: REASON });
  });

  it("shows the officer the latest version in the inbox and what changed", async () => {
    await officer.goto(`${app.baseUrl}/pages/review/index`);
    const items = officer.locator("#inbox-list .ritem").filter({ visible: true });
    await items.first().waitFor({ timeout: 15_000 });
    await expect(items.count()).resolves.toBe(1);
    await expect(items.first().textContent()).resolves.toContain(WORDS[locale].version2);
    await items.first().click();
    await on(officer, "diff-leaseEnd").waitFor({ timeout: 15_000 });
    const diff = await on(officer, "diff-leaseEnd").textContent();
    expect(diff).toContain(wrongEnd);
    expect(diff).toContain(rightEnd);
    await expect(officer.locator("#diff-address").count()).resolves.toBe(0);
    await screen(officer, "review-diff", locale);
  });
});
