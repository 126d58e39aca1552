import type { Role, UnitType } from "@xieshui/core";
import { createInvite, redeemInvite, seedDemo, type Actor, type Deps, systemActor } from "@xieshui/core/server";

let unitSeq = 0;

/** Creates a unit (type `village` unless told) and returns its code. */
export async function makeUnit(deps: Deps, opts: { type?: UnitType; code?: string; name?: string; parent?: string } = {}): Promise<string> {
  unitSeq++;
  const code = opts.code ?? `unit-${unitSeq}-${Math.random().toString(36).slice(2, 6)}`;
  const parent = opts.parent ? await deps.db.prisma.unit.findUniqueOrThrow({ where: { code: opts.parent } }) : null;
  await deps.db.prisma.unit.create({
    data: { code, name: opts.name ?? `测试单位${unitSeq}`, type: opts.type ?? "village", parentId: parent?.id ?? null },
  });
  return code;
}

/** Seeds the demo district (idempotent). */
export async function seedUnits(deps: Deps): Promise<void> {
  await seedDemo(deps);
}

/**
 * Creates a user in a unit with roles through the real invite flow, returning the session token
 * and the actor. `unit` defaults to a new village committee.
 */
export async function makeUser(
  deps: Deps,
  opts: { roles: Role[]; unit?: string; unitType?: UnitType; name?: string },
): Promise<{ token: string; actor: Actor; inviteCode: string }> {
  const unit = opts.unit ?? (await makeUnit(deps, { type: opts.unitType ?? "village" }));
  const { code } = await createInvite(deps, systemActor("test"), { unit, roles: opts.roles, ...(opts.name ? { name: opts.name } : {}) });
  const { user, token } = await redeemInvite(deps, { code }, { kind: "api" });
  const actor = await deps.identity.actorByUserId(user.id);
  if (!actor || !token) throw new Error("makeUser failed");
  return { token, actor, inviteCode: code };
}

/** Creates a user bound to a Telegram account (as if they had redeemed an invite in the bot). */
export async function makeTelegramUser(
  deps: Deps,
  opts: { roles: Role[]; telegramId: number; unit?: string; unitType?: UnitType; name?: string },
): Promise<Actor> {
  const unit = opts.unit ?? (await makeUnit(deps, { type: opts.unitType ?? "village" }));
  const { code } = await createInvite(deps, systemActor("test"), { unit, roles: opts.roles, ...(opts.name ? { name: opts.name } : {}) });
  const { user } = await redeemInvite(deps, { code }, { kind: "telegram", telegramId: String(opts.telegramId), chatId: String(opts.telegramId) });
  const actor = await deps.identity.actorByUserId(user.id);
  if (!actor) throw new Error("makeTelegramUser failed");
  return actor;
}
