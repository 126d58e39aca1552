import { randomToken, sha256Hex } from "../crypto.ts";
import type { Deps } from "../deps.ts";
import type { Actor } from "./actor.ts";

/** How long a mini-app session lives. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** Creates a session for a user inside the caller's transaction and returns its token (shown once; only the hash is stored). */
export async function issueSession(deps: Deps, tx: Pick<Deps["db"]["prisma"], "session">, userId: string, channel: string): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await tx.session.create({
    data: { tokenHash: sha256Hex(token), userId, channel, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
  });
  return token;
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

