import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeps, escalateOverdueDuties } from "@xieshui/core/server";
import { createFixedClock } from "./factories/db.ts";
import { seedOversightDistrict } from "./factories/oversight.ts";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

// Internal codes and literals that must never reach the screen.
const INTERNAL = /\b(builder|feed_\w+|dutyKind|null|undefined|NaN)\b/;

// Issue 13, point 5 in the mini-app: the coordinator's accountability list (责任追究) and its workbook.
describe.skipIf(shouldSkipBrowserTests())("H5 accountability list", () => {
  let app: H5App;
  let p: Phone;

  beforeAll(async () => {
    app = await startH5App();
    // The district's activity at its own times; the escalation's first step on today's date (the app's clock).
    const clock = createFixedClock("2026-08-01T00:00:00Z");
    await seedOversightDistrict(createDeps(app.testDb.db, { clock }), clock);
    await escalateOverdueDuties(app.testDb.deps);
    p = phone(await app.browser.context.newPage());
    await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "finance-bureau", ["coordinator"], "陈协调"));
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  for (const locale of ["zh-CN", "en"] as const) {
    it(`lists the quarter's overdue duties from the oversight page and downloads the workbook (${locale})`, async () => {
      if ((await p.locale()) !== locale) await p.setLocale(locale);
      await p.el("#home-greeting").waitFor({ timeout: 15_000 });
      await p.tap("#entry-oversight");
      await p.tap("#open-accountability");
      await p.el("#accountability-summary").waitFor({ timeout: 15_000 });
      await p.el("#duty-0").waitFor();
      const list = (await p.el("#accountability-list").textContent()) ?? "";
      expect(list).toContain("区住建局");
      expect(list).toContain(locale === "zh-CN" ? "2026-07 期" : ", 2026-07");
      const page = (await p.el(".page").last().textContent()) ?? "";
      expect(page).not.toMatch(INTERNAL);
      expect(page).toContain(locale === "zh-CN" ? "提醒经办人员（1 人）" : "staff reminded (1)");
      await p.shot("accountability");
      const download = p.page.waitForEvent("download");
      await p.tap("#accountability-download");
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^责任追究名单-\d{4}Q[1-4]\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync((await file.path())!) as never);
      expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe("单位");
      expect(wb.worksheets[0]!.getColumn(1).values).toContain("区住建局");
      await p.el("#accountability-download-message").waitFor();
      await p.page.goto(`${app.baseUrl}/`);
    });
  }
});
