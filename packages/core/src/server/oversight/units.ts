import { combineFigures, emptyFigures, FIGURE_KEYS, FIGURES, type Figures } from "../../domain/oversight/figures.ts";
import { hasOversightPeriodStarted, OversightUnitsQuerySchema, parseOversightPeriod, type OversightPeriod } from "../../domain/oversight/period.ts";
import { t, type Locale } from "../../domain/i18n.ts";
import type { UnitType } from "../../domain/units.ts";
import { parseInput } from "../../domain/validation.ts";
import { cstStartOfDay } from "../../domain/time.ts";
import { AppError } from "../errors.ts";
import { requireRole, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import type { FigureSource } from "./sources.ts";
import { checkFigures } from "./source-checks.ts";
import { quizFigures } from "./source-learning.ts";
import { taskFigures, tipFigures } from "./source-duties.ts";
import { entrustedFigures } from "./source-entrusted.ts";
import { reportFigures, reviewFigures } from "./source-reports.ts";

/**
 * Where every oversight figure comes from, one source per group; the order of FIGURES decides the
 * columns. A source may be a placeholder (`collect: null` with a note) while its feature is built.
 */
export const FIGURE_SOURCES: readonly FigureSource[] = [reportFigures, reviewFigures, checkFigures, quizFigures, tipFigures, taskFigures, entrustedFigures];

/** A unit as oversight lists it. */
export interface OversightUnit {
  code: string;
  name: string;
  type: UnitType;
}

/** One unit's figures; a town also carries its villages/communities and their total (its own included). */
export interface OversightRow {
  unit: OversightUnit;
  figures: Figures;
  total?: Figures;
  members?: OversightRow[];
}

/** Figures of every unit for one period, with the notes for figures not available yet. */
export interface OversightUnitsResult {
  period: { code: string; kind: OversightPeriod["kind"]; from: string; to: string };
  rows: OversightRow[];
  district: Figures;
  notes: string[];
}

/** Units that oversee rather than cooperate: listed only when they have figures of their own. */
const OVERSEEING: readonly string[] = ["tax_bureau", "finance_bureau", "supervision_office"];

/** The figures a row is judged by: a town's total, anyone else's own. */
export function rowFigures(row: OversightRow): Figures {
  return row.total ?? row.figures;
}

const hasAny = (f: Figures) => FIGURE_KEYS.some((k) => (f[k] ?? 0) > 0);

/** Reads and checks a period code: invalid -> 400 with the field; not started -> 400 period_not_started. */
export function oversightPeriodOrThrow(deps: Deps, code: unknown, locale: Locale, field = "period"): OversightPeriod {
  const period = typeof code === "string" ? parseOversightPeriod(code) : null;
  if (!period) throw new AppError("invalid_input", { reason: "invalid_period", fields: { [field]: t(locale, field === "quarter" ? "oversight-quarter-format" : "oversight-period-format") } });
  if (!hasOversightPeriodStarted(period, deps.clock.now())) {
    throw new AppError("invalid_input", {
      reason: "period_not_started",
      messageKey: "oversight-period-not-started",
      params: { period: period.code },
      fields: { [field]: t(locale, "oversight-period-not-started", { period: period.code }) },
    });
  }
  return period;
}

/** Collects every source's figures for every unit over one period (no role check: callers do). */
export async function collectFigures(deps: Deps, actor: Principal, period: OversightPeriod): Promise<Map<string, Figures>> {
  const range = { gte: cstStartOfDay(period.from), lt: cstStartOfDay(period.to) };
  const byUnit = new Map<string, Figures>();
  const available = FIGURE_SOURCES.filter((s) => s.collect);
  const results = await Promise.all(available.map((s) => s.collect!({ deps, actor, period, range })));
  const units = await deps.db.prisma.unit.findMany({ select: { id: true } });
  for (const u of units) {
    const f = emptyFigures();
    for (const s of available) for (const k of s.keys) f[k] = 0;
    byUnit.set(u.id, f);
  }
  results.forEach((counts) => {
    for (const [unitId, values] of counts) {
      const f = byUnit.get(unitId);
      if (!f) continue;
      for (const [k, v] of Object.entries(values)) f[k as keyof Figures] = (f[k as keyof Figures] ?? 0) + (v ?? 0);
    }
  });
  // A mean over nobody is unknown, not 0 (a unit where no one finished a quiz has no average).
  const means = FIGURES.filter((s) => typeof s.aggregate === "object");
  for (const f of byUnit.values()) for (const s of means) if (typeof s.aggregate === "object" && f[s.aggregate.meanWeightedBy] === 0) f[s.key] = null;
  return byUnit;
}

/** The notes for the figure groups that are not available yet, in the locale. */
export function pendingFigureNotes(locale: Locale): string[] {
  return FIGURE_SOURCES.flatMap((s) => (s.collect || !s.noteKey ? [] : [t(locale, s.noteKey)]));
}

/**
 * Builds the rows of a period: towns with their villages and communities one by one and summed,
 * every other cooperating unit alone; overseeing bureaus only when they have figures of their own.
 * Deactivated units appear only with figures. Rows are ordered by type then code.
 */
export async function oversightRows(deps: Deps, actor: Principal, period: OversightPeriod, unitCode?: string): Promise<OversightRow[]> {
  const figures = await collectFigures(deps, actor, period);
  const units = await deps.db.prisma.unit.findMany({ select: { id: true, code: true, name: true, type: true, parentId: true, active: true }, orderBy: { code: "asc" } });
  const shown = units.filter((u) => {
    const f = figures.get(u.id)!;
    if (hasAny(f)) return true;
    return u.active && !OVERSEEING.includes(u.type);
  });
  const rowOf = (u: (typeof units)[number]): OversightRow => ({ unit: { code: u.code, name: u.name, type: u.type as UnitType }, figures: figures.get(u.id)! });
  const towns = new Map(units.filter((u) => u.type === "town").map((u) => [u.id, u]));
  const membersOf = new Map<string, OversightRow[]>();
  const top: (typeof units)[number][] = [];
  for (const u of shown) {
    if (u.parentId && towns.has(u.parentId) && u.type !== "town") {
      const list = membersOf.get(u.parentId) ?? [];
      list.push(rowOf(u));
      membersOf.set(u.parentId, list);
    } else top.push(u);
  }
  // A town whose members have figures is shown even when it has none itself.
  for (const id of membersOf.keys()) if (!top.some((u) => u.id === id)) top.push(towns.get(id)!);
  let rows = top.map((u) => {
    const row = rowOf(u);
    if (u.type === "town") {
      row.members = membersOf.get(u.id) ?? [];
      row.total = combineFigures([row.figures, ...row.members.map((m) => m.figures)]);
    }
    return row;
  });
  if (unitCode !== undefined) {
    const unit = units.find((u) => u.code === unitCode);
    if (!unit) throw new AppError("not_found", { messageKey: "unit-unknown", reason: "unit_unknown" });
    const asTop = rows.find((r) => r.unit.code === unitCode);
    const asMember = rows.flatMap((r) => r.members ?? []).find((r) => r.unit.code === unitCode);
    rows = [asTop ?? asMember ?? rowOf(unit)];
  }
  const typeOrder = (type: string) => ["town", "village", "community"].indexOf(type) >>> 0;
  return rows.sort((a, b) => typeOrder(a.unit.type) - typeOrder(b.unit.type) || a.unit.type.localeCompare(b.unit.type) || a.unit.code.localeCompare(b.unit.code));
}

/**
 * Per unit and period (month 2026-11, quarter 2026Q4, year 2026): reports on time / late / overdue,
 * missing feeds, review outcomes, clearance checks and those without clearance, quiz participation
 * and average score, tips assigned and concluded in time, open meeting tasks. `unit` narrows to one unit (a town with its members;
 * unknown -> 404). A period that has not started -> 400. Coordinators, admins and tax officers (who
 * only read); everyone else 403.
 */
export async function oversightUnits(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<OversightUnitsResult> {
  requireRole(actor, "coordinator", "admin", "tax_officer");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(OversightUnitsQuerySchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const period = oversightPeriodOrThrow(deps, parsed.data.period, locale);
  const rows = await oversightRows(deps, actor, period, parsed.data.unit);
  return {
    period: { code: period.code, kind: period.kind, from: period.from, to: period.to },
    rows,
    district: combineFigures(rows.map(rowFigures)),
    notes: pendingFigureNotes(locale),
  };
}
