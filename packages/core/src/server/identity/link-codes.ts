import { LINK_CODE_LENGTH } from "../../domain/codes.ts";
import type { UserView } from "../../domain/units.ts";
import { AppError } from "../errors.ts";
import { randomCode, sha256Hex } from "../crypto.ts";
import { writeAudit } from "../audit.ts";
import type { Deps } from "../deps.ts";
import { toUserView, type Actor } from "./actor.ts";
import { issueSession } from "./sessions.ts";

/** How long a one-time link code lives. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;

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

type Tx = Parameters<Parameters<Deps["db"]["prisma"]["$transaction"]>[0]>[0];

/**
 * Claims a live link code inside `tx` and returns its user, refusing (and so writing nothing) an
 * unknown, used or expired code or a user who is no longer active: the caller's writes come after.
 */
async function consumeLinkCode(deps: Deps, tx: Tx, code: string): Promise<string> {
  const now = deps.clock.now();
  const row = await tx.linkCode.findUnique({ where: { codeHash: sha256Hex(code) } });
  if (!row) throw new AppError("not_found", { messageKey: "link-code-unknown", reason: "link_code_unknown" });
  if (row.usedAt) throw new AppError("conflict", { messageKey: "link-code-used", reason: "link_code_used" });
  if (row.expiresAt.getTime() <= now.getTime()) throw new AppError("conflict", { messageKey: "link-code-expired", reason: "link_code_expired" });
  const user = await tx.user.findUnique({ where: { id: row.userId }, select: { active: true } });
  if (!user?.active) throw new AppError("forbidden", { messageKey: "user-inactive", reason: "user_inactive" });
  const claimed = await tx.linkCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count !== 1) throw new AppError("conflict", { messageKey: "link-code-used", reason: "link_code_used" });
  return row.userId;
}

/**
 * Signs a mini-app in as the user who created the link code (in the bot). Returns a new session
 * token. The user must be active: that is checked before anything is written, in the same
 * transaction, so a disabled account gets no session and its code stays unused.
 */
export async function redeemLinkCodeForSession(deps: Deps, code: string, channel: "miniapp" | "api" = "miniapp"): Promise<{ user: UserView; token: string }> {
  const { userId, token } = await deps.db.prisma.$transaction(async (tx) => {
    const userId = await consumeLinkCode(deps, tx, code);
    const token = await issueSession(deps, tx, userId, channel);
    await writeAudit(tx, deps.clock, { userId, action: "link.redeem", result: "ok", detail: { channel } });
    return { userId, token };
  });
  const actor = await deps.identity.actorByUserId(userId);
  if (!actor) throw new AppError("forbidden", { messageKey: "user-inactive", reason: "user_inactive" });
  return { user: toUserView(actor), token };
}

/**
 * Binds a Telegram account to the user who created the link code (in the mini-app). A disabled
 * user is refused before anything is written (no identity bound, the code stays unused).
 */
export async function linkTelegram(deps: Deps, code: string, telegram: { telegramId: string; chatId: string }): Promise<UserView> {
  const userId = await deps.db.prisma.$transaction(async (tx) => {
    const userId = await consumeLinkCode(deps, tx, code);
    const existing = await tx.identity.findUnique({ where: { provider_subject: { provider: "telegram", subject: telegram.telegramId } } });
    if (existing && existing.userId !== userId) throw new AppError("conflict", { messageKey: "link-telegram-taken", reason: "telegram_taken" });
    if (!existing) {
      await tx.identity.create({ data: { provider: "telegram", subject: telegram.telegramId, chatId: telegram.chatId, userId, createdAt: deps.clock.now() } });
    }
    await writeAudit(tx, deps.clock, { userId, action: "link.telegram", result: "ok" });
    return userId;
  });
  const actor = await deps.identity.actorByUserId(userId);
  if (!actor) throw new AppError("forbidden", { messageKey: "user-inactive", reason: "user_inactive" });
  return toUserView(actor);
}
