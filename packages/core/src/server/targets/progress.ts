import { parseOversightPeriod, type OversightPeriod } from "../../domain/oversight/period.ts";
import { LOCAL_TAXES, shareOf, targetStatus, TargetProgressQuerySchema, type LocalTax, type TargetStatus } from "../../domain/targets/index.ts";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { requireRole, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";

/**
 * Progress of one tax against its target. Money is fen as decimal strings (exact, and JSON-safe:
 * bigint does not serialise). `share` = actual / target (0..1 and above), null without a target.
 */
export interface TargetProgressLine {
  tax: LocalTax;
  targetFen: string | null;
  /** collected from January up to `through` */
  actualFen: string;
  /** collected in the quarter's months up to `through` (targetProgressForQuarter only) */
  quarterFen?: string;
  share: number | null;
  status: TargetStatus;
}

/** One town's four taxes. */
export interface TownTargetProgress {
  unit: { code: string; name: string };
  taxes: TargetProgressLine[];
}

/**
 * The progress view of a year: every town's four taxes and the district's total per tax (targets of
 * the towns that have one, actuals of every town). `through` is the last month counted: `asOf`, or
 * the latest month with imported actuals (the tax bureau's figures arrive with a lag, so comparing
 * with the calendar would make every town look behind until the import lands); `yearShare` =
 * months counted / 12. `noTargets`: no town has a target this year; `empty`: no town at all.
 */
export interface TargetProgress {
  year: number;
  through: string | null;
  monthsElapsed: number;
  yearShare: number;
  towns: TownTargetProgress[];
  district: TargetProgressLine[];
  empty: boolean;
  noTargets: boolean;
}

/** The pack's view: the year to date at the quarter's end and the quarter's own actuals (`quarterFen`). */
export interface QuarterTargetProgress extends TargetProgress {
  quarter: string;
  quarterMonths: string[];
}

const line = (tax: LocalTax, target: bigint | null, actual: bigint, yearShare: number, quarter?: bigint): TargetProgressLine => ({
  tax,
  targetFen: target === null ? null : target.toString(),
  actualFen: actual.toString(),
  ...(quarter === undefined ? {} : { quarterFen: quarter.toString() }),
  share: shareOf(actual, target),
  status: targetStatus(target, actual, yearShare),
});

async function compute(deps: Deps, year: number, opts: { asOf?: string; limit: string; quarterMonths?: string[] }): Promise<TargetProgress> {
  const { prisma } = deps.db;
  const first = `${year}-01`;
  const latest = opts.asOf
    ? null
    : await prisma.taxActual.findFirst({ where: { month: { gte: first, lte: opts.limit } }, orderBy: { month: "desc" }, select: { month: true } });
  const through = opts.asOf ?? latest?.month ?? null;
  const [targets, actuals] = await Promise.all([
    prisma.taxTarget.findMany({ where: { year } }),
    through ? prisma.taxActual.findMany({ where: { month: { gte: first, lte: through } } }) : Promise.resolve([]),
  ]);
  const unitIds = new Set([...targets.map((r) => r.unitId), ...actuals.map((r) => r.unitId)]);
  const towns = await prisma.unit.findMany({
    where: { type: "town", OR: [{ active: true }, { id: { in: [...unitIds] } }] },
    select: { id: true, code: true, name: true },
    orderBy: { code: "asc" },
  });
  const monthsElapsed = through ? Number(through.slice(5, 7)) : 0;
  const yearShare = monthsElapsed / 12;
  const key = (unitId: string, tax: string) => `${unitId}|${tax}`;
  const target = new Map(targets.map((r) => [key(r.unitId, r.tax), r.amountFen]));
  const actual = new Map<string, bigint>();
  const inQuarter = new Map<string, bigint>();
  const quarterMonths = new Set(opts.quarterMonths ?? []);
  for (const r of actuals) {
    const k = key(r.unitId, r.tax);
    actual.set(k, (actual.get(k) ?? 0n) + r.amountFen);
    if (quarterMonths.has(r.month)) inQuarter.set(k, (inQuarter.get(k) ?? 0n) + r.amountFen);
  }
  const quarter = (k: string) => (opts.quarterMonths ? (inQuarter.get(k) ?? 0n) : undefined);
  const townLines = towns.map((u) => ({
    unit: { code: u.code, name: u.name },
    taxes: LOCAL_TAXES.map((tax) => {
      const k = key(u.id, tax);
      return line(tax, target.get(k) ?? null, actual.get(k) ?? 0n, yearShare, quarter(k));
    }),
  }));
  const townIds = new Set(towns.map((u) => u.id));
  const district = LOCAL_TAXES.map((tax) => {
    let tgt: bigint | null = null;
    let act = 0n;
    let q = 0n;
    for (const id of townIds) {
      const k = key(id, tax);
      const v = target.get(k);
      if (v !== undefined) tgt = (tgt ?? 0n) + v;
      act += actual.get(k) ?? 0n;
      q += inQuarter.get(k) ?? 0n;
    }
    return line(tax, tgt, act, yearShare, opts.quarterMonths ? q : undefined);
  });
  return { year, through, monthsElapsed, yearShare, towns: townLines, district, empty: towns.length === 0, noTargets: targets.length === 0 };
}

/**
 * Progress against the yearly targets (`{ year: 2026, asOf?: "2026-11" }`): per town and tax the
 * target, the actual year to date, the share of target, and a status against the share of the year
 * (see TARGET_STATUSES: behind = more than 10 points below it); towns without a target read
 * `no_target`; plus the district total per tax. A bad year or an asOf outside it -> 400 with the field.
 * Coordinators, tax officers and admins.
 */
export async function targetProgress(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<TargetProgress> {
  requireRole(actor, "coordinator", "tax_officer", "admin");
  const parsed = parseInput(TargetProgressQuerySchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  return compute(deps, parsed.data.year, { ...(parsed.data.asOf ? { asOf: parsed.data.asOf } : {}), limit: `${parsed.data.year}-12` });
}

/**
 * The quarterly pack's view of the targets for a quarter ("2026Q4" or a parsed period): the year to
 * date at the quarter's end (up to the latest imported month inside it) and each town's actuals in
 * the quarter's own months. Coordinators, tax officers and admins (the pack's readers).
 */
export async function targetProgressForQuarter(deps: Deps, actor: Principal | null, quarter: string | OversightPeriod, opts: { locale?: Locale } = {}): Promise<QuarterTargetProgress> {
  requireRole(actor, "coordinator", "tax_officer", "admin");
  const period = typeof quarter === "string" ? parseOversightPeriod(quarter) : quarter;
  if (!period || period.kind !== "quarter") {
    const locale = opts.locale ?? DEFAULT_LOCALE;
    throw new AppError("invalid_input", { messageKey: "oversight-quarter-format", fields: { quarter: t(locale, "oversight-quarter-format") } });
  }
  const year = Number(period.from.slice(0, 4));
  const progress = await compute(deps, year, { limit: period.months[period.months.length - 1]!, quarterMonths: period.months });
  return { ...progress, quarter: period.code, quarterMonths: period.months };
}
