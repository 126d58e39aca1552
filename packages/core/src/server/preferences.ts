import { z } from "zod";
import { LOCALES, type Locale } from "../domain/i18n.ts";
import { AppError } from "./errors.ts";
import { writeAudit } from "./audit.ts";
import type { Actor } from "./identity/actor.ts";
import type { Deps } from "./deps.ts";

/** A UI language a user may choose (`zh-CN` or `en`). */
export const LocaleSchema = z.enum(LOCALES);

/**
 * Stores the user's chosen UI language in `User.locale`, so every front end (bot replies, outbox
 * notifications, the mini-app) speaks it. Any signed-in user may set their own; unknown locales fail
 * with 400. Setting the same value again is harmless.
 */
export async function setLocale(deps: Deps, actor: Actor, locale: string): Promise<Locale> {
  const parsed = LocaleSchema.safeParse(locale);
  if (!parsed.success) throw new AppError("invalid_input", { reason: "locale_unknown" });
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { locale: parsed.data } });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "user.locale", result: "ok", detail: { locale: parsed.data } });
  });
  return parsed.data;
}

/** The user's chosen UI language, or null when they never chose one (front ends then guess from the client). */
export async function getLocale(deps: Deps, userId: string): Promise<Locale | null> {
  const row = await deps.db.prisma.user.findUnique({ where: { id: userId }, select: { locale: true } });
  const parsed = LocaleSchema.safeParse(row?.locale);
  return parsed.success ? parsed.data : null;
}
