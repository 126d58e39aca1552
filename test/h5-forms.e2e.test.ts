import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, cstDate, formatCst, withIdCheckChar, withUsccCheckChar } from "@xieshui/core";
import { launchBrowser, shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

const LANDLORD_ID = withIdCheckChar("41010619800101001");
const USCC = withUsccCheckChar("91410100MA0000001");
// LANDLORD_ID with a wrong check character: a typo a clerk makes.
const BAD_ID = LANDLORD_ID.slice(0, 17) + (LANDLORD_ID.endsWith("0") ? "1" : "0");
// What no message for people may contain: enum literals, type names, comparison signs, regexes, camelCase keys.
// (English may say "ID number"; a Chinese message with any ASCII type name is internal.)
const INTERNALS = {
  "zh-CN": /"|residential|business|number|string|array|undefined|expected|期望|无效|<=|>=|\/\^|[a-z][A-Z][a-z]|NaN/,
  en: /"|residential|business|\bnumber\s*[<>=]|\bstring\b|\barray\b|undefined|expected|Invalid input|<=|>=|\/\^|[a-z][A-Z][a-z]|NaN/,
} as const;

const today = () => cstDate(new Date());

async function fillRental(p: Phone, over: Record<string, string> = {}): Promise<void> {
  const values: Record<string, string> = {
    address: "幸福镇东村5组，8号：南屋。",
    landlordName: "张三",
    landlordIdNo: LANDLORD_ID,
    tenantName: "李四",
    tenantIdNo: USCC,
    monthlyRent: "1200",
    area: "85.5",
    leaseStart: today(),
    leaseEnd: addDays(today(), 365),
    ...over,
  };
  for (const [name, value] of Object.entries(values)) await p.type(`#f-${name}`, value);
}

async function fillPerformance(p: Phone, startsAt: Date): Promise<void> {
  const starts = formatCst(startsAt);
  const ends = formatCst(new Date(startsAt.getTime() + 3 * 3600_000));
  const values: Record<string, string> = {
    title: "梁祝",
    troupe: "某某越剧团",
    organizer: "某某文化传播有限公司",
    organizerUscc: USCC,
    venue: "区人民大剧院",
    startsAt: starts,
    endsAt: ends,
    shows: "2",
    ticketPriceMin: "80",
    ticketPriceMax: "380",
    expectedAudience: "1200",
  };
  for (const [name, value] of Object.entries(values)) await p.type(`#f-${name}`, value);
}

async function scrollToBottom(p: Phone): Promise<void> {
  await p.el("#report-submit").scrollIntoViewIfNeeded();
}

// Issue 8, points 1, 2, 6, 8 and 9, as a village clerk and a venue manager live them on a phone.
describe.skipIf(shouldSkipBrowserTests())("H5 report forms as field staff use them", () => {
  let app: H5App;
  let clerk: Phone;
  let venue: Phone;

  beforeAll(async () => {
    app = await startH5App();
    clerk = phone(await app.browser.context.newPage());
    const venueBrowser = await launchBrowser();
    venue = phone(await venueBrowser.context.newPage());
    const close = app.close.bind(app);
    app.close = async () => {
      await venueBrowser.close();
      await close();
    };
  });

  afterAll(async () => {
    await app?.close();
  });

  it("scrolls to the first problem after a submit and says how many there are next to the button (point 1, 2)", async () => {
    await signIn(clerk, app.baseUrl, await inviteFor(app.testDb.deps, "dongcun", ["reporter"], "王芳"));
    await clerk.tap("#entry-report");
    await clerk.tap("#type-rental");
    await clerk.el("#f-address input").waitFor();
    await fillRental(clerk, { landlordIdNo: BAD_ID });
    await scrollToBottom(clerk);
    await clerk.tap("#report-submit");

    // The ID number (3rd field) is the first problem; the unchosen use (6th) the second.
    await expect.poll(() => clerk.inView("#f-landlordIdNo-field")).toBe(true);
    await expect(clerk.el("#f-use-error").textContent()).resolves.toBe("请选择用途");
    const idError = (await clerk.el("#f-landlordIdNo-error").textContent()) ?? "";
    expect(idError).toContain("校验码");
    expect(idError).not.toContain("或出生日期不存在");
    await expect(clerk.el("#report-submit-feedback").textContent()).resolves.toContain("2 处需要修改");
    await clerk.shot("report-form-errors");

    // The summary sits next to the button and takes the user back up to the first problem.
    await scrollToBottom(clerk);
    const button = await clerk.el("#report-submit").boundingBox();
    const summary = await clerk.el("#report-submit-feedback").boundingBox();
    expect(Math.abs(summary!.y - button!.y)).toBeLessThan(160);
    await clerk.tap("#report-submit-feedback");
    await expect.poll(() => clerk.inView("#f-landlordIdNo-field")).toBe(true);
  });

  it("never shows an enum literal, a type name or a field key in a message, in either language (point 2)", async () => {
    for (const locale of ["zh-CN", "en"] as const) {
      await clerk.setLocale(locale);
      await clerk.el("#f-address input").waitFor();
      const bad = { address: "", landlordIdNo: "123", tenantIdNo: "9141010OMA0000001Z", monthlyRent: "0", area: "1000000", leaseStart: "2026-02-30", leaseEnd: "abc" };
      for (const [name, value] of Object.entries(bad)) await clerk.type(`#f-${name}`, value);
      await scrollToBottom(clerk);
      await clerk.tap("#report-submit");
      await clerk.el(".field__error").first().waitFor();
      const messages = await clerk.el(".field__error").allTextContents();
      expect(messages.length).toBeGreaterThanOrEqual(7);
      for (const m of messages) expect(m, m).not.toMatch(INTERNALS[locale]);
      await clerk.shot("report-form-messages");
    }
    await clerk.setLocale("zh-CN");
  });

  it("keeps full-width punctuation as typed, shows counters and a clear selected chip (point 8)", async () => {
    await clerk.el("#f-address input").waitFor();
    await fillRental(clerk);
    await expect(clerk.el("#f-note-count").textContent()).resolves.toBe("0/500");
    await clerk.type("#f-note", "南屋朝阳。");
    await expect(clerk.el("#f-note-count").textContent()).resolves.toBe("5/500");
    await expect(clerk.el("#f-address-count").textContent()).resolves.toBe("14/200");

    const look = (e: unknown) => {
      const g = globalThis as unknown as { getComputedStyle(el: unknown): { backgroundColor: string } };
      return { bg: g.getComputedStyle(e).backgroundColor, text: (e as { textContent: string | null }).textContent ?? "" };
    };
    const before = await clerk.el("#f-use-residential").evaluate(look);
    await clerk.tap("#f-use-residential");
    const after = await clerk.el("#f-use-residential").evaluate(look);
    expect(after.bg).not.toBe(before.bg);
    expect(after.text).toContain("✓");
    expect(before.text).not.toContain("✓");
    await clerk.shot("report-form-rental");
  });

  it("announces a network failure next to the button and keeps the draft (point 1)", async () => {
    await scrollToBottom(clerk);
    await clerk.page.context().setOffline(true);
    await clerk.tap("#report-submit");
    await expect.poll(() => clerk.el("#report-submit-feedback").textContent()).toContain("网络");
    await clerk.page.context().setOffline(false);
    await expect(app.testDb.deps.db.prisma.report.count()).resolves.toBe(0);
  });

  it("files the report with the punctuation kept and explains 按时 on the result (points 8, 9)", async () => {
    await clerk.tap("#report-submit");
    await clerk.el("#result-timeliness").waitFor({ timeout: 15_000 });
    await expect(clerk.el("#result-timeliness").textContent()).resolves.toBe("按时");
    await expect(clerk.el("#result-timeliness-explain").textContent()).resolves.toMatch(/.{6,}/);
    const hint = (await clerk.el("#result-hint").textContent()) ?? "";
    expect(hint).toContain("已绑定 Telegram");
    expect(hint).not.toContain("机器人");
    await clerk.shot("report-result");
    const row = await app.testDb.deps.db.prisma.report.findFirstOrThrow();
    expect(JSON.parse(row.data)).toMatchObject({ address: "幸福镇东村5组，8号：南屋。", note: "南屋朝阳。" });
  });

  it("puts the duplicates question where the eye is (point 1)", async () => {
    await clerk.tap("#report-again");
    await clerk.el("#f-address input").waitFor();
    await fillRental(clerk);
    await clerk.tap("#f-use-residential");
    await scrollToBottom(clerk);
    await clerk.tap("#report-submit");
    await clerk.el("#dup-prompt").waitFor();
    await expect.poll(() => clerk.inView("#dup-prompt")).toBe(true);
    const text = (await clerk.el("#dup-prompt").textContent()) ?? "";
    expect(text).toContain("幸福镇东村村委会");
    expect(text).toContain(today());
    await clerk.shot("report-form-duplicate");
  });

  it("addresses the user about photos (point 9)", async () => {
    await expect(clerk.el("#photos-hint").textContent()).resolves.toContain("照片会自动压缩");
  });

  it("says at the top of the performance form when it is due, and the date once the show is known (point 6)", async () => {
    await signIn(venue, app.baseUrl, await inviteFor(app.testDb.deps, "grand-theatre", ["reporter"], "刘经理"));
    await venue.tap("#entry-report");
    await venue.tap("#type-performance");
    await venue.el("#f-title input").waitFor();
    const top = (await venue.el("#form-deadline").textContent()) ?? "";
    expect(top).toContain("提前 3 天");
    await expect(venue.el("#photos-label").textContent()).resolves.toBe("宣传海报或演出合同照片");
    const starts = new Date(Date.now() + 10 * 86_400_000);
    await fillPerformance(venue, starts);
    await expect.poll(() => venue.el("#form-deadline").textContent()).toContain(addDays(cstDate(starts), -3));
    await venue.shot("report-form-performance");
  });

  it("warns before submitting a late performance report, then files it as 迟报 (point 6)", async () => {
    await venue.page.reload();
    await venue.el("#f-title input").waitFor();
    await fillPerformance(venue, new Date(Date.now() + 2 * 86_400_000));
    await scrollToBottom(venue);
    await venue.tap("#report-submit");
    await venue.el("#late-warning").waitFor();
    await expect.poll(() => venue.inView("#late-warning")).toBe(true);
    await expect(venue.el("#late-warning").textContent()).resolves.toContain("迟报");
    await expect(app.testDb.deps.db.prisma.report.count({ where: { type: "performance" } })).resolves.toBe(0);
    await venue.shot("report-form-late-warning");
    await venue.tap("#late-continue");
    await venue.el("#result-timeliness").waitFor({ timeout: 15_000 });
    await expect(venue.el("#result-timeliness").textContent()).resolves.toBe("迟报");
  });

  it("refuses a show that has started at the field, without recording anything against the unit (point 6)", async () => {
    await venue.tap("#report-again");
    await venue.el("#f-title input").waitFor();
    await fillPerformance(venue, new Date(Date.now() - 86_400_000));
    await scrollToBottom(venue);
    await venue.tap("#report-submit");
    await expect.poll(() => venue.el("#f-startsAt-error").textContent()).toContain("已经开始");
    await expect.poll(() => venue.inView("#f-startsAt-field")).toBe(true);
    await expect(app.testDb.deps.db.prisma.refusedReport.count()).resolves.toBe(0);
    await expect(app.testDb.deps.db.prisma.report.count({ where: { type: "performance" } })).resolves.toBe(1);
  });

  it("keeps a time picked before the date (point 6)", async () => {
    await venue.page.reload();
    await venue.el("#f-title input").waitFor();
    await venue.type("#f-endsAt", "");
    await venue.tap("#f-endsAt-pick-time");
    await venue.tap(".weui-picker__action >> text=确定");
    await expect.poll(async () => venue.el("#f-endsAt input").inputValue()).toMatch(/\d{2}:\d{2}$/);
    const time = (await venue.el("#f-endsAt input").inputValue()).slice(-5);
    expect(time).not.toBe("00:00");
    await venue.tap("#f-endsAt-pick");
    await venue.tap(".weui-picker__action >> text=确定");
    await expect.poll(async () => venue.el("#f-endsAt input").inputValue()).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} ${time}$`));
  });

  it("shows a server rejection next to the field and the button when the phone's clock is wrong (point 1)", async () => {
    // The phone believes it is ten days earlier: the form accepts a show that, by the server's clock, began yesterday.
    const skewed = await launchBrowser();
    try {
      const p = phone(await skewed.context.newPage());
      await p.page.clock.setFixedTime(new Date(Date.now() - 10 * 86_400_000));
      await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "grand-theatre", ["reporter"], "钱经理"));
      await p.tap("#entry-report");
      await p.tap("#type-performance");
      await p.el("#f-title input").waitFor();
      await fillPerformance(p, new Date(Date.now() - 86_400_000));
      await scrollToBottom(p);
      await p.tap("#report-submit");
      await expect.poll(() => p.el("#f-startsAt-error").textContent(), { timeout: 15_000 }).toContain("已经开始");
      await expect.poll(() => p.inView("#f-startsAt-field")).toBe(true);
      await expect(p.el("#report-submit-feedback").textContent()).resolves.toContain("1 处需要修改");
    } finally {
      await skewed.close();
    }
  });
});
