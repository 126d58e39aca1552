import { INVITE_CODE_LENGTH } from "../../domain/codes.ts";
import { RoleSchema, type Role, type UserView } from "../../domain/units.ts";
import { t, DEFAULT_LOCALE } from "../../domain/i18n.ts";
import { CreateInviteSchema, type CreateInviteInput } from "../../domain/schemas/auth.ts";
import { AppError } from "../errors.ts";
import { randomCode, sha256Hex } from "../crypto.ts";
import { writeAudit } from "../audit.ts";
import type { Deps } from "../deps.ts";
import { isSystemActor, requireRole, toUserView, type Principal } from "./actor.ts";
import { issueSession } from "./sessions.ts";

/** Where a redemption comes from. A Telegram redemption binds the account to the new user. */
export type RedeemChannel =
  | { kind: "miniapp" }
  | { kind: "api" }
  | { kind: "telegram"; telegramId: string; chatId: string; firstName?: string | undefined };

function parseRoles(value: string): Role[] {
  return value
    .split(",")
    .map((r) => RoleSchema.safeParse(r.trim()))
    .flatMap((r) => (r.success ? [r.data] : []));
}

export type InviteStatus = "active" | "used" | "expired" | "revoked";

/** An invite as admins see it (never the code: only its hash is stored). */
export interface InviteView {
  id: string;
  unit: { code: string; name: string };
  roles: Role[];
  name: string | null;
  label: string | null;
  status: InviteStatus;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
}

function inviteStatus(inv: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InviteStatus {
  if (inv.usedAt) return "used";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

type Tx = Parameters<Parameters<Deps["db"]["prisma"]["$transaction"]>[0]>[0];

/** A validated invite to insert: its unit row and the parsed input. */
interface InviteDraft {
  unit: { id: string; code: string; name: string };
  roles: Role[];
  name: string | null;
  label: string | null;
  expiresInDays: number;
  reissuedFromId: string | null;
}

/** Validates createInvite's input and finds the unit; nothing is written. */
async function draftInvite(deps: Deps, input: CreateInviteInput & { label?: string; reissuedFromId?: string }): Promise<InviteDraft> {
  const parsed = CreateInviteSchema.safeParse({
    unit: input.unit,
    roles: input.roles,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.expiresInDays !== undefined ? { expiresInDays: input.expiresInDays } : {}),
  });
  if (!parsed.success) throw new AppError("invalid_input", { reason: "invalid_invite" });
  const unit = await deps.db.prisma.unit.findUnique({ where: { code: parsed.data.unit } });
  if (!unit) throw new AppError("not_found", { messageKey: "unit-unknown", reason: "unit_unknown", fields: { unit: t(DEFAULT_LOCALE, "unit-unknown") } });
  if (!unit.active) throw new AppError("invalid_input", { messageKey: "unit-inactive", reason: "unit_inactive", fields: { unit: t(DEFAULT_LOCALE, "unit-inactive") } });
  return {
    unit,
    roles: parsed.data.roles,
    name: parsed.data.name ?? null,
    label: input.label ?? null,
    expiresInDays: parsed.data.expiresInDays,
    reissuedFromId: input.reissuedFromId ?? null,
  };
}

/** Inserts a drafted invite and its audit row inside the caller's transaction; returns the code (shown once). */
async function insertInvite(deps: Deps, tx: Tx, actor: Principal, draft: InviteDraft): Promise<{ code: string; invite: InviteView }> {
  const now = deps.clock.now();
  const code = randomCode(INVITE_CODE_LENGTH);
  const created = await tx.invite.create({
    data: {
      codeHash: sha256Hex(code),
      unitId: draft.unit.id,
      roles: draft.roles.join(","),
      name: draft.name,
      label: draft.label,
      createdById: isSystemActor(actor) ? null : actor.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + draft.expiresInDays * 86_400_000),
      reissuedFromId: draft.reissuedFromId,
    },
  });
  await writeAudit(tx, deps.clock, {
    actor,
    action: "invite.create",
    subject: `invite:${created.id}`,
    result: "ok",
    detail: { unit: draft.unit.code, roles: draft.roles },
  });
  return {
    code,
    invite: {
      id: created.id,
      unit: { code: draft.unit.code, name: draft.unit.name },
      roles: parseRoles(created.roles),
      name: created.name,
      label: created.label,
      status: "active",
      createdAt: created.createdAt.toISOString(),
      expiresAt: created.expiresAt.toISOString(),
      usedAt: null,
      usedBy: null,
    },
  };
}

/**
 * Creates a single-use invite for a unit and roles; returns the code, shown once. Admins only
 * (or the local operator: the CLI, the demo seed). The code is stored hashed.
 */
