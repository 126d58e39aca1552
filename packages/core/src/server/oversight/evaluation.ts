import ExcelJS from "exceljs";
import {
  DEFAULT_EVALUATION_WEIGHTS,
  EVALUATION_CRITERIA,
  EvaluationAdjustmentSchema,
  EvaluationEvidenceQuerySchema,
  EvaluationQuerySchema,
  EvaluationWeightsInputSchema,
  weightsTotal,
  type EvaluationCriterion,
  type EvaluationWeights,
} from "../../domain/oversight/evaluation.ts";
import type { Figures } from "../../domain/oversight/figures.ts";
import { parseOversightPeriod } from "../../domain/oversight/period.ts";
import { t, type Locale, type MessageKey } from "../../domain/i18n.ts";
import { getReportType } from "../../domain/reports/registry.ts";
import { cstDate, cstStartOfDay, formatCst } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { writeAudit } from "../audit.ts";
import { CHECK_AUDIT_ACTION } from "../clearances/fast-store.ts";
import { AppError } from "../errors.ts";
import { isSystemActor, requireRole, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { missingFeeds } from "../reports/feeds.ts";
import { oversightRows, rowFigures, type OversightRow, type OversightUnit } from "./units.ts";

/** One unit's annual score: points per criterion (null = not scored yet), adjustments, total and rank. */
export interface EvaluationRow {
  rank: number;
  unit: OversightUnit;
  /** the town's name for a village or community */
  town: string | null;
  points: Record<EvaluationCriterion, number | null>;
  adjustment: number;
  total: number;
  /** points the available criteria could give */
  max: number;
}

/** A recorded adjustment, as listed with the evaluation. */
export interface EvaluationAdjustmentView {
  id: string;
  unit: OversightUnit;
  points: number;
  reason: string;
  by: string | null;
  at: string;
}

/** A person with outstanding contributions in the year (a candidate for commendation). */
export interface CommendationCandidate {
  name: string;
  unit: string;
  acceptedReports: number;
  checks: number;
}

/** The evaluation of one year. */
export interface AnnualEvaluation {
  year: number;
  weights: EvaluationWeights;
  /** whether the weights are the coordinator's or the defaults */
  weightsSet: boolean;
  rows: EvaluationRow[];
  adjustments: EvaluationAdjustmentView[];
  candidates: CommendationCandidate[];
  rules: { criterion: EvaluationCriterion; label: string; weight: number; rule: string }[];
}

const SCORED_LATER: readonly EvaluationCriterion[] = ["training", "cooperation"];

function yearOrThrow(deps: Deps, year: number, locale: Locale) {
  const period = parseOversightPeriod(String(year))!;
  if (cstDate(deps.clock.now()) < period.from) {
    throw new AppError("invalid_input", { reason: "period_not_started", messageKey: "oversight-period-not-started", params: { period: String(year) }, fields: { year: t(locale, "oversight-period-not-started", { period: String(year) }) } });
  }
  return period;
}

/** The weights of a year: the coordinator's, or the defaults. */
export async function evaluationWeights(deps: Deps, year: number): Promise<{ weights: EvaluationWeights; set: boolean }> {
  const row = await deps.db.prisma.evaluationConfig.findUnique({ where: { year } });
  return row ? { weights: { ...DEFAULT_EVALUATION_WEIGHTS, ...(JSON.parse(row.weights) as EvaluationWeights) }, set: true } : { weights: DEFAULT_EVALUATION_WEIGHTS, set: false };
}

/**
 * Sets a year's points per criterion (`{ year, weights }`). Every criterion is required, whole points,
 * and the sum must be exactly 100, else 400 with the actual sum at `weights`. Audited. Coordinators
 * and admins (and the operator).
 */
export async function setEvaluationWeights(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<EvaluationWeights> {
  requireRole(actor, "coordinator", "admin");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(EvaluationWeightsInputSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const total = weightsTotal(parsed.data.weights);
  if (total !== 100) throw new AppError("invalid_input", { reason: "weights_sum", fields: { weights: t(locale, "evaluation-weights-sum", { total }) } });
  const { year, weights } = parsed.data;
  await deps.db.prisma.$transaction(async (tx) => {
    const data = { weights: JSON.stringify(weights), updatedAt: deps.clock.now(), updatedById: isSystemActor(actor) ? null : actor.userId };
    await tx.evaluationConfig.upsert({ where: { year }, create: { year, ...data }, update: data });
    await writeAudit(tx, deps.clock, { actor, action: "evaluation.weights", subject: `year:${year}`, result: "ok", detail: { weights } });
  });
  return weights;
}

/**
 * Records a manual adjustment of a unit's score (`{ year, unit, points, reason }`): a reason is
 * required, points are whole, -20..20 and not 0; an unknown unit -> 404. Written with its audit row
 * in one transaction. Coordinators only (and the operator): the evaluation is theirs.
 */
export async function addEvaluationAdjustment(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<EvaluationAdjustmentView> {
  requireRole(actor, "coordinator");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(EvaluationAdjustmentSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const { year, unit: code, points, reason } = parsed.data;
  yearOrThrow(deps, year, locale);
  const unit = await deps.db.prisma.unit.findUnique({ where: { code } });
  if (!unit) throw new AppError("not_found", { messageKey: "unit-unknown", reason: "unit_unknown", fields: { unit: t(locale, "unit-unknown") } });
  const by = isSystemActor(actor) ? null : actor.userId;
  const row = await deps.db.prisma.$transaction(async (tx) => {
    const created = await tx.evaluationAdjustment.create({ data: { year, unitId: unit.id, points, reason, createdById: by, createdAt: deps.clock.now() } });
    await writeAudit(tx, deps.clock, { actor, action: "evaluation.adjust", subject: `unit:${code}`, result: "ok", detail: { year, points, reason } });
    return created;
  });
  return { id: row.id, unit: { code: unit.code, name: unit.name, type: unit.type as OversightUnit["type"] }, points, reason, by: isSystemActor(actor) ? null : actor.name, at: formatCst(row.createdAt) };
}

function scoreOf(f: Figures, weights: EvaluationWeights, staffed: boolean): Record<EvaluationCriterion, number | null> {
  const filed = (f.onTime ?? 0) + (f.late ?? 0);
  const due = filed + (f.overdue ?? 0);
  const reviewed = (f.accepted ?? 0) + (f.returned ?? 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    organisation: staffed ? weights.organisation : 0,
    timeliness: round(filed ? (weights.timeliness * (f.onTime ?? 0)) / filed : due ? 0 : weights.timeliness),
    completeness: round(due ? (weights.completeness * filed) / due : weights.completeness),
    accuracy: round(reviewed ? (weights.accuracy * (f.accepted ?? 0)) / reviewed : weights.accuracy),
    training: null,
    cooperation: null,
  };
}

/**
 * The evaluation of a year (`{ year }`): every cooperating unit (a town by its total, its villages and
 * communities each on their own) scored by the year's weights under the documented rules, plus the
 * coordinator's adjustments, ranked (ties share a rank); the adjustments with their reasons; and
 * people with outstanding contributions (accepted reports, checks) as commendation candidates.
 * Criteria whose feature is not built score null ("—") and are left out of `max`. Coordinators,
 * admins, tax officers (read).
 */
export async function annualEvaluation(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<AnnualEvaluation> {
  requireRole(actor, "coordinator", "admin", "tax_officer");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(EvaluationQuerySchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const year = parsed.data.year;
  const period = yearOrThrow(deps, year, locale);
  const [{ weights, set }, rows, units, staffedRows, adjustments] = await Promise.all([
    evaluationWeights(deps, year),
    oversightRows(deps, actor, period),
    deps.db.prisma.unit.findMany({ select: { id: true, code: true, name: true, type: true } }),
    deps.db.prisma.user.findMany({ where: { active: true, roles: { some: { role: { in: ["reporter", "checker"] } } } }, select: { unitId: true } }),
    deps.db.prisma.evaluationAdjustment.findMany({ where: { year }, orderBy: { createdAt: "asc" } }),
  ]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const idByCode = new Map(units.map((u) => [u.code, u.id]));
  const staffed = new Set(staffedRows.map((s) => s.unitId));
  const adjustBy = new Map<string, number>();
  for (const a of adjustments) adjustBy.set(a.unitId, (adjustBy.get(a.unitId) ?? 0) + a.points);
  const available = EVALUATION_CRITERIA.filter((c) => !SCORED_LATER.includes(c));
  const max = available.reduce((s, c) => s + weights[c], 0);
  const flat: { row: OversightRow; town: string | null; staffed: boolean }[] = [];
  for (const r of rows) {
    const ids = [r, ...(r.members ?? [])].map((x) => idByCode.get(x.unit.code)!);
    flat.push({ row: r, town: null, staffed: ids.some((id) => staffed.has(id)) });
    for (const m of r.members ?? []) flat.push({ row: m, town: r.unit.name, staffed: staffed.has(idByCode.get(m.unit.code)!) });
  }
  const scored = flat.map(({ row, town, staffed: s }) => {
    const points = scoreOf(rowFigures(row), weights, s);
    const adjustment = adjustBy.get(idByCode.get(row.unit.code)!) ?? 0;
    const total = Math.round((available.reduce((sum, c) => sum + (points[c] ?? 0), 0) + adjustment) * 10) / 10;
    return { rank: 0, unit: row.unit, town, points, adjustment, total, max };
  });
  scored.sort((a, b) => b.total - a.total || a.unit.code.localeCompare(b.unit.code));
  scored.forEach((r, i) => (r.rank = i > 0 && scored[i - 1]!.total === r.total ? scored[i - 1]!.rank : i + 1));

  const range = { gte: cstStartOfDay(period.from), lt: cstStartOfDay(period.to) };
  const [accepted, checks] = await Promise.all([
    deps.db.prisma.report.groupBy({ by: ["userId"], where: { status: "accepted", reviewedAt: range }, _count: { _all: true } }),
    deps.db.prisma.auditLog.groupBy({ by: ["userId"], where: { action: CHECK_AUDIT_ACTION, result: { in: ["cleared", "missing"] }, userId: { not: null }, at: range }, _count: { _all: true } }),
  ]);
  const contributions = new Map<string, { acceptedReports: number; checks: number }>();
  for (const a of accepted) contributions.set(a.userId, { acceptedReports: a._count._all, checks: 0 });
  for (const c of checks) {
    const e = contributions.get(c.userId!) ?? { acceptedReports: 0, checks: 0 };
    e.checks = c._count._all;
    contributions.set(c.userId!, e);
  }
  const people = await deps.db.prisma.user.findMany({ where: { id: { in: [...contributions.keys()] } }, select: { id: true, name: true, unitId: true } });
  // Outstanding: 10+ accepted reports or 100+ checks in the year, best first, at most 20.
  const candidates = people
    .map((p) => ({ name: p.name, unit: byId.get(p.unitId)?.name ?? "", ...contributions.get(p.id)! }))
    .filter((c) => c.acceptedReports >= 10 || c.checks >= 100)
    .sort((a, b) => b.acceptedReports * 10 + b.checks - (a.acceptedReports * 10 + a.checks) || a.name.localeCompare(b.name))
    .slice(0, 20);
  const authors = new Map((await deps.db.prisma.user.findMany({ where: { id: { in: adjustments.flatMap((a) => (a.createdById ? [a.createdById] : [])) } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return {
    year,
    weights,
    weightsSet: set,
    rows: scored,
    adjustments: adjustments.map((a) => {
      const u = byId.get(a.unitId)!;
      return { id: a.id, unit: { code: u.code, name: u.name, type: u.type as OversightUnit["type"] }, points: a.points, reason: a.reason, by: a.createdById ? (authors.get(a.createdById) ?? null) : null, at: formatCst(a.createdAt) };
    }),
    candidates,
    rules: EVALUATION_CRITERIA.map((c) => ({ criterion: c, label: t(locale, `evaluation-crit-${c}` as MessageKey), weight: weights[c], rule: t(locale, `evaluation-rule-${c}` as MessageKey) })),
  };
}

/** One line of evidence behind a unit's points: what earned or cost them, with the report it names. */
export interface EvidenceItem {
  criterion: EvaluationCriterion;
  effect: "earned" | "cost";
  text: string;
  reportId?: string;
}

/**
 * The evidence behind one unit's points in a year (`{ year, unit }`; a town brings its villages and
 * communities): the people responsible, reports filed late or not in time, missing feeds, returned and
 * accepted reports (by type and date, with their id; no summaries, which hold names). At most 200 items per criterion. Unknown unit -> 404. Coordinators, admins, tax officers.
 */
export async function evaluationEvidence(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<{ year: number; unit: OversightUnit; items: EvidenceItem[] }> {
  requireRole(actor, "coordinator", "admin", "tax_officer");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(EvaluationEvidenceQuerySchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const period = yearOrThrow(deps, parsed.data.year, locale);
  const unit = await deps.db.prisma.unit.findUnique({ where: { code: parsed.data.unit }, include: { children: { select: { id: true, code: true } } } });
  if (!unit) throw new AppError("not_found", { messageKey: "unit-unknown", reason: "unit_unknown" });
  const ids = [unit.id, ...(unit.type === "town" ? unit.children.map((c) => c.id) : [])];
  const codes = new Set([unit.code, ...(unit.type === "town" ? unit.children.map((c) => c.code) : [])]);
  const range = { gte: cstStartOfDay(period.from), lt: cstStartOfDay(period.to) };
  const items: EvidenceItem[] = [];
  // A report is named by its type and date, never its summary: summaries carry names, which
  // coordinators see only masked.
  const typeTitle = (code: string) => {
    const type = getReportType(code);
    return type ? t(locale, type.titleKey) : code;
  };
  const people = await deps.db.prisma.user.findMany({ where: { unitId: { in: ids }, active: true, roles: { some: { role: { in: ["reporter", "checker"] } } } }, select: { name: true }, take: 50 });
  if (people.length) for (const p of people) items.push({ criterion: "organisation", effect: "earned", text: t(locale, "evaluation-evidence-person", { name: p.name }) });
  else items.push({ criterion: "organisation", effect: "cost", text: t(locale, "evaluation-evidence-no-person") });
  const inYear = { unitId: { in: ids }, OR: [{ period: { in: period.months } }, { period: null, createdAt: range }] };
  const [late, overdue, onTime, returned, accepted] = await Promise.all([
    deps.db.prisma.report.findMany({ where: { ...inYear, timeliness: "late" }, orderBy: { createdAt: "asc" }, take: 200 }),
    deps.db.prisma.report.findMany({ where: { ...inYear, timeliness: "overdue" }, orderBy: { createdAt: "asc" }, take: 200 }),
    deps.db.prisma.report.count({ where: { ...inYear, timeliness: "on_time" } }),
    deps.db.prisma.report.findMany({ where: { unitId: { in: ids }, status: "returned", reviewedAt: range }, orderBy: { reviewedAt: "asc" }, take: 200 }),
    deps.db.prisma.report.count({ where: { unitId: { in: ids }, status: "accepted", reviewedAt: range } }),
  ]);
  if (onTime) items.push({ criterion: "timeliness", effect: "earned", text: t(locale, "evaluation-evidence-on-time", { count: onTime }) });
  for (const r of late) items.push({ criterion: "timeliness", effect: "cost", text: t(locale, "evaluation-evidence-late", { summary: typeTitle(r.type), date: cstDate(r.createdAt) }), reportId: r.id });
  for (const r of overdue) items.push({ criterion: "completeness", effect: "cost", text: t(locale, "evaluation-evidence-overdue", { summary: typeTitle(r.type), date: cstDate(r.createdAt) }), reportId: r.id });
  for (const month of period.months) {
    for (const m of await missingFeeds(deps, actor, month)) {
      if (!m.overdue || !codes.has(m.unit.code)) continue;
      const type = getReportType(m.type);
      items.push({ criterion: "completeness", effect: "cost", text: t(locale, "evaluation-evidence-missing-feed", { type: type ? t(locale, type.titleKey) : m.type, period: m.period, due: m.dueDate }) });
    }
  }
  if (!onTime && !late.length && !overdue.length && !items.some((i) => i.criterion === "completeness")) items.push({ criterion: "timeliness", effect: "earned", text: t(locale, "evaluation-evidence-none") });
  if (accepted) items.push({ criterion: "accuracy", effect: "earned", text: t(locale, "evaluation-evidence-accepted", { count: accepted }) });
  for (const r of returned) items.push({ criterion: "accuracy", effect: "cost", text: t(locale, "evaluation-evidence-returned", { summary: typeTitle(r.type), date: cstDate(r.reviewedAt!) }), reportId: r.id });
  return { year: parsed.data.year, unit: { code: unit.code, name: unit.name, type: unit.type as OversightUnit["type"] }, items };
}

/** The evaluation as an XLSX workbook: ranking, adjustments, commendation candidates, rules; A4 landscape. */
export async function evaluationWorkbook(e: AnnualEvaluation, locale: Locale = "zh-CN"): Promise<Buffer> {
  const L = (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
  const wb = new ExcelJS.Workbook();
  wb.creator = "协税通";
  wb.title = L("evaluation-title", { year: e.year });
  const sheet = (name: string, headers: string[], widths: number[]) => {
    const s = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" }, views: [{ state: "frozen", ySplit: 1 }] });
    s.columns = headers.map((h, i) => ({ header: h, width: widths[i] ?? 12 }));
    s.getRow(1).font = { name: "宋体", bold: true };
    return s;
  };
  const rank = sheet(L("evaluation-title", { year: e.year }), [L("evaluation-rank"), L("oversight-pack-unit"), L("oversight-pack-town"), ...EVALUATION_CRITERIA.map((c) => `${L(`evaluation-crit-${c}` as MessageKey)}（${e.weights[c]}）`), L("evaluation-adjustment"), L("evaluation-total"), L("evaluation-max")], [8, 30, 16, ...EVALUATION_CRITERIA.map(() => 12), 10, 10, 10]);
  for (const r of e.rows) rank.addRow([r.rank, r.unit.name, r.town ?? "", ...EVALUATION_CRITERIA.map((c) => r.points[c] ?? "—"), r.adjustment, r.total, r.max]);
  const adj = sheet(L("evaluation-adjustments"), [L("oversight-pack-unit"), L("evaluation-adjustment"), L("evaluation-reason"), L("evaluation-by"), L("evaluation-at")], [30, 10, 60, 14, 18]);
  for (const a of e.adjustments) adj.addRow([a.unit.name, a.points, a.reason, a.by ?? "—", a.at]);
  const cand = sheet(L("evaluation-candidates"), [L("evaluation-person"), L("oversight-pack-unit"), L("evaluation-accepted-reports"), L("evaluation-checks")], [16, 30, 16, 16]);
  for (const c of e.candidates) cand.addRow([c.name, c.unit, c.acceptedReports, c.checks]);
  const rules = sheet(L("evaluation-rules"), [L("evaluation-criterion"), L("evaluation-weights"), L("evaluation-rules")], [16, 10, 90]);
  for (const r of e.rules) rules.addRow([r.label, r.weight, r.rule]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
