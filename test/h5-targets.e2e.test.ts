import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoTaxFigures } from "@xieshui/core/server";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

// Internal codes and literals that must never reach the screen.
const INTERNAL = /\b(property_tax|urban_land_use_tax|vehicle_vessel_tax|resource_tax|on_track|no_target|targetFen|null|undefined|NaN)\b/;

// Issue 13 point 7 in the mini-app: progress against the local tax targets, and an upload of actuals.
describe.skipIf(shouldSkipBrowserTests())("H5 tax targets", () => {
  let app: H5App;
  let p: Phone;

  beforeAll(async () => {
    app = await startH5App();
    await seedDemoTaxFigures(app.testDb.deps);
    p = phone(await app.browser.context.newPage());
    await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "finance-bureau", ["coordinator"], "陈协调"));
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  for (const locale of ["zh-CN", "en"] as const) {
    it(`shows a bar per town for each tax, behind in red, and takes an upload listing rejected lines (${locale})`, async () => {
      if ((await p.locale()) !== locale) {
        await p.setLocale(locale);
        await p.page.goto(`${app.baseUrl}/`);
      }
      await p.el("#home-greeting").waitFor({ timeout: 15_000 });
      await p.tap("#entry-oversight");
      await p.tap("#open-targets");
      await p.el("#bar-resource_tax-xingfu-town").waitFor({ timeout: 15_000 });
      await expect(p.el("#bar-resource_tax-xingfu-town .tbar__fill--behind").count()).resolves.toBe(1);
      if ((await p.el("#year-2026").count()) === 1) await p.tap("#year-2026");
      expect(await p.el("#bar-property_tax-xingfu-town").textContent()).toContain(locale === "zh-CN" ? "累计入库 1,050.00 / 年度目标 1,200.00 万元 · 87.5%" : "Collected to date 1,050.00 / Yearly target 1,200.00 ×10k yuan · 87.5%");
      const page = (await p.el(".page").last().textContent()) ?? "";
      expect(page).not.toMatch(INTERNAL);
      await p.shot("targets");

      const chooser = p.page.waitForEvent("filechooser");
      await p.tap("#import-pick");
      await (await chooser).setFiles({ name: "actuals.csv", mimeType: "text/csv", buffer: Buffer.from("月份,镇街,税种,入库税款(元)\n2026-11,xingfu-town,房产税,850000\n2026-11,东村,房产税,1\n2026-11,幸福镇,契税,1\n") });
      await p.el("#import-file").waitFor();
      await p.tap("#import-dry-run");
      await p.tap("#import-submit");
      await p.el("#import-rejected-lines").waitFor({ timeout: 15_000 });
      const lines = (await p.el("#import-rejected-lines").textContent()) ?? "";
      expect(lines).toContain(locale === "zh-CN" ? "第 3 行" : "Line 3");
      expect(lines).toContain(locale === "zh-CN" ? "第 4 行" : "Line 4");
      await p.shot("targets-upload");
    });
  }
});
