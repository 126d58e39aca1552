import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shouldSkipBrowserTests } from "./support/browser.ts";
import { startH5App, type H5App } from "./support/h5-app.ts";
import { inviteFor, phone, signIn, type Phone } from "./support/phone.ts";

// Issue 8, points 3 and 9: no dead ends, and words a person understands, for every role of the demo district.
describe.skipIf(shouldSkipBrowserTests())("H5 navigation without dead ends", () => {
  let app: H5App;
  let p: Phone;

  beforeAll(async () => {
    app = await startH5App();
    p = phone(await app.browser.context.newPage());
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Every tile of the home page leads to a working page, never to a placeholder. */
  async function everyTileWorks(): Promise<string[]> {
    const ids = await p.el(".tile").evaluateAll((tiles) => tiles.map((t) => t.id));
    for (const id of ids) {
      await p.tap(`#${id}`);
      await p.el("#nav-back").waitFor();
      await p.page.waitForTimeout(300);
      await expect(p.page.getByText("即将上线").filter({ visible: true }).count()).resolves.toBe(0);
      await expect(p.page.getByText("无权进行此操作").filter({ visible: true }).count()).resolves.toBe(0);
      await p.tap("#nav-back");
      await p.el(".page--home").waitFor();
    }
    return ids;
  }

  it("shows a visitor only tiles whose pages exist", async () => {
    await p.page.goto(`${app.baseUrl}/`);
    await p.el(".page--home").waitFor();
    await p.shot("home-visitor");
    await everyTileWorks();
  });

  it("shows an unknown address as a page with a way home", async () => {
    await p.page.goto(`${app.baseUrl}/pages/no-such-page/index`);
    await p.el("#not-found").waitFor({ timeout: 15_000 });
    await p.shot("not-found");
    await p.tap("#not-found-home");
    await p.el(".page--home").waitFor();
  });

  it("offers the login on a protected page when signed out, not a refusal", async () => {
    await p.page.goto(`${app.baseUrl}/pages/review/index`);
    await p.el("#guard-login").waitFor({ timeout: 15_000 });
    await expect(p.page.getByText("无权进行此操作").filter({ visible: true }).count()).resolves.toBe(0);
    await p.shot("guard-signed-out");
    await p.tap("#guard-login");
    await p.el("#login-code input").waitFor();
  });

  it("describes a village clerk's report tile by what the village files, greets once, and offers the first report", async () => {
    await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "dongcun", ["reporter"], "王芳"));
    const desc = (await p.el("#entry-report .tile__desc").textContent()) ?? "";
    expect(desc).toContain("承租房屋登记");
    expect(desc).not.toContain("外来演出");
    expect(desc).not.toContain("车辆");
    await p.shot("home-reporter");
    await everyTileWorks();

    await p.page.goto(`${app.baseUrl}/pages/report-mine/index`);
    await p.el("#empty-action").waitFor({ timeout: 15_000 });
    await p.shot("report-mine-empty");
    await p.tap("#empty-action");
    await p.el("#type-rental").waitFor();
    await p.shot("report-menu");
  });

  it("greets a checker whose name came from the unit with the unit once", async () => {
    await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "traffic-1", ["checker"]));
    const greeting = (await p.el("#home-greeting").textContent()) ?? "";
    expect(greeting.split("区公安局交警大队一中队").length - 1).toBe(1);
    const desc = (await p.el("#entry-check .tile__desc").textContent()) ?? "";
    expect(desc).toContain("车船税");
    expect(desc).not.toContain("不动产");
    await p.shot("home-checker");
    await everyTileWorks();
  });

  it("lets an admin manage units: add a village, rename it, move it to another town, deactivate it", async () => {
    await signIn(p, app.baseUrl, await inviteFor(app.testDb.deps, "finance-bureau", ["admin"], "周管理"));
    await p.tap("#entry-admin");
    await p.tap("#units-toggle");
    await p.el("#unit-form").waitFor();
    // A second town to move the village to.
    await p.type("#unit-name", "安乐镇");
    await p.tap("#unit-type-town");
    await p.tap("#unit-submit");
    await p.el("#units-list >> text=安乐镇").waitFor();

    await p.type("#unit-name", "幸福镇南村村委会");
    await p.tap("#unit-type-village");
    await p.tap("#unit-parent-pick");
    await p.type("#unit-parent-search", "幸福");
    await p.tap("#unit-parent-options >> text=幸福镇");
    await p.tap("#unit-submit");
    await p.el("#units-list >> text=幸福镇南村村委会").waitFor();
    const created = await app.testDb.deps.db.prisma.unit.findFirstOrThrow({ where: { name: "幸福镇南村村委会" }, include: { parent: true } });
    expect(created.parent?.name).toBe("幸福镇");

    await p.tap(`#unit-edit-${created.code}`);
    await p.type("#unit-rename", "安乐镇南村村委会");
    await p.tap("#unit-move-pick");
    await p.type("#unit-move-search", "安乐");
    await p.tap("#unit-move-options >> text=安乐镇");
    await p.tap("#unit-save");
    await p.el("#units-list >> text=安乐镇南村村委会").waitFor();
    await p.shot("admin-units");
    const moved = await app.testDb.deps.db.prisma.unit.findUniqueOrThrow({ where: { code: created.code }, include: { parent: true } });
    expect(moved).toMatchObject({ name: "安乐镇南村村委会", parent: { name: "安乐镇" } });

    await p.tap(`#unit-edit-${created.code}`);
    await p.tap("#unit-deactivate");
    await p.tap(".taro-modal__foot >> text=停用");
    await expect.poll(async () => (await app.testDb.deps.db.prisma.unit.findUniqueOrThrow({ where: { code: created.code } })).active).toBe(false);
    const audit = await app.testDb.deps.db.prisma.auditLog.findMany({ where: { action: { startsWith: "unit." } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["unit.create", "unit.create", "unit.deactivate", "unit.update"]);
  });

  it("refuses an invite that lasts longer than allowed in words (point 2)", async () => {
    await p.el("#invite-form").scrollIntoViewIfNeeded();
    await p.type("#invite-days", "100");
    await p.tap("#invite-submit");
    await expect(p.el("#invite-days-error").textContent()).resolves.toBe("最多 90 天");
    await p.shot("admin-invites");
  });
});
