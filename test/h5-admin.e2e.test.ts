import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createInvite, systemActor } from "@xieshui/core/server";
import { launchBrowser, shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";

const HEADER = "certificate_no,kind,tax,plate,vin,contract_no,taxpayer_id,taxpayer_name,period_start,period_end,status,amount,paid_on";

// Back-office pages in the real H5 build: an admin invites a village reporter who then signs in on
// another phone; a coordinator sees a clearance check made through the API and imports clearances.
describe.skipIf(shouldSkipBrowserTests())("H5 admin and oversight pages in Chromium", () => {
  let app: H5App;
  let second: Awaited<ReturnType<typeof launchBrowser>>;
  let admin: Page;
  let other: Page;
  let newCode = "";

  beforeAll(async () => {
    app = await startH5App();
    second = await launchBrowser();
    admin = await app.browser.context.newPage();
    other = await second.context.newPage();
  });

  afterAll(async () => {
    await second?.close();
    await app?.close();
  });

  const visibleIn = (page: Page, text: string) => page.getByText(text, { exact: true }).filter({ visible: true });
  const byId = (page: Page, selector: string) => page.locator(selector).filter({ visible: true });

  async function signIn(page: Page, code: string, greeting: string) {
    await page.goto(`${app.baseUrl}/`);
    await byId(page, "#go-login").click();
    const input = byId(page, "#login-code input");
    await input.waitFor();
    await input.fill(code);
    await byId(page, "#login-submit").click();
    await visibleIn(page, greeting).waitFor({ timeout: 15_000 });
  }

  it("lets an admin create an invite for a village reporter and shows its code once", async () => {
    const { code } = await createInvite(app.testDb.deps, systemActor("test"), { unit: "finance-bureau", roles: ["admin"], name: "周管理" });
    await signIn(admin, code, "周管理，区财政局");
    await byId(admin, "#entry-admin").click();
    await byId(admin, "#invite-unit-pick").waitFor();

    // Nothing chosen: the shared schema's messages appear next to the fields.
    await byId(admin, "#invite-submit").click();
    await expect(byId(admin, "#invite-roles-error").textContent()).resolves.toBe("至少选择一个角色");
    await expect(byId(admin, "#invite-unit-error").textContent()).resolves.toBe("请选择单位");

    await byId(admin, "#invite-unit-pick").click();
    await byId(admin, "#invite-unit-search input").fill("东村");
    await byId(admin, "#invite-unit-options >> text=幸福镇东村村委会").click();
    await byId(admin, "#invite-role-reporter").click();
    await byId(admin, "#invite-name input").fill("赵村民");
    await byId(admin, "#invite-submit").click();
    const shown = byId(admin, "#issued-code-value");
    await shown.waitFor();
    const grouped = (await shown.textContent()) ?? "";
    expect(grouped).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
    newCode = grouped.replaceAll("-", "");
    await expect(byId(admin, "#issued-code-bot").textContent()).resolves.toBe(`在机器人中发送：/start ${newCode}`);
    await byId(admin, "#invite-list .ritem").first().waitFor();
    await expect(byId(admin, "#invite-list").textContent()).resolves.toContain("信息报送员 · 赵村民");
    await admin.waitForTimeout(400); // let the scroll to the new code settle for the screenshot
    await admin.screenshot({ path: "/tmp/xieshui-h5-admin.png" });
  });

  it("signs a second phone in as the reporter with that code, as the admin then sees", async () => {
    await signIn(other, grouped(newCode), "赵村民，幸福镇东村村委会");
    await expect(visibleIn(other, "报送信息").count()).resolves.toBe(1);

    await byId(admin, "#invite-filter-status-used").click();
    await expect.poll(() => byId(admin, "#invite-list").textContent()).toContain("赵村民 于");
  });

  it("shows a coordinator a check made through the API, the reporting tabs and the import page", async () => {
    const checker = await createInvite(app.testDb.deps, systemActor("test"), { unit: "traffic-1", roles: ["checker"], name: "孙警官" });
    const redeemed = (await (await fetch(`${app.baseUrl}/api/v1/auth/redeem`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: checker.code }) })).json()) as { token: string };
    const check = await fetch(`${app.baseUrl}/api/v1/clearances/check`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${redeemed.token}` },
      body: JSON.stringify({ kind: "vehicle_vessel", key: "豫A·7K3M9" }),
    });
    expect(check.status).toBe(200);

    const coordinator = await createInvite(app.testDb.deps, systemActor("test"), { unit: "finance-bureau", roles: ["coordinator"], name: "陈协调" });
    await other.evaluate("localStorage.clear()");
    await signIn(other, coordinator.code, "陈协调，区财政局");
    await byId(other, "#entry-oversight").click();
    await byId(other, "#period-value").waitFor();
    await byId(other, "#tab-checks").click();
    await byId(other, "#checks-list .ritem").first().waitFor();
    const list = (await byId(other, "#checks-list").textContent()) ?? "";
    expect(list).toContain("豫A7K3M9");
    expect(list).toContain("孙警官 · 区公安局交警大队一中队");
    await other.waitForTimeout(400);
    await other.screenshot({ path: "/tmp/xieshui-h5-oversight.png", fullPage: true });

    await byId(other, "#tab-reports").click();
    await byId(other, "#missing-list .ritem").first().waitFor();
    await other.screenshot({ path: "/tmp/xieshui-h5-oversight-reports.png", fullPage: true });

    await byId(other, "#open-import").click();
    await byId(other, "#import-pick").waitFor();
    const chooser = other.waitForEvent("filechooser");
    await byId(other, "#import-pick").click();
    const csv = [HEADER, "CT2026000001,vehicle_vessel,车船税,豫A7K3M9,,,410106195405020740,杜英,2026-01-01,2026-12-31,paid,360.00,2026-03-01", "CT2026000002,vehicle_vessel,车船税,NOT A PLATE,,,410106195405020740,杜英,2026-01-01,2026-12-31,paid,360.00,2026-03-01"].join("\n");
    await (await chooser).setFiles({ name: "clearances.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await byId(other, "#import-file").waitFor();
    await byId(other, "#import-submit").click();
    await byId(other, "#import-summary").waitFor({ timeout: 20_000 });
    await expect(byId(other, "#import-imported").textContent()).resolves.toBe("1新增");
    await expect(byId(other, "#import-rejected-lines").textContent()).resolves.toContain("第 3 行：");
    await other.waitForTimeout(400);
    await other.screenshot({ path: "/tmp/xieshui-h5-import.png", fullPage: true });
  });
});

/** The code as the admin page shows it (grouped), which the login form folds back. */
function grouped(code: string): string {
  return code.replace(/(.{4})(.{4})/, "$1-$2-");
}
