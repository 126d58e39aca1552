import { ClearanceCheckSchema } from "../../domain/schemas/clearances.ts";
import {
  isCleared,
  propertyClearanceResults,
  vehicleClearanceResults,
  type ClearanceCheckResult,
  type ClearanceKind,
} from "../../domain/clearance.ts";
import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { cstYear } from "../../domain/time.ts";
import { AppError } from "../errors.ts";
import type { Actor } from "../hot-path.ts";
import type { Deps } from "../deps.ts";
import { clearanceStore, type CheckAuditEntry } from "./fast-store.ts";

/** Default of CHECK_RATE_LIMIT_PER_HOUR (DESIGN.md). */
export const DEFAULT_CHECK_RATE_LIMIT_PER_HOUR = 120;

/** Options of a check: the per-user hourly limit (0 = off) and the language of error messages. */
export interface CheckClearanceOptions {
  rateLimitPerHour: number;
  locale?: Locale;
}

const HOUR_MS = 3_600_000;

/**
 * Checks a vehicle's tax clearance for this year and last (CST), or a property transfer's taxes.
 * Callers: `POST /api/v1/clearances/check`, the bot's /check, the mini-app (through the API).
 * What must stay true:
 * - only `checker`s may check (403 otherwise); the per-user hourly limit applies (429, 0 = off);
 * - EVERY attempt, allowed or not, leaves one AuditLog row (`clearance.check`: who, unit, when,
 *   key, result); the taxpayer's ID number never leaves the database and names are masked;
 * - the whole path runs on prepared statements (fast-store.ts), no Prisma: it is the hot path
 *   benchmarked at 10,000 checks/s.
 */
export async function checkClearance(deps: Deps, actor: Actor | null, input: unknown, opts: CheckClearanceOptions): Promise<ClearanceCheckResult> {
  if (!actor) throw new AppError("unauthorized");
  const store = clearanceStore(deps.db.sqlite);
  const now = deps.clock.now();
  const audit = (subject: string | null, result: string, detail: Record<string, unknown> | null): Promise<void> => {
    const entry: CheckAuditEntry = { at: now, userId: actor.userId, unitId: actor.unitId, subject, result, detail: detail ? JSON.stringify(detail) : null };
    return store.insertCheckAudit(entry);
  };
  const kind = (input as { kind?: unknown } | null)?.kind;
  const kindDetail = typeof kind === "string" && kind.length <= 40 ? { kind } : null;

  if (!actor.roles.includes("checker")) {
    await audit(null, "denied", kindDetail);
    throw new AppError("forbidden", { reason: "role_required" });
  }
  const limit = opts.rateLimitPerHour;
  if (limit > 0 && store.countChecksSince(actor.userId, new Date(now.getTime() - HOUR_MS)) >= limit) {
    await audit(null, "rate_limited", kindDetail);
    throw new AppError("rate_limited", { messageKey: "clearance-rate-limited", params: { limit }, reason: "check_rate_limited" });
  }
  const parsed = parseInput(ClearanceCheckSchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) {
    await audit(null, "invalid", kindDetail);
    throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_clearance_check" });
  }
  const { kind: checkKind, key, keyType, taxes } = parsed.data;
  let results: ClearanceCheckResult["results"];
  if (checkKind === "vehicle_vessel") {
    const year = cstYear(now);
    const since = `${year - 1}-01-01`;
    const rows = keyType === "plate" ? store.vehicleRowsByPlate(key, since) : store.vehicleRowsByVin(key, since);
    results = vehicleClearanceResults(rows, year);
  } else {
    results = propertyClearanceResults(store.propertyRows(key), taxes);
  }
  const cleared = isCleared(results);
  await audit(`${checkKind}:${key}`, cleared ? "cleared" : "missing", {
    keyType,
    results: results.map((r) => ({ ...("year" in r ? { year: r.year } : { tax: r.tax }), status: r.status, ...(r.certificateNo ? { certificateNo: r.certificateNo } : {}) })),
  });
  return { kind: checkKind as ClearanceKind, key, keyType, cleared, results };
}
