import { randomUUID } from "node:crypto";
import { isMessageKey, t, type Locale, type MessageKey, type MessageParams } from "../domain/i18n.ts";
import type { Deps } from "./deps.ts";
import type { PrismaClient } from "./db.ts";
import { outboxClaimStoreFor } from "./outbox-claim.ts";

/**
 * What the bot delivers: a catalogue message rendered in the recipient's language. `keyParams`
 * names params that are themselves catalogue keys (a report type's title), so they are rendered
 * in the recipient's language too instead of being frozen in Chinese at enqueue time.
 */
export interface OutboxPayload {
  key: MessageKey;
  params?: MessageParams;
  keyParams?: Record<string, MessageKey>;
  /** params that are LISTS of catalogue keys (the fields a reviewer named), rendered and joined in the recipient's language */
  keyListParams?: Record<string, MessageKey[]>;
  /** Inline buttons under the message, rows of { label key, callback data (at most 64 bytes) }. */
  buttons?: { key: MessageKey; data: string }[][];
  /** What the message is about, so its delivery (or a chat that is gone) is recorded there too. */
  ref?: OutboxRef;
}

/** A record a delivery outcome is written back to (today: the quiz assignment a push announced). */
export type OutboxRef = { kind: "quiz_assignment"; id: string };

/** Renders an outbox payload's buttons in the recipient's language; empty when it has none. */
export function renderOutboxButtons(payload: unknown, locale: Locale): { text: string; data: string }[][] {
  const rows = (payload as { buttons?: unknown } | null)?.buttons;
  if (!Array.isArray(rows)) return [];
  return rows
    .map((row) =>
      (Array.isArray(row) ? row : []).flatMap((b: { key?: unknown; data?: unknown }) =>
        typeof b?.key === "string" && isMessageKey(b.key) && typeof b.data === "string" && Buffer.byteLength(b.data) <= 64 ? [{ text: t(locale, b.key), data: b.data }] : [],
      ),
    )
    .filter((row) => row.length > 0);
}

/** An action a message offers: `resubmit` = correct a returned report (修改后重新提交). */
/** Renders an outbox payload for a recipient; null when it names no known message. */
export function renderOutboxPayload(payload: unknown, locale: Locale): string | null {
  const p = payload as { key?: unknown; params?: MessageParams; keyParams?: Record<string, unknown>; keyListParams?: Record<string, unknown>; text?: unknown } | null;
  if (!p) return null;
  if (typeof p.key === "string" && isMessageKey(p.key)) {
    const params: MessageParams = { ...(p.params ?? {}) };
    for (const [name, key] of Object.entries(p.keyParams ?? {})) {
      if (typeof key === "string" && isMessageKey(key)) params[name] = t(locale, key);
    }
    for (const [name, keys] of Object.entries(p.keyListParams ?? {})) {
      if (!Array.isArray(keys)) continue;
      const words = keys.filter((k): k is MessageKey => typeof k === "string" && isMessageKey(k)).map((k) => t(locale, k));
      params[name] = words.join(locale === "en" ? ", " : "、");
    }
    return t(locale, p.key, params);
  }
  return typeof p.text === "string" && p.text ? p.text : null;
}

/** An outbox row due for delivery, with the recipient's Telegram chat and language. */
export interface DueMessage {
  id: number;
  userId: string | null;
  chatId: string | null;
  locale: string | null;
  payload: OutboxPayload;
  attempts: number;
  /** The claim this message was taken with (claimDueMessages); null for unclaimed reads. */
  claimToken: string | null;
}

type OutboxWriter = Pick<PrismaClient, "outbox">;

/**
 * Queues a message for a user, inside the caller's transaction so the message exists exactly when
 * the change that caused it does. `dedupeKey` makes enqueueing idempotent (reminders, retries).
 */
export async function enqueueMessage(
  tx: OutboxWriter,
  msg: { userId: string; payload: OutboxPayload; dedupeKey?: string; sendAfter?: Date; now: Date },
): Promise<void> {
  const data = {
    channel: "telegram",
    userId: msg.userId,
    payload: JSON.stringify(msg.payload),
    dedupeKey: msg.dedupeKey ?? null,
    createdAt: msg.now,
    sendAfter: msg.sendAfter ?? msg.now,
  };
  if (msg.dedupeKey) {
    await tx.outbox.upsert({ where: { dedupeKey: msg.dedupeKey }, create: data, update: {} });
  } else {
    await tx.outbox.create({ data });
  }
}

