import { INVITE_CODE_LENGTH, LINK_CODE_LENGTH } from "../domain/codes.ts";
import { RoleSchema, type Role, type UserView, type UnitType } from "../domain/units.ts";
import { t, DEFAULT_LOCALE } from "../domain/i18n.ts";
import { CreateInviteSchema, type CreateInviteInput } from "../domain/schemas/auth.ts";
import { AppError } from "./errors.ts";
import { randomCode, randomToken, sha256Hex } from "./crypto.ts";
import { writeAudit } from "./audit.ts";
import type { Actor } from "./hot-path.ts";
import type { Deps } from "./deps.ts";

/** How long a mini-app session lives. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** How long a one-time link code lives. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;

/** The actor used by the CLI and `npm start`: a trusted local operator, audited as "system". */
export const SYSTEM_ACTOR = null;

/** Where a redemption comes from. A Telegram redemption binds the account to the new user. */
export type RedeemChannel =
  | { kind: "miniapp" }
  | { kind: "api" }
  | { kind: "telegram"; telegramId: string; chatId: string; firstName?: string | undefined };

/** Converts an actor to the public user view of the API contract. */
export function toUserView(actor: Actor): UserView {
  return { id: actor.userId, name: actor.name, unit: actor.unit, roles: actor.roles };
}

/** Throws 403 unless the actor holds one of the roles. Every use-case calls this (or a stricter check) first. */
export function requireRole(actor: Actor | null, ...roles: Role[]): asserts actor is Actor {
  if (!actor) throw new AppError("unauthorized");
  if (!roles.some((r) => actor.roles.includes(r))) throw new AppError("forbidden", { reason: "role_required" });
}

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

/**
 * Creates a single-use invite for a unit and roles; returns the code, shown once. Admins only
 * (the CLI acts as the local operator, `actor = null`). The code is stored hashed.
 */
export async function createInvite(
  deps: Deps,
  actor: Actor | null,
  input: CreateInviteInput & { label?: string; reissuedFromId?: string },
): Promise<{ code: string; invite: InviteView }> {
  if (actor) requireRole(actor, "admin");
  const parsed = CreateInviteSchema.safeParse({
    unit: input.unit,
    roles: input.roles,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.expiresInDays !== undefined ? { expiresInDays: input.expiresInDays } : {}),
  });
  if (!parsed.success) throw new AppError("invalid_input", { reason: "invalid_invite" });
  const { prisma } = deps.db;
  const unit = await prisma.unit.findUnique({ where: { code: parsed.data.unit } });
  if (!unit) throw new AppError("not_found", { messageKey: "unit-unknown", reason: "unit_unknown", fields: { unit: t(DEFAULT_LOCALE, "unit-unknown") } });
  const now = deps.clock.now();
  const code = randomCode(INVITE_CODE_LENGTH);
  const invite = await prisma.$transaction(async (tx) => {
    const created = await tx.invite.create({
      data: {
        codeHash: sha256Hex(code),
        unitId: unit.id,
        roles: parsed.data.roles.join(","),
        name: parsed.data.name ?? null,
        label: input.label ?? null,
        createdById: actor?.userId ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + parsed.data.expiresInDays * 86_400_000),
        reissuedFromId: input.reissuedFromId ?? null,
      },
    });
    await writeAudit(tx, deps.clock, {
      userId: actor?.userId ?? null,
      unitId: actor?.unitId ?? null,
      action: "invite.create",
      subject: `invite:${created.id}`,
      result: "ok",
      detail: { unit: unit.code, roles: parsed.data.roles },
    });
    return created;
  });
  return {
    code,
    invite: {
      id: invite.id,
      unit: { code: unit.code, name: unit.name },
      roles: parseRoles(invite.roles),
      name: invite.name,
      label: invite.label,
      status: "active",
      createdAt: invite.createdAt.toISOString(),
      expiresAt: invite.expiresAt.toISOString(),
      usedAt: null,
      usedBy: null,
    },
  };
}

