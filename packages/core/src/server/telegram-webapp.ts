import { createHmac, timingSafeEqual } from "node:crypto";
import { AppError } from "./errors.ts";
import { writeAudit } from "./audit.ts";
import { actorByTelegram, issueSession, toUserView } from "./identity/index.ts";
import type { UserView } from "../domain/units.ts";
import type { Deps } from "./deps.ts";

/** The Telegram user inside Mini App init data (only the fields the product uses). */
export interface WebAppUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** Init data whose signature and age have been checked. */
export interface WebAppInitData {
  user: WebAppUser;
  authDate: Date;
  /** Every field as received (including `hash`), for callers that need more. */
  fields: Record<string, string>;
}

/** How far in the future `auth_date` may be (clock skew) before the data is refused. */
const MAX_CLOCK_SKEW_SECONDS = 60;

function invalid(): AppError {
  return new AppError("unauthorized", { messageKey: "telegram-initdata-invalid", reason: "telegram_init_data_invalid" });
}

/** The data-check-string Telegram signs: every field except `hash`, sorted by key, `key=value` joined by newlines. */
function dataCheckString(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => k !== "hash")
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
}

function webAppHash(fields: Record<string, string>, botToken: string): Buffer {
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  return createHmac("sha256", secret).update(dataCheckString(fields)).digest();
}

/**
 * Signs init data the way Telegram does. Production code never needs this: it exists so tests and
 * local emulators can produce init data that `validateWebAppInitData` accepts.
 */
export function signWebAppInitData(fields: Record<string, string>, botToken: string): string {
  const params = new URLSearchParams(fields);
  params.delete("hash");
  params.set("hash", webAppHash(Object.fromEntries(params), botToken).toString("hex"));
  return params.toString();
}

/**
 * Checks Telegram Mini App init data (`Telegram.WebApp.initData`) as Telegram documents it:
 * HMAC-SHA256 with secret HMAC_SHA256("WebAppData", botToken) over the sorted data-check-string,
 * compared in constant time, and `auth_date` no older than `maxAgeSeconds`. Throws AppError
 * `unauthorized` (reason `telegram_init_data_invalid` or `telegram_init_data_expired`); never
 * trusts any field before the signature is verified.
 */
export function validateWebAppInitData(initData: string, botToken: string, now: Date, maxAgeSeconds = 86_400): WebAppInitData {
  if (!botToken || typeof initData !== "string" || initData.length === 0 || initData.length > 8192) throw invalid();
  const params = new URLSearchParams(initData);
  const fields: Record<string, string> = {};
  for (const [key, value] of params) {
    if (Object.prototype.hasOwnProperty.call(fields, key)) throw invalid();
    fields[key] = value;
  }
  const hash = fields.hash;
  if (!hash || !/^[0-9a-f]{64}$/i.test(hash)) throw invalid();
  const expected = webAppHash(fields, botToken);
  if (!timingSafeEqual(expected, Buffer.from(hash, "hex"))) throw invalid();

  const authDate = Number(fields.auth_date);
  if (!Number.isSafeInteger(authDate) || authDate <= 0) throw invalid();
  const ageSeconds = now.getTime() / 1000 - authDate;
  if (ageSeconds < -MAX_CLOCK_SKEW_SECONDS) throw invalid();
  if (ageSeconds > maxAgeSeconds) {
    throw new AppError("unauthorized", { messageKey: "telegram-initdata-expired", reason: "telegram_init_data_expired" });
  }

  let user: unknown;
  try {
    user = JSON.parse(fields.user ?? "");
  } catch {
    throw invalid();
  }
  if (typeof user !== "object" || user === null || !Number.isSafeInteger((user as { id?: unknown }).id)) throw invalid();
  return { user: user as WebAppUser, authDate: new Date(authDate * 1000), fields };
}

/**
 * Signs a Telegram Mini App in: validates the init data, finds the user bound to that Telegram
 * account (by redeeming an invite in the bot, or `/link`), and issues a session token. An account
 * that never redeemed an invite gets 404 `telegram_account_unknown`: accounts are created only by invites.
 */
export async function loginWithTelegramWebApp(
  deps: Deps,
  initData: string,
  botToken: string,
  opts: { maxAgeSeconds?: number } = {},
): Promise<{ token: string; user: UserView }> {
  const data = validateWebAppInitData(initData, botToken, deps.clock.now(), opts.maxAgeSeconds);
  const actor = await actorByTelegram(deps, data.user.id);
  if (!actor) {
    await writeAudit(deps.db.prisma, deps.clock, { action: "session.telegram_webapp", result: "telegram_account_unknown" });
    throw new AppError("not_found", { messageKey: "telegram-account-unknown", reason: "telegram_account_unknown" });
  }
  const token = await deps.db.prisma.$transaction(async (tx) => {
    const issued = await issueSession(deps, tx, actor.userId, "telegram_webapp");
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "session.telegram_webapp", result: "ok" });
    return issued;
  });
  return { token, user: toUserView(actor) };
}
