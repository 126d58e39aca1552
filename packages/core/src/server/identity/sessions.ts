import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { channelLabel, deviceLabel } from "../../domain/sessions.ts";
import { randomToken, sha256Hex } from "../crypto.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import type { Db } from "../db.ts";
import type { Deps } from "../deps.ts";
import type { Logger } from "../logger.ts";
import type { Actor } from "./actor.ts";

/** How long a session lives WITHOUT USE: each use (renewed at most once per SESSION_RENEW_MS) moves its end to 30 days later. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * How often a session in use is renewed (its lastUsedAt and expiresAt written): at most once an
 * hour per session, so the session lookup on every request (the hot path) stays a read. A session
 * therefore ends between 30 days minus one hour and 30 days after its last use.
 */
export const SESSION_RENEW_MS = 3600 * 1000;

/** Creates a session for a user inside the caller's transaction and returns its token (shown once; only the hash is stored). */
export async function issueSession(deps: Deps, tx: Pick<Deps["db"]["prisma"], "session">, userId: string, channel: string): Promise<string> {
  const token = randomToken();
  const now = deps.clock.now();
  await tx.session.create({
    data: { tokenHash: sha256Hex(token), userId, channel, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) },
  });
  return token;
}

/** The actor behind a bearer token, or null (unknown, expired, revoked, or user disabled). Hot path: no Prisma. Renews the session when due (in the background). */
export async function authenticate(deps: Deps, token: string | null | undefined): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  return deps.identity.actorBySessionHash(sha256Hex(token), deps.clock.now());
}

/** Ends a session (logout). Unknown tokens are ignored. */
export async function revokeSession(deps: Deps, token: string): Promise<void> {
  await deps.db.prisma.session.updateMany({ where: { tokenHash: sha256Hex(token), revokedAt: null }, data: { revokedAt: deps.clock.now() } });
}

/** The actor linked to a Telegram account, or null when the account has not redeemed an invite. */
export async function actorByTelegram(deps: Deps, telegramId: string | number): Promise<Actor | null> {
  return deps.identity.actorByIdentity("telegram", String(telegramId));
}

// --- sliding renewal -----------------------------------------------------------------------------

/** Writes a session's renewal; the hot path calls it when a session in use is due (never awaited there). */
export type SessionRenewer = (session: { id: string }, at: Date) => void;

const renewers = new WeakMap<Db, { pending: Map<string, Promise<void>> }>();

/**
 * The renewer of a database: a conditional Prisma update (never a revoked or expired session, so
 * a renewal racing a logout cannot bring it back), one in flight per session. It runs on Prisma's
 * connection, behind Prisma's own transaction lock, so the synchronous hot path never waits for a
 * write lock. A failed renewal is only logged: the next use retries it.
 */
export function createSessionRenewer(db: Db, logger: Logger): SessionRenewer {
  const state = { pending: new Map<string, Promise<void>>() };
  renewers.set(db, state);
  return (session, at) => {
    if (state.pending.has(session.id)) return;
    const write = db.prisma.session
      .updateMany({
        where: { id: session.id, revokedAt: null, expiresAt: { gt: at } },
        data: { lastUsedAt: at, expiresAt: new Date(at.getTime() + SESSION_TTL_MS) },
      })
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ error: error instanceof Error ? error.message : String(error) }, "session renewal failed; retried on next use"),
      )
      .finally(() => state.pending.delete(session.id));
    state.pending.set(session.id, write);
  };
}

/** Resolves once every session renewal in flight is written (tests, shutdown). */
export async function sessionRenewals(deps: Deps): Promise<void> {
  const state = renewers.get(deps.db);
  while (state && state.pending.size > 0) await Promise.all([...state.pending.values()]);
}

// --- the user's devices --------------------------------------------------------------------------

/** Longest User-Agent kept for a session (enough to recognise the device; never shown raw). */
export const MAX_USER_AGENT = 300;

/**
 * Notes the signing-in device's User-Agent on a new session, for the session list. Trimmed and
 * stripped of control characters; best effort (a sign-in never fails because of it).
 */
export async function recordSessionDevice(deps: Deps, token: string, userAgent: string | null | undefined): Promise<void> {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = (userAgent ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, MAX_USER_AGENT);
  if (!clean) return;
  await deps.db.prisma.session.updateMany({ where: { tokenHash: sha256Hex(token) }, data: { userAgent: clean } }).catch(() => undefined);
}

/** A live session as its owner sees it on the profile page: no token, no hash, no raw User-Agent. */
export interface SessionView {
  id: string;
  /** miniapp | telegram_webapp | wechat | api */
  channel: string;
  channelLabel: string;
  /** "iPhone · 微信", in the reader's language */
  device: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  /** the session this request is made with */
  current: boolean;
}

/**
 * The user's live sessions (not revoked, not expired): this one first, then by last use, newest
 * first. Only the actor's own sessions; `currentToken` marks the one the request came with.
 */
export async function listSessions(deps: Deps, actor: Actor | null, currentToken: string | null, opts: { locale?: Locale } = {}): Promise<SessionView[]> {
  if (!actor) throw new AppError("unauthorized");
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const now = deps.clock.now();
  const currentHash = currentToken ? sha256Hex(currentToken) : null;
  const rows = await deps.db.prisma.session.findMany({
    where: { userId: actor.userId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, tokenHash: true, channel: true, createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true },
    take: 100,
  });
  return rows
    .map((r) => {
      const lastUsed = r.lastUsedAt ?? r.createdAt;
      return {
        id: r.id,
        channel: r.channel,
        channelLabel: channelLabel(r.channel, locale),
        device: deviceLabel(r.userAgent, locale),
        createdAt: r.createdAt.toISOString(),
        lastUsedAt: lastUsed.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
        current: r.tokenHash === currentHash,
      };
    })
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt) || b.createdAt.localeCompare(a.createdAt));
}

/**
 * Ends one of the actor's sessions (the profile page's 退出 on a device). Another user's session
 * and unknown ids are 404 alike; ending an ended session again changes nothing. Takes effect on the
 * next request of that device (the hot path's cache follows the database).
 */
export async function endSession(deps: Deps, actor: Actor | null, sessionId: string): Promise<void> {
  if (!actor) throw new AppError("unauthorized");
  const session = await deps.db.prisma.session.findFirst({ where: { id: sessionId, userId: actor.userId }, select: { id: true, revokedAt: true } });
  if (!session) throw new AppError("not_found", { messageKey: "session-not-found", reason: "session_not_found" });
  if (session.revokedAt) return;
  await deps.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { revokedAt: deps.clock.now() } });
    if (count) await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "session.end", subject: `session:${session.id}`, result: "ok" });
  });
}
