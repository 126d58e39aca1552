import { combineFigures, FIGURES, onTimeRate, type Figures } from "../../domain/oversight/figures.ts";
import { previousOversightPeriod, QuarterlyPackQuerySchema, type OversightPeriod } from "../../domain/oversight/period.ts";
import { t, type Locale } from "../../domain/i18n.ts";
import { addDays, formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { requireRole, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { targetProgressForQuarter, type QuarterTargetProgress } from "../targets/progress.ts";
import { accountabilityListFor, type AccountabilityList } from "../escalation/accountability.ts";
import { oversightPeriodOrThrow, oversightRows, pendingFigureNotes, rowFigures, type OversightRow, type OversightUnit } from "./units.ts";

/** A unit whose on-time rate moved by at least this much (0..1) is named as improved or behind. */
export const PACK_CHANGE_THRESHOLD = 0.1;

/** One unit named in the comparison with the previous quarter. */
export interface PackChange {
  unit: OversightUnit;
  /** on-time rates 0..1 */
  before: number;
  after: number;
}

/** One line of the pack's overview: a figure this quarter and last. */
export interface PackFigureLine {
  key: string;
  label: string;
  value: number | null;
  previous: number | null;
}

/**
 * Everything the quarterly meeting pack says, computed once and rendered as XLSX, HTML and PDF
 * (and shown by the mini-app): the district's figures this quarter and last, every unit's, the
 * units that improved and fell behind, and the notes. `empty` = no cooperating unit registered.
 */
export interface QuarterlyPack {
  locale: Locale;
  quarter: string;
  previousQuarter: string;
  from: string;
  /** last day, inclusive */
  to: string;
  generatedAt: string;
  empty: boolean;
  noActivity: boolean;
  overview: PackFigureLine[];
  rows: OversightRow[];
  /** previous quarter's figures by unit code (judged figures: a town's total) */
  previous: Record<string, Figures>;
  improved: PackChange[];
  behind: PackChange[];
  notes: string[];
  /** 地方留成税收目标完成情况: the year to date at the quarter's end and the quarter's actuals (see targetProgressForQuarter). */
  targets?: QuarterTargetProgress;
  /** 责任追究: the duties units were late on during the quarter and the reminders sent (accountabilityListFor). */
  accountability?: AccountabilityList;
}

function flatten(rows: OversightRow[]): OversightRow[] {
  return rows.flatMap((r) => [r, ...(r.members ?? [])]);
}

const activity = (f: Figures) => FIGURES.some((s) => (f[s.key] ?? 0) > 0);

/** Builds the pack's content for a started quarter (no role check: callers do). */
export async function quarterlyPackFor(deps: Deps, actor: Principal, quarter: OversightPeriod, locale: Locale): Promise<QuarterlyPack> {
  const prevPeriod = previousOversightPeriod(quarter);
  const [rows, prevRows, targets, accountability] = await Promise.all([
    oversightRows(deps, actor, quarter),
    oversightRows(deps, actor, prevPeriod),
    targetProgressForQuarter(deps, actor, quarter, { locale }),
    accountabilityListFor(deps, quarter, locale),
  ]);
  const district = combineFigures(rows.map(rowFigures));
  const prevDistrict = combineFigures(prevRows.map(rowFigures));
  const previous: Record<string, Figures> = {};
  for (const r of flatten(prevRows)) previous[r.unit.code] = rowFigures(r);
  const improved: PackChange[] = [];
  const behind: PackChange[] = [];
  for (const r of flatten(rows)) {
    const after = onTimeRate(rowFigures(r));
    const prev = previous[r.unit.code];
    const before = prev ? onTimeRate(prev) : null;
    if (after === null || before === null) continue;
    if (after - before >= PACK_CHANGE_THRESHOLD - 1e-9) improved.push({ unit: r.unit, before, after });
    else if (before - after >= PACK_CHANGE_THRESHOLD - 1e-9) behind.push({ unit: r.unit, before, after });
  }
  improved.sort((a, b) => b.after - b.before - (a.after - a.before) || a.unit.code.localeCompare(b.unit.code));
  behind.sort((a, b) => a.after - a.before - (b.after - b.before) || a.unit.code.localeCompare(b.unit.code));
  return {
    locale,
    quarter: quarter.code,
    previousQuarter: prevPeriod.code,
    from: quarter.from,
    to: addDays(quarter.to, -1),
    generatedAt: formatCst(deps.clock.now()),
    empty: rows.length === 0,
    noActivity: rows.length > 0 && !activity(district),
    overview: FIGURES.map((s) => ({ key: s.key, label: t(locale, s.labelKey), value: district[s.key], previous: prevDistrict[s.key] })),
    rows,
    previous,
    improved,
    behind,
    notes: [t(locale, "oversight-pack-rule"), ...pendingFigureNotes(locale)],
    targets,
    accountability,
  };
}

/**
 * The quarterly meeting pack's content (`{ quarter: "2026Q4" }`): a bad quarter or one that has not
 * started -> 400 with the field. Coordinators, admins and tax officers (read only).
 */
export async function quarterlyPack(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<QuarterlyPack> {
  requireRole(actor, "coordinator", "admin", "tax_officer");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(QuarterlyPackQuerySchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const quarter = oversightPeriodOrThrow(deps, parsed.data.quarter, locale, "quarter");
  return quarterlyPackFor(deps, actor, quarter, locale);
}
