import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCst, periodOf } from "@xieshui/core";
import { submitReport } from "@xieshui/core/server";
import { makeUser } from "./factories/identity.ts";
import { makeRentalData } from "./factories/reports.ts";
import { launchBrowser, shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

const HEADER = "certificate_no,kind,tax,plate,vin,contract_no,taxpayer_id,taxpayer_name,period_start,period_end,status,amount,paid_on";
const INTERNAL_CODE = /\b(dongcun|xicun|tax-bureau|traffic-1|finance-bureau|c[a-z0-9]{20,})\b/;

const periodLabel = (period: string) => `${period.slice(0, 4)}年${Number(period.slice(5))}月`;

// Issue 8, points 7 and 8 (and 2's duplicate and import words): the tax officer's and the coordinator's screens.
describe.skipIf(shouldSkipBrowserTests())("H5 back-office screens", () => {
  let app: H5App;
  let officer: Phone;
  let dupId = "";

  beforeAll(async () => {
    app = await startH5App();
    officer = phone(await app.browser.context.newPage());
    // Two villages report the same lease: the second is flagged as a possible duplicate.
    const east = await makeUser(app.testDb.deps, { roles: ["reporter"], unit: "dongcun", name: "王芳" });
    const west = await makeUser(app.testDb.deps, { roles: ["reporter"], unit: "xicun", name: "赵敏" });
    await submitReport(app.testDb.deps, east.actor, { type: "rental", clientId: "east-0001", data: makeRentalData() });
    dupId = (await submitReport(app.testDb.deps, west.actor, { type: "rental", clientId: "west-0001", data: makeRentalData() })).report.id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it("gives a tax officer a home tile for the clearance import", async () => {
    await signIn(officer, app.baseUrl, await inviteFor(app.testDb.deps, "tax-bureau", ["tax_officer"], "李税"));
    await officer.el("#entry-clearance_import").waitFor();
    await officer.shot("home-tax-officer");
  });

  it("keeps the inbox filters in one row, the rest behind 更多筛选, units picked by name", async () => {
    await officer.tap("#entry-review");
    await officer.el("#inbox-list .ritem").first().waitFor({ timeout: 15_000 });
    const tops = await Promise.all(["#filter-type", "#filter-status", "#filter-period"].map(async (s) => (await officer.el(s).boundingBox())!.y));
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(8);
    await expect(officer.el("#filter-unit-pick").count()).resolves.toBe(0);
    await officer.shot("review-inbox");
    await officer.tap("#filter-more");
    await officer.tap("#filter-unit-pick");
    await officer.type("#filter-unit-search", "西村");
    await officer.tap("#filter-unit-options >> text=幸福镇西村村委会");
    await expect.poll(() => officer.el("#inbox-list .ritem").count()).toBe(1);
    const page = (await officer.el(".page").last().textContent()) ?? "";
    expect(page).not.toMatch(INTERNAL_CODE);
    await officer.shot("review-inbox-filtered");
  });

  it("shows a duplicate by the other report's unit and date, never its id (point 2)", async () => {
    await officer.tap("#inbox-list .ritem");
    await officer.el("#review-dup").waitFor({ timeout: 15_000 });
    const text = (await officer.el("#review-dup").textContent()) ?? "";
    expect(text).toContain("幸福镇东村村委会");
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain(dupId);
    await officer.shot("review-detail");
  });

  it("asks before accepting, and shows the review comment counter (point 8)", async () => {
    await expect(officer.el("#review-comment-count").textContent()).resolves.toBe("0/500");
    await officer.tap("#review-accept");
    await officer.el(".taro-modal__foot").waitFor();
    await officer.tap(".taro-modal__foot >> text=取消");
    await expect(app.testDb.deps.db.prisma.report.findUniqueOrThrow({ where: { id: dupId } })).resolves.toMatchObject({ status: "submitted" });
    await officer.tap("#review-accept");
    await officer.tap(".taro-modal__foot >> text=采纳");
    await expect.poll(() => officer.el("#review-status").textContent()).toBe("已采纳");
  });

  it("names the column in words when the import rejects a row", async () => {
    await officer.page.goto(`${app.baseUrl}/`);
    await officer.tap("#entry-clearance_import");
    await officer.el("#import-pick").waitFor();
    const chooser = officer.page.waitForEvent("filechooser");
    await officer.tap("#import-pick");
    const csv = [HEADER, "CT2026000002,vehicle_vessel,车船税,NOT A PLATE,,,410106195405020740,杜英,2026-01-01,2026-12-31,paid,360.00,2026-03-01"].join("\n");
    await (await chooser).setFiles({ name: "clearances.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await officer.tap("#import-submit");
    await officer.el("#import-rejected-lines").waitFor({ timeout: 20_000 });
    const lines = (await officer.el("#import-rejected-lines").textContent()) ?? "";
    expect(lines).toContain("车牌号");
    expect(lines).not.toContain("plate:");
    await officer.shot("clearance-import");
  });

  it("opens the coordinator's oversight on the current period with data, with a picker, not a text box", async () => {
    const coordinator = phone(await app.browser.context.newPage());
    await signIn(coordinator, app.baseUrl, await inviteFor(app.testDb.deps, "finance-bureau", ["coordinator"], "陈协调"));
    await coordinator.tap("#entry-oversight");
    await coordinator.el("#period-value").waitFor({ timeout: 15_000 });
    // Reports were filed this month (beforeAll): the current month has data.
    const period = periodOf(new Date());
    await expect(coordinator.el("#period-value").textContent()).resolves.toBe(periodLabel(period));
    await coordinator.el("#timeliness-list .ritem").first().waitFor();
    await expect(coordinator.el("#report-period input").count()).resolves.toBe(0);
    await coordinator.shot("oversight-reports");
    await coordinator.tap("#period-prev");
    await expect(coordinator.el("#period-value").textContent()).resolves.not.toBe(periodLabel(period));
    await coordinator.tap("#tab-checks");
    await expect(coordinator.el("#checks-user input").count()).resolves.toBe(0);
    await coordinator.shot("oversight-checks");
    await coordinator.page.close();
  });

  it("asks before signing out (point 8)", async () => {
    await officer.page.goto(`${app.baseUrl}/pages/profile/index`);
    await officer.tap("#logout");
    await officer.el(".taro-modal__foot").waitFor();
    await officer.tap(".taro-modal__foot >> text=取消");
    await expect(officer.page.evaluate("localStorage.getItem('xieshui.token')")).resolves.not.toBeNull();
  });

  it("shows the link-code expiry in China time on a phone set to New York", async () => {
    const ny = await launchBrowser({ timezoneId: "America/New_York" });
    try {
      const p = phone(await ny.context.newPage());
      await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "dongcun", ["reporter"], "王芳"));
      await p.page.goto(`${app.baseUrl}/pages/profile/index`);
      await p.tap("#link-telegram");
      await p.el("#link-code").waitFor();
      const row = await app.testDb.deps.db.prisma.linkCode.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
      const cst = formatCst(row.expiresAt).slice(11);
      await expect(p.el("#link-code").textContent()).resolves.toContain(cst);
    } finally {
      await ny.close();
    }
  });
});
