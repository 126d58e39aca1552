import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import type { Deps } from "../deps.ts";
import {
  createInvite,
  createLinkCode,
  linkTelegram,
  listInvites,
  redeemInvite,
  redeemLinkCodeForSession,
  reissueInvite,
  revokeInvite,
  systemActor,
} from "./index.ts";

// Issue 7 point 6: half-done writes and reads outside transactions in identity.

const clock = createFixedClock("2026-11-26T02:00:00Z");
const operator = systemActor("test");
let t: TestDb;

beforeEach(() => {
  clock.set("2026-11-26T02:00:00Z");
  t = createTestDb({ clock });
});
afterEach(async () => {
  await t.close();
});

/**
 * Deps whose `prisma.invite.findUnique` (outside any transaction) holds its answer until
 * `release()`: lets a test run a whole redemption between an admin action's read and its write,
 * deterministically. Everything else is the real client on the real database.
 */
function pausedAfterInviteRead(deps: Deps): { deps: Deps; read: Promise<void>; release: () => void } {
  let release!: () => void;
  let signal!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const read = new Promise<void>((resolve) => (signal = resolve));
  const real = deps.db.prisma;
  const invite = new Proxy(real.invite, {
    get(target, prop, receiver) {
      if (prop !== "findUnique") return Reflect.get(target, prop, receiver);
      return async (args: Parameters<typeof real.invite.findUnique>[0]) => {
        const row = await target.findUnique(args);
        signal();
        await gate;
        return row;
      };
    },
  });
  const prisma = new Proxy(real, { get: (target, prop, receiver) => (prop === "invite" ? invite : Reflect.get(target, prop, receiver)) });
  return { deps: { ...deps, db: { ...deps.db, prisma } }, read, release };
}

describe("reissueInvite", () => {
  it("leaves the old invite active when the new one cannot be created (one transaction)", async () => {
    const unit = await makeUnit(t.deps);
    const { code, invite } = await createInvite(t.deps, operator, { unit, roles: ["reporter"] });
    const err = await expectAppError(reissueInvite(t.deps, operator, invite.id, 9999));
    expect(err.code).toBe("invalid_input");
    expect((await t.db.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).revokedAt).toBeNull();
    expect(await t.db.prisma.invite.count()).toBe(1);
    expect(await t.db.prisma.auditLog.count({ where: { action: "invite.revoke" } })).toBe(0);
    // The old code still works.
    expect((await redeemInvite(t.deps, { code }, { kind: "api" })).user.unit.code).toBe(unit);
  });

  it("revokes the old invite and creates the new one together, audited", async () => {
    const unit = await makeUnit(t.deps);
    const { code, invite } = await createInvite(t.deps, operator, { unit, roles: ["checker"], name: "李警官" });
    const fresh = await reissueInvite(t.deps, operator, invite.id, 3);
    expect(fresh.invite).toMatchObject({ roles: ["checker"], name: "李警官", status: "active" });
    expect((await expectAppError(redeemInvite(t.deps, { code }, { kind: "api" }))).reason).toBe("invite_revoked");
    expect(await t.db.prisma.invite.findUniqueOrThrow({ where: { id: fresh.invite.id } })).toMatchObject({ reissuedFromId: invite.id });
    expect((await t.db.prisma.auditLog.findMany({ where: { action: { in: ["invite.revoke", "invite.create"] } }, orderBy: { id: "asc" } })).map((a) => a.action)).toEqual([
      "invite.create",
      "invite.revoke",
      "invite.create",
    ]);
  });

  it("refuses to re-issue an invite that is redeemed while the re-issue runs", async () => {
    const unit = await makeUnit(t.deps);
    const { code, invite } = await createInvite(t.deps, operator, { unit, roles: ["reporter"] });
    const paused = pausedAfterInviteRead(t.deps);
    const reissuing = reissueInvite(paused.deps, operator, invite.id);
    await paused.read;
    await redeemInvite(t.deps, { code }, { kind: "api" });
    paused.release();
    expect((await expectAppError(reissuing)).reason).toBe("invite_used");
    // A used invite is never also revoked, and no second code for it exists.
    expect(await t.db.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).toMatchObject({ revokedAt: null });
    expect(await t.db.prisma.invite.count()).toBe(1);
  });
});

