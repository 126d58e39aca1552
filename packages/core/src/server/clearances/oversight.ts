import { addDays, cstDate, cstStartOfDay, isCalendarDate } from "../../domain/time.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { CHECK_AUDIT_ACTION } from "./fast-store.ts";

/** One clearance check as coordinators see it (from the audit log; no names of taxpayers). */
export interface CheckLogEntry {
  at: string;
  user: { id: string | null; name: string | null };
  unit: { code: string | null; name: string | null };
  kind: string | null;
  key: string | null;
  result: string;
}

function dayRange(day: string): { gte: Date; lt: Date } {
  if (!isCalendarDate(day)) throw new AppError("invalid_input", { reason: "invalid_day", fields: { day: "YYYY-MM-DD" } });
  return { gte: cstStartOfDay(day), lt: cstStartOfDay(addDays(day, 1)) };
}

async function unitIdOf(deps: Deps, code: string): Promise<string> {
  const unit = await deps.db.prisma.unit.findUnique({ where: { code } });
  if (!unit) throw new AppError("not_found", { messageKey: "unit-unknown", reason: "unit_unknown" });
  return unit.id;
}

/**
 * Clearance checks, newest first, filtered by user id, unit code and CST day. For oversight:
 * coordinators and tax officers only. Reads the audit rows the check writes; at most `limit` (500).
 */
export async function listChecks(
  deps: Deps,
  actor: Actor | null,
  filter: { user?: string; unit?: string; day?: string; limit?: number } = {},
): Promise<CheckLogEntry[]> {
  requireRole(actor, "coordinator", "tax_officer");
  const where = {
    action: CHECK_AUDIT_ACTION,
    ...(filter.user ? { userId: filter.user } : {}),
    ...(filter.unit ? { unitId: await unitIdOf(deps, filter.unit) } : {}),
    ...(filter.day ? { at: dayRange(filter.day) } : {}),
  };
  const rows = await deps.db.prisma.auditLog.findMany({ where, orderBy: { at: "desc" }, take: Math.min(Math.max(filter.limit ?? 500, 1), 500) });
  const userIds = [...new Set(rows.flatMap((r) => (r.userId ? [r.userId] : [])))];
  const unitIds = [...new Set(rows.flatMap((r) => (r.unitId ? [r.unitId] : [])))];
  const users = new Map((await deps.db.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const units = new Map((await deps.db.prisma.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, code: true, name: true } })).map((u) => [u.id, u]));
  return rows.map((r) => {
    const [kind, ...key] = r.subject?.split(":") ?? [];
    const unit = r.unitId ? units.get(r.unitId) : undefined;
    return {
      at: r.at.toISOString(),
      user: { id: r.userId, name: r.userId ? (users.get(r.userId) ?? null) : null },
      unit: { code: unit?.code ?? null, name: unit?.name ?? null },
      kind: kind ?? null,
      key: key.length ? key.join(":") : null,
      result: r.result,
    };
  });
}

/** A user who checked far more than their peers in the window. */
export interface UnusualChecker {
  userId: string;
  name: string | null;
  unit: { code: string | null; name: string | null };
  checks: number;
  /** checks divided by the median of all users who checked */
  ratio: number;
}

/**
 * Users whose checks in the last `days` CST days (default 7, ending today) exceed both `factor`
 * times the median of everyone who checked (default 3x) and `minChecks` (default 50): a pattern
 * worth a question (data harvesting, a shared account), not proof of anything. Coordinators and
 * tax officers only.
 */
export async function unusualCheckers(
  deps: Deps,
  actor: Actor | null,
  opts: { days?: number; factor?: number; minChecks?: number } = {},
): Promise<{ from: string; to: string; median: number; users: UnusualChecker[] }> {
  requireRole(actor, "coordinator", "tax_officer");
  const days = Math.min(Math.max(Math.trunc(opts.days ?? 7), 1), 366);
  const factor = opts.factor ?? 3;
  const minChecks = opts.minChecks ?? 50;
  const to = cstDate(deps.clock.now());
  const from = addDays(to, -(days - 1));
  const groups = await deps.db.prisma.auditLog.groupBy({
    by: ["userId"],
    where: { action: CHECK_AUDIT_ACTION, userId: { not: null }, at: { gte: cstStartOfDay(from), lt: cstStartOfDay(addDays(to, 1)) } },
    _count: { _all: true },
  });
  const counts = groups.map((g) => ({ userId: g.userId!, checks: g._count._all })).sort((a, b) => a.checks - b.checks);
  if (counts.length === 0) return { from, to, median: 0, users: [] };
  const mid = Math.floor(counts.length / 2);
  const median = counts.length % 2 ? counts[mid]!.checks : (counts[mid - 1]!.checks + counts[mid]!.checks) / 2;
  const flagged = counts.filter((c) => c.checks > factor * median && c.checks > minChecks).reverse();
  const users = await deps.db.prisma.user.findMany({ where: { id: { in: flagged.map((f) => f.userId) } }, include: { unit: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  return {
    from,
    to,
    median,
    users: flagged.map((f) => {
      const u = byId.get(f.userId);
      return { userId: f.userId, name: u?.name ?? null, unit: { code: u?.unit.code ?? null, name: u?.unit.name ?? null }, checks: f.checks, ratio: median ? Math.round((f.checks / median) * 10) / 10 : 0 };
    }),
  };
}