/** Lists invites, newest first, optionally for one unit and one status. Admins only. */
export async function listInvites(
  deps: Deps,
  actor: Actor | null,
  filter: { unit?: string; status?: InviteStatus; limit?: number } = {},
): Promise<InviteView[]> {
  if (actor) requireRole(actor, "admin");
  const now = deps.clock.now();
  const rows = await deps.db.prisma.invite.findMany({
    where: filter.unit ? { unit: { code: filter.unit } } : {},
    include: { unit: true },
    orderBy: { createdAt: "desc" },
    take: Math.min(filter.limit ?? 200, 1000),
  });
  const userIds = rows.flatMap((r) => (r.usedById ? [r.usedById] : []));
  const users = new Map(
    (await deps.db.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]),
  );
  return rows
    .map((r) => ({
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
    }))
    .filter((r) => !filter.status || r.status === filter.status);
}

/** Revokes an unused invite. Revoking twice is harmless; a used invite cannot be revoked (409). */
export async function revokeInvite(deps: Deps, actor: Actor | null, inviteId: string): Promise<void> {
  if (actor) requireRole(actor, "admin");
  const { prisma } = deps.db;
  const invite = await prisma.invite.findUnique({ where: { id: inviteId } });
  if (!invite) throw new AppError("not_found", { reason: "invite_not_found" });
  if (invite.usedAt) throw new AppError("conflict", { messageKey: "invite-used", reason: "invite_used" });
  if (invite.revokedAt) return;
  await prisma.$transaction(async (tx) => {
    await tx.invite.update({ where: { id: inviteId }, data: { revokedAt: deps.clock.now() } });
    await writeAudit(tx, deps.clock, { userId: actor?.userId, unitId: actor?.unitId, action: "invite.revoke", subject: `invite:${inviteId}`, result: "ok" });
  });
}

/** Re-issues an invite (lost or expired code): revokes the old one if unused, creates a new one for the same unit and roles. */
export async function reissueInvite(deps: Deps, actor: Actor | null, inviteId: string, expiresInDays?: number) {
  if (actor) requireRole(actor, "admin");
  const old = await deps.db.prisma.invite.findUnique({ where: { id: inviteId }, include: { unit: true } });
  if (!old) throw new AppError("not_found", { reason: "invite_not_found" });
  if (old.usedAt) throw new AppError("conflict", { messageKey: "invite-used", reason: "invite_used" });
  if (!old.revokedAt) await revokeInvite(deps, actor, inviteId);
  return createInvite(deps, actor, {
    unit: old.unit.code,
    roles: parseRoles(old.roles),
    ...(old.name ? { name: old.name } : {}),
    ...(old.label ? { label: old.label } : {}),
    ...(expiresInDays !== undefined ? { expiresInDays } : {}),
    reissuedFromId: old.id,
  });
}

/** Creates a session for a user inside the caller's transaction and returns its token (shown once; only the hash is stored). */
export async function issueSession(deps: Deps, tx: Pick<Deps["db"]["prisma"], "session">, userId: string, channel: string): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await tx.session.create({
    data: { tokenHash: sha256Hex(token), userId, channel, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
  });
  return token;
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
  const actor = deps.identity.actorByUserId(result.userId);
  if (!actor) throw new AppError("internal", { reason: "user_missing_after_redeem" });
  return { user: toUserView(actor), token: result.token };
}

/** The actor behind a bearer token, or null (unknown, expired, revoked, or user disabled). Hot path: no Prisma. */
export function authenticate(deps: Deps, token: string | null | undefined): Actor | null {
  if (!token || token.length > 200) return null;
  return deps.identity.actorBySessionHash(sha256Hex(token), deps.clock.now());
}

/** Ends a session (logout). Unknown tokens are ignored. */
export async function revokeSession(deps: Deps, token: string): Promise<void> {
  await deps.db.prisma.session.updateMany({ where: { tokenHash: sha256Hex(token), revokedAt: null }, data: { revokedAt: deps.clock.now() } });
}