describe("revokeInvite", () => {
  it("refuses with 409 when a redemption used the invite between the admin's read and the revocation", async () => {
    const unit = await makeUnit(t.deps);
    const { code, invite } = await createInvite(t.deps, operator, { unit, roles: ["reporter"] });
    const paused = pausedAfterInviteRead(t.deps);
    const revoking = revokeInvite(paused.deps, operator, invite.id);
    await paused.read;
    await redeemInvite(t.deps, { code }, { kind: "api" });
    paused.release();
    const err = await expectAppError(revoking);
    expect(err).toMatchObject({ code: "conflict", reason: "invite_used" });
    expect((await t.db.prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).revokedAt).toBeNull();
    expect(await t.db.prisma.auditLog.count({ where: { action: "invite.revoke" } })).toBe(0);
  });
});

describe("listInvites", () => {
  it("finds an older active invite behind newer ones of another status", async () => {
    const unit = await makeUnit(t.deps);
    const old = await createInvite(t.deps, operator, { unit, roles: ["reporter"] });
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      const newer = await createInvite(t.deps, operator, { unit, roles: ["reporter"] });
      await revokeInvite(t.deps, operator, newer.invite.id);
    }
    const active = await listInvites(t.deps, operator, { status: "active", limit: 3 });
    expect(active.map((i) => i.id)).toEqual([old.invite.id]);
    expect(await listInvites(t.deps, operator, { status: "revoked", limit: 3 })).toHaveLength(3);
  });

  it("filters every status in the query, newest first, within the limit", async () => {
    const unit = await makeUnit(t.deps);
    const other = await makeUnit(t.deps);
    const made: Record<string, string[]> = { active: [], used: [], expired: [], revoked: [] };
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      made.active!.push((await createInvite(t.deps, operator, { unit, roles: ["reporter"] })).invite.id);
      clock.advance(60_000);
      const used = await createInvite(t.deps, operator, { unit, roles: ["reporter"] });
      await redeemInvite(t.deps, { code: used.code }, { kind: "api" });
      made.used!.push(used.invite.id);
      clock.advance(60_000);
      made.expired!.push((await createInvite(t.deps, operator, { unit, roles: ["reporter"], expiresInDays: 1 })).invite.id);
      clock.advance(60_000);
      const revoked = await createInvite(t.deps, operator, { unit, roles: ["reporter"] });
      await revokeInvite(t.deps, operator, revoked.invite.id);
      made.revoked!.push(revoked.invite.id);
      await createInvite(t.deps, operator, { unit: other, roles: ["reporter"], expiresInDays: 30 });
    }
    // The "expired" ones expire a day after they were made; the active ones last 14 days.
    clock.advance(2 * 86_400_000);
    for (const status of ["active", "used", "expired", "revoked"] as const) {
      const listed = await listInvites(t.deps, operator, { unit, status, limit: 2 });
      expect(listed.map((i) => i.id)).toEqual(made[status]!.slice(-2).reverse());
      expect(listed.every((i) => i.status === status)).toBe(true);
    }
    expect(await listInvites(t.deps, operator, { status: "active" })).toHaveLength(6);
  });
});

describe("link codes and inactive users", () => {
  it("signs nobody in for an account disabled after the code was made, and writes nothing", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["reporter"] });
    const { code } = await createLinkCode(t.deps, actor);
    await t.db.prisma.user.update({ where: { id: actor.userId }, data: { active: false } });
    const sessionsBefore = await t.db.prisma.session.count({ where: { userId: actor.userId } });
    const auditsBefore = await t.db.prisma.auditLog.count();
    const err = await expectAppError(redeemLinkCodeForSession(t.deps, code));
    expect(err).toMatchObject({ code: "forbidden", reason: "user_inactive" });
    expect(await t.db.prisma.session.count({ where: { userId: actor.userId } })).toBe(sessionsBefore);
    expect((await t.db.prisma.linkCode.findFirstOrThrow({ where: { userId: actor.userId } })).usedAt).toBeNull();
    expect(await t.db.prisma.auditLog.count()).toBe(auditsBefore);
  });

  it("binds no Telegram account to a disabled user", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["reporter"] });
    const { code } = await createLinkCode(t.deps, actor);
    await t.db.prisma.user.update({ where: { id: actor.userId }, data: { active: false } });
    const err = await expectAppError(linkTelegram(t.deps, code, { telegramId: "777001", chatId: "777001" }));
    expect(err).toMatchObject({ code: "forbidden", reason: "user_inactive" });
    expect(await t.db.prisma.identity.count({ where: { subject: "777001" } })).toBe(0);
    expect((await t.db.prisma.linkCode.findFirstOrThrow({ where: { userId: actor.userId } })).usedAt).toBeNull();
  });
});
