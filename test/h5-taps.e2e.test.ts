import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, cstDate, withIdCheckChar, withUsccCheckChar } from "@xieshui/core";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, SCREENS_DIR, signIn, type Phone } from "./support/phone.ts";

const TAPS_FILE = join(dirname(SCREENS_DIR), "taps.json");

// The main jobs of issue 8 done the shortest way a person can, counting taps (a control tapped, or a
// field tapped to type into it). The counts go to test-results/taps.json for the closing note.
describe.skipIf(shouldSkipBrowserTests())("taps for the main jobs", () => {
  let app: H5App;
  const taps: Record<string, number> = {};

  beforeAll(async () => {
    app = await startH5App();
  });

  afterAll(async () => {
    mkdirSync(dirname(TAPS_FILE), { recursive: true });
    writeFileSync(TAPS_FILE, JSON.stringify(taps, null, 2) + "\n");
    await app?.close();
  });

  async function fresh(code: string): Promise<Phone> {
    const p = phone(await app.browser.context.newPage());
    await signIn(p, app.baseUrl, code);
    p.taps = 0;
    return p;
  }

  it("logs in with an invite code", async () => {
    const p = phone(await app.browser.context.newPage());
    await p.page.goto(`${app.baseUrl}/`);
    await p.page.evaluate("localStorage.clear()");
    await p.page.goto(`${app.baseUrl}/`);
    await p.tap("#go-login");
    await p.type("#login-code", await inviteFor(app.testDb.deps, "dongcun", ["reporter"], "王芳"));
    await p.tap("#login-submit");
    await p.el("#home-greeting").waitFor({ timeout: 15_000 });
    taps.login = p.taps;
    expect(p.taps).toBeLessThanOrEqual(3);
    await p.page.close();
  });

  it("files a rental report", async () => {
    const p = await fresh(await inviteFor(app.testDb.deps, "dongcun", ["reporter"], "王芳"));
    await p.tap("#entry-report");
    await p.tap("#type-rental");
    const today = cstDate(new Date());
    const values: Record<string, string> = {
      address: "幸福镇东村7组1号",
      landlordName: "张三",
      landlordIdNo: withIdCheckChar("41010619800101001"),
      tenantName: "李四",
      tenantIdNo: withUsccCheckChar("91410100MA0000001"),
      monthlyRent: "1200",
      area: "80",
      leaseStart: today,
      leaseEnd: addDays(today, 365),
    };
    for (const [k, v] of Object.entries(values)) await p.type(`#f-${k}`, v);
    await p.tap("#f-use-residential");
    await p.tap("#report-submit");
    await p.el("#result-timeliness").waitFor({ timeout: 15_000 });
    taps.rental = p.taps;
    expect(p.taps).toBeLessThanOrEqual(14);
    await p.page.close();
  });

  it("checks a plate, then reports the vehicle from the failed check", async () => {
    const p = await fresh(await inviteFor(app.testDb.deps, "traffic-1", ["checker", "reporter"], "孙警官"));
    await p.tap("#entry-check");
    for (const k of ["A", "7", "K", "3", "M", "9"]) await p.tap(`#key-${k}`);
    await p.tap("#check-submit");
    await p.el("#check-result").waitFor({ timeout: 15_000 });
    taps.check = p.taps;
    expect(p.taps).toBeLessThanOrEqual(9);

    p.taps = 0;
    await p.tap("#check-report");
    await p.el("#f-vehicleType input").waitFor();
    for (const [name, value] of Object.entries({ vehicleType: "小型汽车", ownerName: "杜英", place: "车管所检测站" })) {
      const current = await p.el(`#f-${name} input`).inputValue();
      if (!current) await p.type(`#f-${name}`, value);
    }
    await p.tap("#report-submit");
    await p.el("#result-timeliness").waitFor({ timeout: 15_000 });
    taps.vehicleReport = p.taps;
    expect(p.taps).toBeLessThanOrEqual(5);
    await p.page.close();
  });

  it("reviews a report", async () => {
    const p = await fresh(await inviteFor(app.testDb.deps, "tax-bureau", ["tax_officer"], "李税"));
    await p.tap("#entry-review");
    await p.el("#inbox-list .ritem").first().waitFor({ timeout: 15_000 });
    await p.tap("#inbox-list .ritem");
    await p.el("#review-accept").waitFor();
    await p.tap("#review-accept");
    await p.page.waitForTimeout(400);
    if (await p.el(".taro-modal__foot").count()) await p.tap(".taro-modal__foot >> text=采纳");
    await expect.poll(() => p.el("#review-status").textContent()).toBe("已采纳");
    taps.review = p.taps;
    expect(p.taps).toBeLessThanOrEqual(4);
    await p.page.close();
  });
});
