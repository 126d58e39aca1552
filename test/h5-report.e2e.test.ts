import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { cstDate, withIdCheckChar, withUsccCheckChar } from "@xieshui/core";
import { createInvite, systemActor } from "@xieshui/core/server";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

const LANDLORD_ID = withIdCheckChar("41010619800101001");
const TENANT_USCC = withUsccCheckChar("91410100MA0000001");
// Same as LANDLORD_ID but with a wrong check character.
const BAD_ID = LANDLORD_ID.slice(0, 17) + (LANDLORD_ID.endsWith("0") ? "1" : "0");

// A village clerk files a rental report in the real H5 build (Chromium) against the real API and SQLite.
describe.skipIf(shouldSkipBrowserTests())("H5 rental report in Chromium", () => {
  let app: H5App;
  let testDb: H5App["testDb"];
  let baseUrl: string;
  let invite: string;
  let officerInvite: string;
  let page: Page;

  beforeAll(async () => {
    app = await startH5App();
    ({ testDb, baseUrl } = app);
    invite = (await createInvite(testDb.deps, systemActor("test"), { unit: "dongcun", roles: ["reporter"], name: "王芳" })).code;
    officerInvite = (await createInvite(testDb.deps, systemActor("test"), { unit: "tax-bureau", roles: ["tax_officer"], name: "李税" })).code;
    page = await app.browser.context.newPage();
  });

  afterAll(async () => {
    await app?.close();
  });

  const visible = (text: string) => page.getByText(text, { exact: true }).filter({ visible: true });
  const field = (name: string) => page.locator(`#f-${name} input`).filter({ visible: true });
  const click = (id: string) => page.locator(`#${id}`).filter({ visible: true }).click();

  it("signs the village clerk in and opens the rental form from the report menu", async () => {
    await page.goto(`${baseUrl}/`);
    await click("go-login");
    const code = page.locator("#login-code input").filter({ visible: true });
    await code.waitFor();
    await code.fill(invite);
    await click("login-submit");
    await visible("王芳，幸福镇东村村委会").waitFor({ timeout: 15_000 });
    await click("entry-report");
    await visible("承租房屋登记").waitFor();
    await expect(visible("外来演出报告").count()).resolves.toBe(0);
    await click("type-rental");
    await field("address").waitFor();
  });

  it("restores the draft after a reload in the middle of the form", async () => {
    await field("address").fill("幸福镇东村5组8号");
    await field("landlordName").fill("张三");
    await field("landlordIdNo").fill(BAD_ID);
    await page.reload();
    await field("address").waitFor({ timeout: 15_000 });
    await page.locator("#draft-restored").filter({ visible: true }).waitFor();
    await expect(field("address").inputValue()).resolves.toBe("幸福镇东村5组8号");
    await expect(field("landlordIdNo").inputValue()).resolves.toBe(BAD_ID);
  });

  it("shows the ID number error next to the field, then files the fixed report on time", async () => {
    const today = cstDate(new Date());
    await field("tenantName").fill("李四");
    await field("tenantIdNo").fill(TENANT_USCC);
    await click("f-use-residential");
    await field("monthlyRent").fill("1200");
    await field("area").fill("85.5");
    await field("leaseStart").fill(today);
    await field("leaseEnd").fill(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`);
    await page.waitForTimeout(400); // let the slide-in finish so the screenshot shows the settled page
    await page.screenshot({ path: "/tmp/xieshui-h5-report-form.png", fullPage: true });

    await click("report-submit");
    const error = page.locator("#f-landlordIdNo-error").filter({ visible: true });
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain("校验码");
    await error.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "/tmp/xieshui-h5-report-error.png" });
    await expect(testDb.deps.db.prisma.report.count()).resolves.toBe(0);

    await field("landlordIdNo").fill(LANDLORD_ID);
    await click("report-submit");
    const timeliness = page.locator("#result-timeliness").filter({ visible: true });
    await timeliness.waitFor({ timeout: 15_000 });
    await expect(timeliness.textContent()).resolves.toBe("按时");
    await expect(page.locator("#result-status").filter({ visible: true }).textContent()).resolves.toBe("待审核");
    await page.screenshot({ path: "/tmp/xieshui-h5-report-result.png" });

    const rows = await testDb.deps.db.prisma.report.findMany();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ address: "幸福镇东村5组8号", landlordIdNo: LANDLORD_ID, tenantIdNo: TENANT_USCC, use: "residential", monthlyRent: 1200, area: 85.5 });
    await expect(page.evaluate("localStorage.getItem('xieshui.report-draft.rental')")).resolves.toBeNull();
  });

  it("lists the report in 我的报送 with its status", async () => {
    await click("goto-mine");
    const item = page.locator("#mine-list .ritem").filter({ visible: true });
    await item.first().waitFor();
    await expect(item.count()).resolves.toBe(1);
    const text = await item.first().textContent();
    expect(text).toContain("承租房屋登记");
    expect(text).toContain("待审核");
    expect(text).toContain("按时");
    expect(text).toContain("幸福镇东村5组8号");
  });

  it("lets a tax officer open the report with labelled fields and return it only with a reason", async () => {
    // The profile is shared by every page of the context: the officer signs in after the clerk's session is cleared.
    const op = await app.browser.context.newPage();
    await op.goto(`${baseUrl}/`);
    await op.evaluate("localStorage.clear()");
    await op.goto(`${baseUrl}/`);
    const see = (id: string) => op.locator(`#${id}`).filter({ visible: true });
    await see("go-login").click();
    await op.locator("#login-code input").filter({ visible: true }).fill(officerInvite);
    await see("login-submit").click();
    await see("entry-review").click();
    const item = op.locator("#inbox-list .ritem").filter({ visible: true });
    await item.first().waitFor({ timeout: 15_000 });
    await expect(item.first().textContent()).resolves.toContain("幸福镇东村5组8号");
    await item.first().click();
    await op.locator("#kv-landlordIdNo").filter({ visible: true }).waitFor();
    await expect(op.locator("#kv-use").filter({ visible: true }).textContent()).resolves.toBe("居住");
    await see("review-return").click();
    await expect(see("review-comment-error").textContent()).resolves.toContain("退回时请写明原因");
    await op.locator("#review-comment input").filter({ visible: true }).fill("租期结束日期请核对");
    await see("review-return").click();
    await op.locator(".taro-modal__foot >> text=退回").click();
    await expect.poll(() => see("review-status").textContent()).toBe("已退回");
    await op.screenshot({ path: "/tmp/xieshui-h5-review.png" });
    await op.close();

    const row = await testDb.deps.db.prisma.report.findFirstOrThrow();
    expect(row).toMatchObject({ status: "returned", reviewComment: "租期结束日期请核对" });
  });
});
