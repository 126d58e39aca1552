import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

// Internal codes and literals that must never reach the screen.
const INTERNAL = /\b(entrusted-rental|entrusted_collector|followUp|inspectedOn|null|undefined|NaN)\b/;

// Issue 13, point 6 in the real H5 build: a tax officer opens 委托代征 from the home page, sees the
// demo collector with its overdue follow-up, and the inspection form refuses what the schema refuses.
describe.skipIf(shouldSkipBrowserTests())("H5 entrusted collection", () => {
  let app: H5App;
  let p: Phone;

  beforeAll(async () => {
    app = await startH5App();
    p = phone(await app.browser.context.newPage());
    await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "tax-bureau", ["tax_officer"], "李税官"));
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  for (const locale of ["zh-CN", "en"] as const) {
    it(`lists the demo collector with its agents and overdue follow-up, and checks the inspection form (${locale})`, async () => {
      if ((await p.locale()) !== locale) await p.setLocale(locale);
      await p.el("#home-greeting").waitFor({ timeout: 15_000 });
      await p.el("#entry-entrusted").waitFor();
      await p.shot("entrusted-home");
      await p.tap("#entry-entrusted");
      await p.el("#collector-entrusted-rental").waitFor({ timeout: 15_000 });
      const card = (await p.el("#collector-entrusted-rental").textContent()) ?? "";
      expect(card).toContain("区房屋租赁服务中心（委托代征）");
      expect(card).toContain("张建国");
      expect(card).toContain(locale === "zh-CN" ? "已逾期" : "Overdue");
      expect(card).toContain(locale === "zh-CN" ? "代征范围：" : "Scope: ");
      expect(card).not.toMatch(INTERNAL);
      await p.shot("entrusted-list");
      await p.tap("#inspect-entrusted-rental");
      await p.type("#f-followUp", locale === "zh-CN" ? "补交代征凭证" : "Hand in the receipts");
      await p.tap("#inspect-submit");
      await p.el("#f-findings-field .field__error").waitFor({ timeout: 10_000 });
      expect(await p.el("#f-followUpBy-field").textContent()).toContain(locale === "zh-CN" ? "请填写整改期限" : "due date");
      expect((await p.el(".page").last().textContent()) ?? "").not.toMatch(INTERNAL);
      await p.shot("entrusted-inspect");
      await p.tap("#inspect-cancel");
      await p.page.goBack();
    });
  }
});