/**
 * Queues many messages at once (a quiz push to a thousand people) inside the caller's transaction.
 * Every message must carry a dedupeKey the caller knows to be new (the push creates the assignments
 * they name in the same transaction), so one createMany writes them all.
 */
export async function enqueueMessages(
  tx: OutboxWriter,
  msgs: { userId: string; payload: OutboxPayload; dedupeKey: string; sendAfter?: Date }[],
  now: Date,
): Promise<number> {
  if (msgs.length === 0) return 0;
  const { count } = await tx.outbox.createMany({
    data: msgs.map((m) => ({ channel: "telegram", userId: m.userId, payload: JSON.stringify(m.payload), dedupeKey: m.dedupeKey, createdAt: now, sendAfter: m.sendAfter ?? now })),
  });
  return count;
}

/** Rows that may be sent now: not sent, not given up, due, under the attempt limit, not under another sender's lease. */
function dueWhere(now: Date) {
  return {
    sentAt: null,
    failedAt: null,
    sendAfter: { lte: now },
    attempts: { lt: MAX_ATTEMPTS },
    OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
  };
}

/** After this many failed attempts a message is no longer retried. */
export const MAX_ATTEMPTS = 10;

type OutboxRow = { id: number; userId: string | null; chatId: string | null; payload: string; attempts: number; claimToken: string | null };

async function withRecipients(deps: Deps, rows: OutboxRow[]): Promise<DueMessage[]> {
  const userIds = [...new Set(rows.flatMap((r) => (r.userId ? [r.userId] : [])))];
  const [identities, users] = await Promise.all([
    deps.db.prisma.identity.findMany({ where: { provider: "telegram", userId: { in: userIds } } }),
    deps.db.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, locale: true } }),
  ]);
  const chatByUser = new Map(identities.map((i) => [i.userId, i.chatId ?? i.subject]));
  const localeByUser = new Map(users.map((u) => [u.id, u.locale]));
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    chatId: r.chatId ?? (r.userId ? (chatByUser.get(r.userId) ?? null) : null),
    locale: r.userId ? (localeByUser.get(r.userId) ?? null) : null,
    payload: JSON.parse(r.payload) as OutboxPayload,
    attempts: r.attempts,
    claimToken: r.claimToken,
  }));
}

/**
 * Messages due now (oldest first), with where to send them, WITHOUT claiming them: for inspection
 * and tests. Senders use claimDueMessages. Messages for users without Telegram are skipped by the caller.
 */
export async function dueMessages(deps: Deps, limit = 50): Promise<DueMessage[]> {
  const rows = await deps.db.prisma.outbox.findMany({ where: dueWhere(deps.clock.now()), orderBy: { id: "asc" }, take: limit });
  return withRecipients(deps, rows);
}

/**
 * Claims up to `limit` due messages for one sender, oldest first, with a lease of `leaseMs`, through
 * the claim store of the database (outbox-claim.ts: a conditional UPDATE on SQLite, `FOR UPDATE SKIP
 * LOCKED` on PostgreSQL), so two senders (two bot processes) never hold the same row; a crashed
 * sender's rows come back once their lease has passed.
 */
export async function claimDueMessages(deps: Deps, opts: { limit: number; leaseMs: number }): Promise<DueMessage[]> {
  const now = deps.clock.now();
  const token = randomUUID();
  const claimed = await outboxClaimStoreFor(deps.db).claim({ now, until: new Date(now.getTime() + opts.leaseMs), limit: opts.limit, token, maxAttempts: MAX_ATTEMPTS });
  if (claimed === 0) return [];
  const rows = await deps.db.prisma.outbox.findMany({ where: { claimToken: token, sentAt: null }, orderBy: { id: "asc" } });
  return withRecipients(deps, rows);
}

/**
 * Renews a claimed message's lease just before it is sent; false when the claim is no longer this
 * sender's (the lease ran out and another sender took the row), in which case it must not be sent.
 */
