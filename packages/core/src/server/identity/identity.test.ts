import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUnit } from "../../../../../test/factories/identity.ts";
import {
  authenticate,
  createInvite,
  createLinkCode,
  linkTelegram,
  listInvites,
  redeemInvite,
  redeemLinkCodeForSession,
  reissueInvite,
  revokeInvite,
  revokeSession,
  actorByTelegram,
  systemActor,
} from "./index.ts";
import { sha256Hex } from "../crypto.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";

const clock = createFixedClock("2026-11-26T02:00:00Z");
let t: TestDb;

beforeEach(() => {
  clock.set("2026-11-26T02:00:00Z");
  t = createTestDb({ clock });
});
afterEach(async () => {
  await t.close();
});

const reasonOf = async (promise: Promise<unknown>): Promise<string | undefined> => (await expectAppError(promise)).reason;

describe("invites", () => {
  it("stores only the hash of an invite code and redeems it once", async () => {
    const unit = await makeUnit(t.deps, { type: "village" });
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter", "checker"] });
    const row = await t.db.prisma.invite.findFirstOrThrow();
    expect(row.codeHash).toBe(sha256Hex(code));
    expect(JSON.stringify(row)).not.toContain(code);

    const { user, token } = await redeemInvite(t.deps, { code }, { kind: "miniapp" });
    expect(user.unit.code).toBe(unit);
    expect(user.roles).toEqual(["checker", "reporter"]);
    expect((await authenticate(t.deps, token))?.userId).toBe(user.id);
    expect(await reasonOf(redeemInvite(t.deps, { code }, { kind: "miniapp" }))).toBe("invite_used");
  });

  it("tells unknown, expired and revoked codes apart", async () => {
    const unit = await makeUnit(t.deps);
    expect(await reasonOf(redeemInvite(t.deps, { code: "ABCDEFGHJK" }, { kind: "miniapp" }))).toBe("invite_unknown");
    const expiring = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"], expiresInDays: 1 });
    clock.advance(86_400_000 + 1);
    expect(await reasonOf(redeemInvite(t.deps, { code: expiring.code }, { kind: "miniapp" }))).toBe("invite_expired");
    const revoked = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    await revokeInvite(t.deps, systemActor("test"), revoked.invite.id);
    expect(await reasonOf(redeemInvite(t.deps, { code: revoked.code }, { kind: "miniapp" }))).toBe("invite_revoked");
    const statuses = (await listInvites(t.deps, systemActor("test"))).map((i) => i.status).sort();
    expect(statuses).toEqual(["expired", "revoked"]);
  });

  it("lets only one of two concurrent redemptions win", async () => {
    const unit = await makeUnit(t.deps);
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const results = await Promise.allSettled([
      redeemInvite(t.deps, { code }, { kind: "miniapp" }),
      redeemInvite(t.deps, { code }, { kind: "miniapp" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.prisma.user.count()).toBe(1);
  });

  it("re-issues an invite: the old code stops working, the new one works", async () => {
    const unit = await makeUnit(t.deps);
    const first = await createInvite(t.deps, systemActor("test"), { unit, roles: ["checker"] });
    const second = await reissueInvite(t.deps, systemActor("test"), first.invite.id);
    expect(await reasonOf(redeemInvite(t.deps, { code: first.code }, { kind: "miniapp" }))).toBe("invite_revoked");
    const { user } = await redeemInvite(t.deps, { code: second.code }, { kind: "miniapp" });
    expect(user.roles).toEqual(["checker"]);
  });

  it("refuses invite management to non-admins", async () => {
    const unit = await makeUnit(t.deps);
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const { token } = await redeemInvite(t.deps, { code }, { kind: "miniapp" });
    const actor = (await authenticate(t.deps, token))!;
    expect(await reasonOf(createInvite(t.deps, actor, { unit, roles: ["admin"] }))).toBe("role_required");
  });

  it("never treats a missing actor as the trusted operator", async () => {
    const unit = await makeUnit(t.deps);
    // A front end that lost its actor (null, undefined) must get 401, not the CLI's authority.
    for (const nobody of [null, undefined]) {
      expect((await expectAppError(createInvite(t.deps, nobody as never, { unit, roles: ["admin"] }))).code).toBe("unauthorized");
      expect((await expectAppError(listInvites(t.deps, nobody as never))).code).toBe("unauthorized");
    }
    expect(await t.deps.db.prisma.invite.count()).toBe(0);
  });

  it("records the operator in the audit detail, not as a user", async () => {
    const unit = await makeUnit(t.deps);
    await createInvite(t.deps, systemActor("cli"), { unit, roles: ["reporter"] });
    const row = await t.deps.db.prisma.auditLog.findFirstOrThrow({ where: { action: "invite.create" } });
    expect(row.userId).toBeNull();
    expect(JSON.parse(row.detail!)).toMatchObject({ by: "system:cli" });
  });

  it("rejects an invite for an unknown unit", async () => {
    expect(await reasonOf(createInvite(t.deps, systemActor("test"), { unit: "no-such-unit", roles: ["reporter"] }))).toBe("unit_unknown");
  });
});

describe("sessions and linking", () => {
  it("expires and revokes sessions", async () => {
    const unit = await makeUnit(t.deps);
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const { token } = await redeemInvite(t.deps, { code }, { kind: "miniapp" });
    expect(await authenticate(t.deps, token)).not.toBeNull();
    expect(await authenticate(t.deps, "garbage")).toBeNull();
    expect(await authenticate(t.deps, "")).toBeNull();
    await revokeSession(t.deps, token!);
    expect(await authenticate(t.deps, token)).toBeNull();
  });

  it("sees a role change or a disabled account at the next request despite the session cache", async () => {
    const unit = await makeUnit(t.deps);
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter", "checker"] });
    const { token, user } = await redeemInvite(t.deps, { code }, { kind: "miniapp" });
    expect((await authenticate(t.deps, token))?.roles).toEqual(["checker", "reporter"]);
    await t.db.prisma.userRole.delete({ where: { userId_role: { userId: user.id, role: "checker" } } });
    expect((await authenticate(t.deps, token))?.roles).toEqual(["reporter"]);
    await t.db.prisma.user.update({ where: { id: user.id }, data: { active: false } });
    expect(await authenticate(t.deps, token)).toBeNull();
  });

  it("links a Telegram account and a mini-app login to one user, both ways", async () => {
    const unit = await makeUnit(t.deps);
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const tg = await redeemInvite(t.deps, { code }, { kind: "telegram", telegramId: "1001", chatId: "1001", firstName: "王芳" });
    expect(tg.token).toBeNull();
    expect(tg.user.name).toBe("王芳");
    const actor = (await actorByTelegram(t.deps, 1001))!;
    const link = await createLinkCode(t.deps, actor);
    const web = await redeemLinkCodeForSession(t.deps, link.code);
    expect(web.user.id).toBe(tg.user.id);
    expect(await reasonOf(redeemLinkCodeForSession(t.deps, link.code))).toBe("link_code_used");

    const invite2 = await createInvite(t.deps, systemActor("test"), { unit, roles: ["checker"] });
    const mini = await redeemInvite(t.deps, { code: invite2.code }, { kind: "miniapp" });
    const link2 = await createLinkCode(t.deps, (await authenticate(t.deps, mini.token))!);
    const linked = await linkTelegram(t.deps, link2.code, { telegramId: "2002", chatId: "2002" });
    expect(linked.id).toBe(mini.user.id);
    expect((await actorByTelegram(t.deps, 2002))?.userId).toBe(mini.user.id);

    const link3 = await createLinkCode(t.deps, (await authenticate(t.deps, mini.token))!);
    expect(await reasonOf(linkTelegram(t.deps, link3.code, { telegramId: "1001", chatId: "1001" }))).toBe("telegram_taken");
  });

  it("expires link codes after ten minutes", async () => {
    const unit = await makeUnit(t.deps);
    const { code } = await createInvite(t.deps, systemActor("test"), { unit, roles: ["reporter"] });
    const { token } = await redeemInvite(t.deps, { code }, { kind: "miniapp" });
    const link = await createLinkCode(t.deps, (await authenticate(t.deps, token))!);
    clock.advance(10 * 60_000 + 1);
    expect(await reasonOf(redeemLinkCodeForSession(t.deps, link.code))).toBe("link_code_expired");
  });
});