/** The actor linked to a Telegram account, or null when the account has not redeemed an invite. */
export function actorByTelegram(deps: Deps, telegramId: string | number): Actor | null {
  return deps.identity.actorByIdentity("telegram", String(telegramId));
}

/**
 * Issues a one-time code (10 minutes) that joins the other front end to this user: typed into the
 * mini-app login page it signs that device in; sent to the bot (`/link CODE`) it binds that Telegram account.
 */
export async function createLinkCode(deps: Deps, actor: Actor): Promise<{ code: string; expiresAt: string }> {
  const code = randomCode(LINK_CODE_LENGTH);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.linkCode.create({ data: { codeHash: sha256Hex(code), userId: actor.userId, createdAt: now, expiresAt } });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "link.create", result: "ok" });
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

async function consumeLinkCode(deps: Deps, tx: Parameters<Parameters<Deps["db"]["prisma"]["$transaction"]>[0]>[0], code: string) {
  const now = deps.clock.now();
  const row = await tx.linkCode.findUnique({ where: { codeHash: sha256Hex(code) } });
  if (!row) throw new AppError("not_found", { messageKey: "link-code-unknown", reason: "link_code_unknown" });
  if (row.usedAt) throw new AppError("conflict", { messageKey: "link-code-used", reason: "link_code_used" });
  if (row.expiresAt.getTime() <= now.getTime()) throw new AppError("conflict", { messageKey: "link-code-expired", reason: "link_code_expired" });
  const claimed = await tx.linkCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count !== 1) throw new AppError("conflict", { messageKey: "link-code-used", reason: "link_code_used" });
  return row.userId;
}

/** Signs a mini-app in as the user who created the link code (in the bot). Returns a new session token. */
export async function redeemLinkCodeForSession(deps: Deps, code: string, channel: "miniapp" | "api" = "miniapp"): Promise<{ user: UserView; token: string }> {
  const { userId, token } = await deps.db.prisma.$transaction(async (tx) => {
    const userId = await consumeLinkCode(deps, tx, code);
    const token = await issueSession(deps, tx, userId, channel);
    await writeAudit(tx, deps.clock, { userId, action: "link.redeem", result: "ok", detail: { channel } });
    return { userId, token };
  });
  const actor = deps.identity.actorByUserId(userId);
  if (!actor) throw new AppError("forbidden", { messageKey: "user-inactive", reason: "user_inactive" });
  return { user: toUserView(actor), token };
}

/** Binds a Telegram account to the user who created the link code (in the mini-app). */
export async function linkTelegram(deps: Deps, code: string, telegram: { telegramId: string; chatId: string }): Promise<UserView> {
  const userId = await deps.db.prisma.$transaction(async (tx) => {
    const existing = await tx.identity.findUnique({ where: { provider_subject: { provider: "telegram", subject: telegram.telegramId } } });
    const userId = await consumeLinkCode(deps, tx, code);
    if (existing && existing.userId !== userId) throw new AppError("conflict", { messageKey: "link-telegram-taken", reason: "telegram_taken" });
    if (!existing) {
      await tx.identity.create({ data: { provider: "telegram", subject: telegram.telegramId, chatId: telegram.chatId, userId, createdAt: deps.clock.now() } });
    }
    await writeAudit(tx, deps.clock, { userId, action: "link.telegram", result: "ok" });
    return userId;
  });
  const actor = deps.identity.actorByUserId(userId);
  if (!actor) throw new AppError("forbidden", { messageKey: "user-inactive", reason: "user_inactive" });
  return toUserView(actor);
}

/** Units for `units list` and pickers. */
export async function listUnits(deps: Deps): Promise<{ code: string; name: string; type: UnitType; parent: string | null }[]> {
  const units = await deps.db.prisma.unit.findMany({ include: { parent: true }, orderBy: { code: "asc" } });
  return units.map((u) => ({ code: u.code, name: u.name, type: u.type as UnitType, parent: u.parent?.code ?? null }));
}