export async function renewClaim(deps: Deps, msg: Pick<DueMessage, "id" | "claimToken">, leaseMs: number): Promise<boolean> {
  if (!msg.claimToken) return false;
  const now = deps.clock.now();
  const { count } = await deps.db.prisma.outbox.updateMany({
    where: { id: msg.id, claimToken: msg.claimToken, sentAt: null, failedAt: null },
    data: { claimedUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

/**
 * Extends the lease of every row a live sender still holds (its heartbeat while a batch is being
 * sent, so a lease can stay short and a crashed sender's rows come back soon). Returns rows renewed.
 */
export async function renewClaims(deps: Deps, tokens: readonly string[], leaseMs: number): Promise<number> {
  if (tokens.length === 0) return 0;
  const { count } = await deps.db.prisma.outbox.updateMany({
    where: { claimToken: { in: [...tokens] }, sentAt: null, failedAt: null },
    data: { claimedUntil: new Date(deps.clock.now().getTime() + leaseMs) },
  });
  return count;
}

/** Gives back the claims a sender still holds (a clean stop), so another sender need not wait for the lease. */
export async function releaseClaims(deps: Deps, tokens: readonly string[]): Promise<number> {
  if (tokens.length === 0) return 0;
  const { count } = await deps.db.prisma.outbox.updateMany({ where: { claimToken: { in: [...tokens] }, sentAt: null }, data: { claimToken: null, claimedUntil: null } });
  return count;
}

type RefWriter = Pick<PrismaClient, "quizAssignment">;

async function recordOutcome(tx: RefWriter, ref: OutboxRef | undefined, status: "sent" | "blocked"): Promise<void> {
  if (ref?.kind === "quiz_assignment") await tx.quizAssignment.updateMany({ where: { id: ref.id }, data: { botStatus: status } });
}

/**
 * Marks a message delivered (and what it announced, e.g. a quiz assignment, as sent) in one batched
 * transaction, right after Telegram's answer: the shorter this write, the smaller the window in which
 * a sender killed after Telegram accepted a message leaves it to be sent again (delivery is at least once).
 */
export async function markSent(deps: Deps, id: number, payload?: Pick<OutboxPayload, "ref">): Promise<void> {
  const now = deps.clock.now();
  const { prisma } = deps.db;
  const ref = payload?.ref;
  await prisma.$transaction([
    prisma.outbox.update({ where: { id }, data: { sentAt: now, claimedUntil: null } }),
    ...(ref?.kind === "quiz_assignment" ? [prisma.quizAssignment.updateMany({ where: { id: ref.id }, data: { botStatus: "sent" } })] : []),
  ]);
}

/** Records a failed attempt; retried with backoff (1, 2, 4 ... minutes) up to 10 attempts. The claim is given back. */
export async function markFailed(deps: Deps, id: number, error: string, attempts: number): Promise<void> {
  const delay = Math.min(60_000 * 2 ** attempts, 6 * 3600_000);
  await deps.db.prisma.outbox.update({
    where: { id },
    data: { attempts: attempts + 1, lastError: error.slice(0, 500), sendAfter: new Date(deps.clock.now().getTime() + delay), claimToken: null, claimedUntil: null },
  });
}

/**
 * Gives a message up for good: the recipient's chat blocked the bot or no longer exists (Telegram 403,
 * or 400 "chat not found"). Recorded with the reason, on the message and on what it announced, so the
 * trainer sees who cannot be reached; the other messages go on.
 */
export async function markUndeliverable(deps: Deps, id: number, error: string, payload?: Pick<OutboxPayload, "ref">): Promise<void> {
  const now = deps.clock.now();
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.outbox.update({ where: { id }, data: { failedAt: now, lastError: error.slice(0, 500), claimToken: null, claimedUntil: null } });
    await recordOutcome(tx, payload?.ref, "blocked");
  });
}

/**
 * Puts a claimed message back for a later try without counting an attempt (Telegram said 429: too
 * fast, not a failure of this message).
 */
export async function deferMessage(deps: Deps, id: number, afterMs: number): Promise<void> {
  await deps.db.prisma.outbox.update({ where: { id }, data: { sendAfter: new Date(deps.clock.now().getTime() + afterMs), claimToken: null, claimedUntil: null } });
}
