import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeps } from "@xieshui/core/server";
import { createFixedClock } from "./factories/db.ts";
import { seedOversightDistrict } from "./factories/oversight.ts";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

// Internal codes and literals that must never reach the screen.
const INTERNAL = /\b(hongqi-town|dongzhuang|xizhuang|traffic-2|builder|onTime|missingFeeds|quizAverage|null|undefined|NaN)\b/;

// Issue 13, points 1 and 2 in the mini-app: the coordinator's unit figures and the quarterly pack.
describe.skipIf(shouldSkipBrowserTests())("H5 oversight figures and the quarterly pack", () => {
  let app: H5App;
  let p: Phone;

  beforeAll(async () => {
    app = await startH5App();
    // The activity is recorded at its own times (a fixed clock over the same database), the app runs on today's.
    const clock = createFixedClock("2026-08-01T00:00:00Z");
    await seedOversightDistrict(createDeps(app.testDb.db, { clock }), clock);
    p = phone(await app.browser.context.newPage());
    await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "finance-bureau", ["coordinator"], "陈协调"));
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  for (const locale of ["zh-CN", "en"] as const) {
    it(`shows every unit's figures with bars, a town summed with its villages (${locale})`, async () => {
      if ((await p.locale()) !== locale) await p.setLocale(locale);
      await p.el("#home-greeting").waitFor({ timeout: 15_000 });
      await p.tap("#entry-oversight");
      await p.tap("#tab-figures");
      await p.el("#figures-hongqi-town").waitFor({ timeout: 15_000 });
      const town = (await p.el("#figures-hongqi-town").textContent()) ?? "";
      expect(town).toContain(locale === "zh-CN" ? "红旗镇（合计）" : "红旗镇 (total)");
      await expect(p.el("#figures-hongqi-town .dutybar").count()).resolves.toBe(1);
      await p.tap("#members-hongqi-town");
      await p.el("#figures-dongzhuang").waitFor();
      const page = (await p.el(".page").last().textContent()) ?? "";
      expect(page).not.toMatch(INTERNAL);
      await p.shot("oversight-figures");
    });

    it(`shows the quarterly pack with who improved and who fell behind, and downloads its files (${locale})`, async () => {
      await p.tap("#tab-pack");
      await p.el("#pack-summary").waitFor({ timeout: 15_000 });
      await p.el("#improved-builder").waitFor();
      await expect(p.el("#behind-dongzhuang").count()).resolves.toBe(1);
      const page = (await p.el(".page").last().textContent()) ?? "";
      expect(page).not.toMatch(INTERNAL);
      await p.shot("oversight-pack");
      const download = p.page.waitForEvent("download");
      await p.tap("#pack-download-html");
      const file = await download;
      expect(file.suggestedFilename()).toBe("oversight-pack-2026Q4.html");
      expect(readFileSync((await file.path())!, "utf8")).toContain("红旗镇东庄村委会");
      await p.el("#pack-download-message").waitFor();
    });

    it(`ranks the year, shows the evidence behind a unit's points and takes an adjustment only with a reason (${locale})`, async () => {
      await p.tap("#tab-evaluation");
      await p.el("#evaluation-dongzhuang").waitFor({ timeout: 15_000 });
      await p.tap("#evaluation-open-dongzhuang");
      await p.el("#evidence-dongzhuang .evidence__item--cost").first().waitFor({ timeout: 15_000 });
      const evidence = (await p.el("#evidence-dongzhuang").textContent()) ?? "";
      expect(evidence).toContain(locale === "zh-CN" ? "被退回" : "Returned");
      await p.type("#adjust-points-dongzhuang", "3");
      await p.tap("#adjust-submit-dongzhuang");
      await p.el("#adjust-reason-dongzhuang-error").waitFor();
      expect(await p.el("#adjust-reason-dongzhuang-error").textContent()).toContain(locale === "zh-CN" ? "调整原因" : "reason");
      const page = (await p.el(".page").last().textContent()) ?? "";
      expect(page).not.toMatch(INTERNAL);
      await p.shot("oversight-evaluation");
      if (locale === "zh-CN") {
        await p.el("#adjust-reason-dongzhuang textarea").fill("协助查处一起偷税案件");
        await p.tap("#adjust-submit-dongzhuang");
        await expect.poll(async () => (await p.el("#evaluation-dongzhuang").textContent()) ?? "", { timeout: 15_000 }).toContain("调整 +3");
      }
      await p.page.goto(`${app.baseUrl}/`);
    });
  }
});