export async function createInvite(
  deps: Deps,
  actor: Principal,
  input: CreateInviteInput & { label?: string; reissuedFromId?: string },
): Promise<{ code: string; invite: InviteView }> {
  requireRole(actor, "admin");
  const draft = await draftInvite(deps, input);
  return deps.db.prisma.$transaction((tx) => insertInvite(deps, tx, actor, draft));
}

/** The query condition for an invite status at `now` (the same rule as inviteStatus). */
function statusWhere(status: InviteStatus, now: Date) {
  switch (status) {
    case "used":
      return { usedAt: { not: null } };
    case "revoked":
      return { usedAt: null, revokedAt: { not: null } };
    case "expired":
      return { usedAt: null, revokedAt: null, expiresAt: { lte: now } };
    case "active":
      return { usedAt: null, revokedAt: null, expiresAt: { gt: now } };
  }
}

/** Lists invites, newest first, optionally for one unit and one status. Admins only. */
export async function listInvites(
  deps: Deps,
  actor: Principal,
  filter: { unit?: string; status?: InviteStatus; limit?: number } = {},
): Promise<InviteView[]> {
  requireRole(actor, "admin");
  const now = deps.clock.now();
  // The status is part of the query, so `take` counts only matching invites (an older active
  // invite behind many newer used ones is still found). Ties on createdAt are broken by id.
  const rows = await deps.db.prisma.invite.findMany({
    where: {
      ...(filter.unit ? { unit: { code: filter.unit } } : {}),
      ...(filter.status ? statusWhere(filter.status, now) : {}),
    },
    include: { unit: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(Math.trunc(filter.limit ?? 200), 1), 1000),
  });
  const userIds = rows.flatMap((r) => (r.usedById ? [r.usedById] : []));
  const users = new Map(
    (await deps.db.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  return rows.map((r) => ({
      id: r.id,
      unit: { code: r.unit.code, name: r.unit.name },
      roles: parseRoles(r.roles),
      name: r.name,
      label: r.label,
      status: inviteStatus(r, now),
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      usedAt: r.usedAt?.toISOString() ?? null,
      usedBy: r.usedById ? (users.get(r.usedById) ?? null) : null,
    }));
}

/**
 * Marks an unused invite revoked inside `tx`, deciding on the row as it is in the transaction (a
 * redemption committed a moment ago wins): true when this call revoked it, false when it already
 * was revoked; a used invite is 409 and an unknown one 404.
 */
async function revokeInTx(deps: Deps, tx: Tx, actor: Principal, inviteId: string): Promise<boolean> {
  const revoked = await tx.invite.updateMany({ where: { id: inviteId, usedAt: null, revokedAt: null }, data: { revokedAt: deps.clock.now() } });
  if (revoked.count === 1) {
    await writeAudit(tx, deps.clock, { actor, action: "invite.revoke", subject: `invite:${inviteId}`, result: "ok" });
    return true;
  }
  const invite = await tx.invite.findUnique({ where: { id: inviteId } });
  if (!invite) throw new AppError("not_found", { reason: "invite_not_found" });
  if (invite.usedAt) throw new AppError("conflict", { messageKey: "invite-used", reason: "invite_used" });
  return false;
}

/**
 * Revokes an unused invite. Revoking twice is harmless; a used invite cannot be revoked (409),
 * also when its redemption commits while the revocation runs (decided inside the transaction).
 */
export async function revokeInvite(deps: Deps, actor: Principal, inviteId: string): Promise<void> {
  requireRole(actor, "admin");
  const { prisma } = deps.db;
  const invite = await prisma.invite.findUnique({ where: { id: inviteId } });
  if (!invite) throw new AppError("not_found", { reason: "invite_not_found" });
  if (invite.usedAt) throw new AppError("conflict", { messageKey: "invite-used", reason: "invite_used" });
  if (invite.revokedAt) return;
  await prisma.$transaction((tx) => revokeInTx(deps, tx, actor, inviteId));
}

/**
 * Re-issues an invite (lost or expired code): revokes the old one if unused and creates a new one
 * for the same unit and roles, in ONE transaction: either both happen or neither (a refused new
 * invite leaves the old one working). A used invite is 409, also when it is redeemed meanwhile.
 */
export async function reissueInvite(deps: Deps, actor: Principal, inviteId: string, expiresInDays?: number) {
  requireRole(actor, "admin");
  const { prisma } = deps.db;
  const old = await prisma.invite.findUnique({ where: { id: inviteId }, include: { unit: true } });
  if (!old) throw new AppError("not_found", { reason: "invite_not_found" });
  if (old.usedAt) throw new AppError("conflict", { messageKey: "invite-used", reason: "invite_used" });
  const draft = await draftInvite(deps, {
    unit: old.unit.code,
    roles: parseRoles(old.roles),
    ...(old.name ? { name: old.name } : {}),
    ...(old.label ? { label: old.label } : {}),
    ...(expiresInDays !== undefined ? { expiresInDays } : {}),
    reissuedFromId: old.id,
  });
  return prisma.$transaction(async (tx) => {
    await revokeInTx(deps, tx, actor, inviteId);
    return insertInvite(deps, tx, actor, draft);
  });
}

function inviteError(status: InviteStatus | "unknown"): AppError {
  switch (status) {
    case "unknown":
      return new AppError("not_found", { messageKey: "invite-unknown", reason: "invite_unknown" });
    case "used":
      return new AppError("conflict", { messageKey: "invite-used", reason: "invite_used" });
    case "expired":
      return new AppError("conflict", { messageKey: "invite-expired", reason: "invite_expired" });
    case "revoked":
      return new AppError("conflict", { messageKey: "invite-revoked", reason: "invite_revoked" });
    default:
      return new AppError("conflict", { reason: "invite_unavailable" });
  }
}

/**
 * Redeems an invite: creates the user in the invite's unit with its roles and, for the mini-app,
 * a session token; for Telegram, binds the account. Single use even under concurrent attempts
 * (conditional update inside the transaction). Unknown / used / expired / revoked codes fail
 * with distinct reasons. A Telegram account that already belongs to a user of the same unit
 * gains the invite's roles instead of a second user.
 */
export async function redeemInvite(
  deps: Deps,
  input: { code: string; name?: string | undefined },
  channel: RedeemChannel,
): Promise<{ user: UserView; token: string | null }> {
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const invite = await prisma.invite.findUnique({ where: { codeHash: sha256Hex(input.code) }, include: { unit: true } });
  if (!invite) {
    await writeAudit(prisma, deps.clock, { action: "invite.redeem", result: "invite_unknown", detail: { channel: channel.kind } });
    throw inviteError("unknown");
  }
  const status = inviteStatus(invite, now);
  if (status !== "active") {
    await writeAudit(prisma, deps.clock, { action: "invite.redeem", subject: `invite:${invite.id}`, result: `invite_${status}`, unitId: invite.unitId });
    throw inviteError(status);
  }
  const roles = parseRoles(invite.roles);
  const result = await prisma.$transaction(async (tx) => {
    const claimed = await tx.invite.updateMany({ where: { id: invite.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) throw inviteError("used");

    let userId: string | null = null;
    if (channel.kind === "telegram") {
      const existing = await tx.identity.findUnique({ where: { provider_subject: { provider: "telegram", subject: channel.telegramId } }, include: { user: true } });
      if (existing) {
        if (existing.user.unitId !== invite.unitId) throw new AppError("conflict", { messageKey: "link-telegram-taken", reason: "telegram_taken" });
        userId = existing.userId;
        for (const role of roles) {
          await tx.userRole.upsert({ where: { userId_role: { userId, role } }, create: { userId, role }, update: {} });
        }
        await tx.identity.update({ where: { id: existing.id }, data: { chatId: channel.chatId } });
      }
    }
    if (!userId) {
      const name = input.name ?? invite.name ?? (channel.kind === "telegram" ? channel.firstName?.slice(0, 40) : undefined) ?? `${invite.unit.name}${t(DEFAULT_LOCALE, `role-${roles[0] ?? "reporter"}`)}`;
      const user = await tx.user.create({
        data: { name, unitId: invite.unitId, createdAt: now, roles: { create: roles.map((role) => ({ role })) } },
      });
      userId = user.id;
      if (channel.kind === "telegram") {
        await tx.identity.create({ data: { provider: "telegram", subject: channel.telegramId, chatId: channel.chatId, userId, createdAt: now } });
      }
    }
    await tx.invite.update({ where: { id: invite.id }, data: { usedById: userId } });
    const token = channel.kind === "telegram" ? null : await issueSession(deps, tx, userId, channel.kind);
    await writeAudit(tx, deps.clock, { userId, unitId: invite.unitId, action: "invite.redeem", subject: `invite:${invite.id}`, result: "ok", detail: { channel: channel.kind, roles } });
    return { userId, token };
  });
  const actor = await deps.identity.actorByUserId(result.userId);
  if (!actor) throw new AppError("internal", { reason: "user_missing_after_redeem" });
  return { user: toUserView(actor), token: result.token };
}

