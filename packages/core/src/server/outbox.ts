import { isMessageKey, t, type Locale, type MessageKey, type MessageParams } from "../domain/i18n.ts";
import type { Deps } from "./deps.ts";
import type { PrismaClient } from "./db.ts";

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
  /** what the message lets the recipient do next; the bot shows a button per action */
  actions?: OutboxAction[];
}

/** An action a message offers: `resubmit` = correct a returned report (修改后重新提交). */
export type OutboxAction = { kind: "resubmit"; reportId: string };

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

/** Messages due now (oldest first), with where to send them. Messages for users without Telegram are skipped by the caller. */
export async function dueMessages(deps: Deps, limit = 50): Promise<DueMessage[]> {
  const now = deps.clock.now();
  const rows = await deps.db.prisma.outbox.findMany({
    where: { sentAt: null, sendAfter: { lte: now }, attempts: { lt: 10 } },
    orderBy: { id: "asc" },
    take: limit,
  });
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
  }));
}

/** Marks a message delivered. */
export async function markSent(deps: Deps, id: number): Promise<void> {
  await deps.db.prisma.outbox.update({ where: { id }, data: { sentAt: deps.clock.now() } });
}

/** Records a failed attempt; retried with backoff (1, 2, 4 ... minutes) up to 10 attempts. */
export async function markFailed(deps: Deps, id: number, error: string, attempts: number): Promise<void> {
  const delay = Math.min(60_000 * 2 ** attempts, 6 * 3600_000);
  await deps.db.prisma.outbox.update({
    where: { id },
    data: { attempts: attempts + 1, lastError: error.slice(0, 500), sendAfter: new Date(deps.clock.now().getTime() + delay) },
  });
}
