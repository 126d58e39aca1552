import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { createInvite, createUnit, deactivateUnit, listUnits, searchPeople, systemActor, updateUnit, type Actor } from "./index.ts";

const clock = createFixedClock("2026-12-01T02:00:00Z");
let t: TestDb;
let admin: Actor;

beforeEach(async () => {
  t = createTestDb({ clock });
  await makeUnit(t.deps, { code: "xingfu-town", name: "幸福镇", type: "town" });
  await makeUnit(t.deps, { code: "anle-town", name: "安乐镇", type: "town" });
  await makeUnit(t.deps, { code: "finance-bureau", name: "区财政局", type: "finance_bureau" });
  admin = (await makeUser(t.deps, { roles: ["admin"], unit: "finance-bureau", name: "周管理" })).actor;
});
afterEach(async () => {
  await t.close();
});

const audit = async (action: string) => t.db.prisma.auditLog.findMany({ where: { action } });

describe("unit management", () => {
  it("adds a village under a town with a stable code, audited", async () => {
    const unit = await createUnit(t.deps, admin, { name: " 幸福镇南村村委会 ", type: "village", parent: "xingfu-town" });
    expect(unit).toMatchObject({ name: "幸福镇南村村委会", type: "village", parent: "xingfu-town", active: true });
    expect(unit.code).toMatch(/^village-[a-z2-9]{6}$/);
    const [row] = await audit("unit.create");
    expect(row).toMatchObject({ userId: admin.userId, subject: `unit:${unit.code}`, result: "ok" });
    expect((await listUnits(t.deps)).map((u) => u.name)).toContain("幸福镇南村村委会");
  });

  it("refuses a committee without a town, a town under a town, a parent that is no town, and a taken name", async () => {
    const noTown = await expectAppError(createUnit(t.deps, admin, { name: "南村村委会", type: "village" }));
    expect(noTown.fields).toEqual({ parent: "村委会和居委会要选所属的镇或街道" });
    const townUnderTown = await expectAppError(createUnit(t.deps, admin, { name: "新镇", type: "town", parent: "xingfu-town" }));
    expect(townUnderTown.fields?.parent).toBe("只有村委会和居委会归属到镇或街道");
    const notTown = await expectAppError(createUnit(t.deps, admin, { name: "北村村委会", type: "village", parent: "finance-bureau" }, { locale: "en" }));
    expect(notTown.fields?.parent).toBe("A committee can only belong to a town or subdistrict");
    const taken = await expectAppError(createUnit(t.deps, admin, { name: "幸福镇", type: "town" }));
    expect(taken.code).toBe("conflict");
    const bad = await expectAppError(createUnit(t.deps, admin, { name: "", type: "castle", extra: 1 }));
    expect(bad.fields).toMatchObject({ name: "请填写单位名称", type: "请从 镇/街道 / 村委会 / 居委会 / 交警队 / 演出场所 / 文化局 / 国土局 / 房管局 / 建设局 / 税务局 / 财政局 / 财监办 / 市场监管局 / 供电公司 / 委托代征单位 / 其他单位 中选择", extra: "不认识的字段" });
    expect(await t.db.prisma.unit.count()).toBe(3);
  });

  it("renames a unit and moves a village to another town, recording what changed", async () => {
    const { code } = await createUnit(t.deps, admin, { name: "南村村委会", type: "village", parent: "xingfu-town" });
    const moved = await updateUnit(t.deps, admin, code, { name: "安乐镇南村村委会", parent: "anle-town" });
    expect(moved).toMatchObject({ name: "安乐镇南村村委会", parent: "anle-town" });
    const [row] = await audit("unit.update");
    expect(JSON.parse(row!.detail!)).toEqual({ name: { from: "南村村委会", to: "安乐镇南村村委会" }, parent: { from: "xingfu-town", to: "anle-town" } });
    const town = await expectAppError(updateUnit(t.deps, admin, "finance-bureau", { parent: "anle-town" }));
    expect(town.reason).toBe("parent_not_allowed");
    expect((await expectAppError(updateUnit(t.deps, admin, code, {}))).reason).toBe("nothing_to_change");
    expect((await expectAppError(updateUnit(t.deps, admin, "no-such-unit", { name: "x" }))).code).toBe("not_found");
  });

  it("deactivates a unit: no new invites, no longer listed, unused invites revoked, a town with villages refused", async () => {
    const { code } = await createUnit(t.deps, admin, { name: "南村村委会", type: "village", parent: "xingfu-town" });
    const invite = await createInvite(t.deps, admin, { unit: code, roles: ["reporter"] });
    expect((await expectAppError(deactivateUnit(t.deps, admin, "xingfu-town"))).reason).toBe("unit_has_children");
    await deactivateUnit(t.deps, admin, code);
    await deactivateUnit(t.deps, admin, code); // twice is a no-op
    expect(await audit("unit.deactivate")).toHaveLength(1);
    expect((await t.db.prisma.invite.findUniqueOrThrow({ where: { id: invite.invite.id } })).revokedAt).not.toBeNull();
    expect((await listUnits(t.deps)).map((u) => u.code)).not.toContain(code);
    expect((await listUnits(t.deps, { includeInactive: true })).find((u) => u.code === code)?.active).toBe(false);
    expect((await expectAppError(createInvite(t.deps, admin, { unit: code, roles: ["reporter"] }))).reason).toBe("unit_inactive");
    // Now the town has no active committee and can go.
    await deactivateUnit(t.deps, admin, "xingfu-town");
  });

  it("is for admins only (and the local operator)", async () => {
    const officer = (await makeUser(t.deps, { roles: ["tax_officer", "coordinator"] })).actor;
    expect((await expectAppError(createUnit(t.deps, officer, { name: "x镇", type: "town" }))).code).toBe("forbidden");
    expect((await expectAppError(updateUnit(t.deps, officer, "anle-town", { name: "y镇" }))).code).toBe("forbidden");
    expect((await expectAppError(deactivateUnit(t.deps, null, "anle-town"))).code).toBe("unauthorized");
    await expect(createUnit(t.deps, systemActor("cli"), { name: "和平镇", type: "town", code: "heping-town" })).resolves.toMatchObject({ code: "heping-town" });
  });
});

describe("people search for filters", () => {
  it("finds people by name or unit name for the back office, never for reporters", async () => {
    await makeUser(t.deps, { roles: ["reporter"], unit: await makeUnit(t.deps, { name: "幸福镇东村村委会" }), name: "王芳" });
    const officer = (await makeUser(t.deps, { roles: ["tax_officer"], name: "李税" })).actor;
    expect((await searchPeople(t.deps, officer, { q: "王" })).map((p) => p.name)).toEqual(["王芳"]);
    expect((await searchPeople(t.deps, officer, { q: "东村" }))[0]).toMatchObject({ name: "王芳", unit: { name: "幸福镇东村村委会" } });
    const reporter = (await makeUser(t.deps, { roles: ["reporter"] })).actor;
    expect((await expectAppError(searchPeople(t.deps, reporter, { q: "王" }))).code).toBe("forbidden");
  });
});
