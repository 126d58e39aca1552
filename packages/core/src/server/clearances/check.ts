import { ClearanceCheckSchema, type ClearanceCheck } from "../../domain/schemas/clearances.ts";
import {
  classifyClearanceKey,
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
import type { Actor } from "../identity/actor.ts";
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
 * The common body, exactly `{ kind, key }` with a known kind and a string key of at most 100
 * characters, validated and normalised by the same classifyClearanceKey that ClearanceCheckSchema's
 * transform calls, without zod's object walk (6% of a check's CPU in the profile). Anything else
 * (`taxes`, extra fields, wrong types, a key that does not classify) returns null and goes through
 * the schema, which gives the exact localised errors; the results are identical (clearances.test.ts).
 */
export function quickCheckInput(input: unknown): ClearanceCheck | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return null;
  const body = input as Record<string, unknown>;
  if (Object.keys(body).length !== 2 || !Object.hasOwn(body, "kind") || !Object.hasOwn(body, "key")) return null;
  const { kind, key } = body;
  if ((kind !== "vehicle_vessel" && kind !== "property_transfer") || typeof key !== "string" || key.length > 100) return null;
  const result = classifyClearanceKey(kind, key);
  return result.ok ? { kind, key: result.key, keyType: result.keyType } : null;
}

/**
 * Checks a vehicle's tax clearance for this year and last (CST), or a property transfer's taxes.
 * Callers: `POST /api/v1/clearances/check`, the bot's /check, the mini-app (through the API).
 * What must stay true:
 * - only `checker`s may check (403 otherwise); the per-user hourly limit applies (429, 0 = off)
 *   however the checks arrive: a pipelined burst, concurrent requests, the bot and the API at once,
 *   several processes (it is counted in the database, atomically with the audit row);
 * - EVERY attempt, allowed or not, leaves one AuditLog row (`clearance.check`: who, unit, when,
 *   key, result); the taxpayer's ID number never leaves the database and names are masked;
 * - the whole path runs on prepared statements (fast-store.ts, fast-store-pg.ts), no Prisma: it is the hot path
 *   benchmarked at 10,000 checks/s.
 */
export async function checkClearance(deps: Deps, actor: Actor | null, input: unknown, opts: CheckClearanceOptions): Promise<ClearanceCheckResult> {
  if (!actor) throw new AppError("unauthorized");
  const store = clearanceStore(deps.db);
  const now = deps.clock.now();

  if (!actor.roles.includes("checker")) {
    await store.insertCheckAudit(auditEntry(actor, now, null, "denied", kindDetail(input)));
    throw new AppError("forbidden", { reason: "role_required" });
  }
  // The limit is decided twice: here, cheaply (committed rows plus this process's queued ones, no
  // lookup for a refused attempt), and for good when the audit row commits (insertCheckAudit
  // admits `limit`-bearing rows under the write lock, so other processes' checks count too).
  const limit = opts.rateLimitPerHour > 0 ? opts.rateLimitPerHour : 0;
  // A synchronous answer (SQLite) is used as it is: `await` of a plain value still yields a turn,
  // which would let every check of a burst count before any of them queued its audit row.
  const counted = limit > 0 ? store.countChecksSince(actor.userId, new Date(now.getTime() - HOUR_MS)) : 0;
  if (limit > 0 && (typeof counted === "number" ? counted : await counted) >= limit) {
    await store.insertCheckAudit(auditEntry(actor, now, null, "rate_limited", kindDetail(input)));
    throw rateLimited(limit);
  }
  let data = quickCheckInput(input);
  if (!data) {
    const parsed = parseInput(ClearanceCheckSchema, input, opts.locale ?? DEFAULT_LOCALE);
    if (!parsed.ok) {
      const refused = auditEntry(actor, now, null, "invalid", kindDetail(input), limit);
      await store.insertCheckAudit(refused);
      if (refused.result === "rate_limited") throw rateLimited(limit);
      throw new AppError("invalid_input", { fields: parsed.fields, reason: "invalid_clearance_check" });
    }
    data = parsed.data;
  }
  const { kind: checkKind, key, keyType, taxes } = data;
  let results: ClearanceCheckResult["results"];
  if (checkKind === "vehicle_vessel") {
    const year = cstYear(now);
    const since = `${year - 1}-01-01`;
    const found = keyType === "plate" ? store.vehicleRowsByPlate(key, since) : store.vehicleRowsByVin(key, since);
    const rows = Array.isArray(found) ? found : await found;
    results = vehicleClearanceResults(rows, year);
  } else {
    const found = store.propertyRows(key);
    results = propertyClearanceResults(Array.isArray(found) ? found : await found, taxes);
  }
  const cleared = isCleared(results);
  // The audit detail: per result its year or tax, status and certificate number (no names).
  const summary: Record<string, unknown>[] = [];
  for (const r of results) {
    const item: Record<string, unknown> = "year" in r ? { year: r.year, status: r.status } : { tax: r.tax, status: r.status };
    if (r.certificateNo) item.certificateNo = r.certificateNo;
    summary.push(item);
  }
  const entry = auditEntry(actor, now, `${checkKind}:${key}`, cleared ? "cleared" : "missing", { keyType, results: summary }, limit);
  await store.insertCheckAudit(entry);
  if (entry.result === "rate_limited") throw rateLimited(limit);
  return { kind: checkKind as ClearanceKind, key, keyType, cleared, results };
}

function rateLimited(limit: number): AppError {
  return new AppError("rate_limited", { messageKey: "clearance-rate-limited", params: { limit }, reason: "check_rate_limited" });
}

/** The `kind` of a refused body, when it is a short string, for the audit row. */
function kindDetail(input: unknown): { kind: string } | null {
  const kind = (input as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" && kind.length <= 40 ? { kind } : null;
}

function auditEntry(actor: Actor, at: Date, subject: string | null, result: string, detail: Record<string, unknown> | null, limit = 0): CheckAuditEntry {
  const entry: CheckAuditEntry = { at, userId: actor.userId, unitId: actor.unitId, subject, result, detail: detail ? JSON.stringify(detail) : null };
  if (limit > 0) entry.limit = limit;
  return entry;
}
