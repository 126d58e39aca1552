import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { cstYear } from "@xieshui/core";
import { createInvite, importClearances, systemActor } from "@xieshui/core/server";
import { SAMPLE_CLEARANCES_CSV } from "./factories/paths.ts";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { isInViewport, screen, startInLocale, type UiLocale } from "./support/screens.ts";

// Issue 8 point 4: a traffic-police CHECKER (no reporter role) checks a plate in the real H5 build,
// sees the result without scrolling, and reports the vehicle to the tax bureau in a few taps: the
// form opens with plate, missing years, the unit's address and a vehicle type guessed from the plate.
const WORDS: Record<UiLocale, { vehicleType: string; onTime: string; submitted: string }> = {
  "zh-CN": { vehicleType: "小型汽车", onTime: "按时", submitted: "待审核" },
  en: { vehicleType: "Small car", onTime: "On time", submitted: "Awaiting review" },
};
const CHECKPOINT = "幸福镇人民路 88 号交警一中队检查站";

describe.skipIf(shouldSkipBrowserTests()).each(["zh-CN", "en"] as const)("H5 check → vehicle report by a checker (%s)", (locale) => {
  let app: H5App;
  let page: Page;
  let invite: string;
  let taps = 0;

  beforeAll(async () => {
    app = await startH5App();
    await importClearances(app.testDb.deps, systemActor("test"), SAMPLE_CLEARANCES_CSV);
    invite = (await createInvite(app.testDb.deps, systemActor("test"), { unit: "traffic-1", roles: ["checker"], name: "李警官" })).code;
    await startInLocale(app.browser.context, locale);
    page = await app.browser.context.newPage();
  });
  afterAll(async () => {
    await app?.close();
  });

  const el = (id: string) => page.locator(`#${id}`).filter({ visible: true });
  const tap = async (id: string) => {
    await el(id).click();
    taps++;
  };
  const input = (name: string) => page.locator(`#f-${name} input`).filter({ visible: true });

  it("signs the checker in", async () => {
    await page.goto(`${app.baseUrl}/`);
    await el("go-login").click();
    await page.locator("#login-code input").filter({ visible: true }).fill(invite);
    await el("login-submit").click();
    await el("entry-check").waitFor({ timeout: 15_000 });
  });

  it("checks a plate, scrolls the result into view and folds the plate keyboard away", async () => {
    taps = 0;
    await tap("entry-check");
    await el("key-B").waitFor();
    for (const k of "BYTY80") await tap(`key-${k}`);
    await tap("check-submit");
    await el("check-result").waitFor({ timeout: 15_000 });
    await expect.poll(() => isInViewport(page, "#check-result")).toBe(true);
    await expect(page.locator(".plate-keys").filter({ visible: true }).count()).resolves.toBe(0);
    expect(taps).toBeLessThanOrEqual(8);
    await screen(page, "check-result-missing", locale);
  });

  it("offers the checker the report and opens the form filled in, without a false 'draft restored'", async () => {
    taps = 0;
    await tap("check-report");
    await input("plate").waitFor({ timeout: 15_000 });
    await expect(input("plate").inputValue()).resolves.toBe("豫BYTY80");
    await expect(input("vehicleType").inputValue()).resolves.toBe(WORDS[locale].vehicleType);
    await expect(input("place").inputValue()).resolves.toBe(CHECKPOINT);
    const year = cstYear(new Date());
    await expect(page.locator(`#f-missingYears-${year}`).filter({ visible: true }).getAttribute("class")).resolves.toContain("chip--on");
    await expect(page.locator("#draft-restored").count()).resolves.toBe(0);
    await screen(page, "vehicle-report-form", locale);
  });

  it("files the report in at most 4 taps from the result, tied to the failed check", async () => {
    await input("ownerName").click();
    taps++;
    await input("ownerName").fill("闫兰志");
    await tap("report-submit");
    const timeliness = el("result-timeliness");
    await timeliness.waitFor({ timeout: 15_000 });
    await expect(timeliness.textContent()).resolves.toBe(WORDS[locale].onTime);
    await expect(el("result-status").textContent()).resolves.toBe(WORDS[locale].submitted);
    expect(taps).toBeLessThanOrEqual(4);
    await screen(page, "vehicle-report-filed", locale);

    const rows = await app.testDb.deps.db.prisma.report.findMany({ where: { type: "vehicle_no_clearance" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sourceCheckId).not.toBeNull();
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ plate: "豫BYTY80", place: CHECKPOINT, ownerName: "闫兰志", missingYears: [cstYear(new Date())] });
  });

  it("goes from the filed report to a fresh check in one tap, and a new check clears the last one", async () => {
    await el("check-next-vehicle").click();
    await el("key-H").waitFor({ timeout: 15_000 });
    await expect(page.locator("#check-result").filter({ visible: true }).count()).resolves.toBe(0);
    await expect(el("plate-value").textContent()).resolves.toBe("·");
    for (const k of "HMC8R6") await el(`key-${k}`).click();
    await el("check-submit").click();
    await el("check-verdict").waitFor({ timeout: 15_000 });
    await expect(page.locator("#check-report").filter({ visible: true }).count()).resolves.toBe(0);
    await screen(page, "check-result-cleared", locale);
    // 核验下一辆 on the result: the last result goes, the keyboard comes back.
    await el("check-next").click();
    await expect(page.locator("#check-result").filter({ visible: true }).count()).resolves.toBe(0);
    await el("key-H").waitFor();
  });
});
