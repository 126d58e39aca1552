import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitReport } from "@xieshui/core/server";
import { makeUser } from "./factories/identity.ts";
import { makePerformanceData, makeRentalData } from "./factories/reports.ts";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

// A screenshot of every page issue 8 touched, in Chinese and in English, into test-results/screens/
// (git-ignored), so a reviewer can look at every page after a change. Each page must render without
// internals on screen: no field keys, enum literals or raw codes.
// (Codes that are also English words, like "performance", are left to the Chinese pass.)
const INTERNAL = {
  "zh-CN": /\b(rental|performance|vehicle_no_clearance|on_time|overdue|submitted|returned|tax_officer|traffic_police|undefined|null|NaN|dongcun|xicun|tax-bureau)\b|\{\s*\$/,
  en: /\b(vehicle_no_clearance|on_time|tax_officer|traffic_police|undefined|NaN|dongcun|xicun|tax-bureau)\b|\{\s*\$/,
} as const;

describe.skipIf(shouldSkipBrowserTests())("screenshots of every touched page in zh-CN and en", () => {
  let app: H5App;
  let p: Phone;
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    app = await startH5App();
    p = phone(await app.browser.context.newPage());
    const deps = app.testDb.deps;
    const east = await makeUser(deps, { roles: ["reporter"], unit: "dongcun", name: "王芳" });
    const west = await makeUser(deps, { roles: ["reporter"], unit: "xicun", name: "赵敏" });
    const venue = await makeUser(deps, { roles: ["reporter"], unit: "grand-theatre", name: "刘经理" });
    const starts = new Date(Date.now() + 10 * 86_400_000);
    const cst = new Date(starts.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    await submitReport(deps, east.actor, { type: "rental", clientId: "screen-east-1", data: makeRentalData() });
    await submitReport(deps, west.actor, { type: "rental", clientId: "screen-west-1", data: makeRentalData() });
    await submitReport(deps, venue.actor, { type: "performance", clientId: "screen-show-1", data: makePerformanceData({ startsAt: `${cst} 19:30`, endsAt: `${cst} 22:00` }) });
    codes.clerk = await inviteFor(deps, "dongcun", ["reporter"], "王芳");
    codes.venue = await inviteFor(deps, "grand-theatre", ["reporter"], "刘经理");
    codes.builder = await inviteFor(deps, "construction-bureau", ["reporter"], "孙工");
    codes.officer = await inviteFor(deps, "tax-bureau", ["tax_officer"], "李税");
    codes.coordinator = await inviteFor(deps, "finance-bureau", ["coordinator"], "陈协调");
    codes.admin = await inviteFor(deps, "finance-bureau", ["admin"], "周管理");
  });

  afterAll(async () => {
    await app?.close();
  });

  let current: keyof typeof INTERNAL = "zh-CN";
  async function page(name: string, url: string, ready: string): Promise<void> {
    await p.page.goto(`${app.baseUrl}${url}`);
    await p.el(ready).first().waitFor({ timeout: 15_000 });
    await p.shot(name);
    const text = (await p.el(".taro_page").last().textContent()) ?? "";
    expect(text, `${name}: ${text.match(INTERNAL[current])?.[0]}`).not.toMatch(INTERNAL[current]);
  }

  for (const locale of ["zh-CN", "en"] as const) {
    it(`writes every page in ${locale}`, async () => {
      // A fresh invite per pass: codes are single-use.
      const fresh = async (unit: string, roles: Parameters<typeof inviteFor>[2], name: string) => inviteFor(app.testDb.deps, unit, roles, name);
      await p.page.goto(`${app.baseUrl}/`);
      await p.page.evaluate("localStorage.clear()");
      await p.setLocale(locale);
      current = locale;
      await page("home-visitor", "/", ".page--home");
      await page("not-found", "/pages/nowhere/index", "#not-found");
      await page("guard-signed-out", "/pages/review/index", "#guard-login");
      await page("login", "/pages/login/index", "#login-code");

      await signIn(p, app.baseUrl, locale === "zh-CN" ? codes.clerk! : await fresh("dongcun", ["reporter"], "王芳"));
      await page("home-reporter", "/", "#entry-report");
      await page("report-menu", "/pages/report/index", "#type-rental");
      await page("report-form-rental", "/pages/report-form/index?type=rental", "#f-address");
      await page("report-mine-empty", "/pages/report-mine/index", "#empty-action");
      await page("guard-wrong-role", "/pages/admin/index", "#guard-role");

      await signIn(p, app.baseUrl, locale === "zh-CN" ? codes.venue! : await fresh("grand-theatre", ["reporter"], "刘经理"));
      await page("report-form-performance", "/pages/report-form/index?type=performance", "#f-title");

      await signIn(p, app.baseUrl, locale === "zh-CN" ? codes.builder! : await fresh("construction-bureau", ["reporter"], "孙工"));
      await page("report-feeds", "/pages/report-feeds/index", ".ritem");

      await signIn(p, app.baseUrl, locale === "zh-CN" ? codes.officer! : await fresh("tax-bureau", ["tax_officer"], "李税"));
      await page("home-tax-officer", "/", "#entry-review");
      await page("review-inbox", "/pages/review/index", "#inbox-list .ritem");
      await p.tap("#filter-more");
      await p.tap("#filter-type");
      await p.shot("review-inbox-filters");
      await p.tap("#inbox-list .ritem");
      await p.el("#review-report").waitFor();
      await p.shot("review-detail");
      await page("clearance-import", "/pages/clearance-import/index", "#import-pick");

      await signIn(p, app.baseUrl, locale === "zh-CN" ? codes.coordinator! : await fresh("finance-bureau", ["coordinator"], "陈协调"));
      await page("oversight-reports", "/pages/oversight/index", "#timeliness-list .ritem");
      await p.tap("#tab-checks");
      await p.el("#checks-user-pick").waitFor();
      await p.shot("oversight-checks");

      await signIn(p, app.baseUrl, locale === "zh-CN" ? codes.admin! : await fresh("finance-bureau", ["admin"], "周管理"));
      await page("home-admin", "/", "#entry-admin");
      await page("admin", "/pages/admin/index", "#invite-form");
      await p.tap("#units-toggle");
      await p.el("#units-list .uitem").first().waitFor();
      await p.shot("admin-units-open");
    });
  }
});
