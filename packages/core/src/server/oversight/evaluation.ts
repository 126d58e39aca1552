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
  /** quizzes finished in the year and their mean score (null when none) */
  quizzes: number;
  quizAverage: number | null;
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

/** Per unit id: quizzes pushed that fell due (finished, or closed), finished, and the sum of scores. */
interface TrainingCounts {
  due: number;
  done: number;
  scoreSum: number;
}
/** Per unit id: assigned tips and meeting tasks that fell due in the year, and those met in time. */
interface CooperationCounts {
  due: number;
  met: number;
}

const add = <T extends object>(map: Map<string, T>, id: string, zero: () => T, f: (v: T) => void) => {
  let v = map.get(id);
  if (!v) map.set(id, (v = zero()));
  f(v);
};

/**
 * What training and cooperation are scored on, per unit id, for one year (CST):
 * - training: quiz assignments pushed in the year; one falls due when finished or when its quiz has
 *   closed; the points are half participation (finished / due) and half the mean score of those finished;
 * - cooperation: tips assigned to the unit filed in the year, due once concluded or past their
 *   conclusion deadline, met when concluded by it; meeting tasks due in the year, due once done or past
 *   their due day, met when done by it (CST). Tips are read by unit, dates and status only.
 */
async function trainingAndCooperation(deps: Deps, period: { from: string; to: string }) {
  const now = deps.clock.now();
  const today = cstDate(now);
  const range = { gte: cstStartOfDay(period.from), lt: cstStartOfDay(period.to) };
  const [assignments, tips, tasks] = await Promise.all([
    deps.db.prisma.quizAssignment.findMany({ where: { assignedAt: range }, select: { unitId: true, finishedAt: true, score: true, quiz: { select: { closesAt: true } } } }),
    deps.db.prisma.tip.findMany({ where: { unitId: { not: null }, filedOn: { gte: period.from, lt: period.to } }, select: { unitId: true, closedOn: true, concludeBy: true } }),
    deps.db.prisma.meetingTask.findMany({ where: { dueOn: { gte: period.from, lt: period.to } }, select: { unitId: true, status: true, dueOn: true, doneAt: true } }),
  ]);
  const training = new Map<string, TrainingCounts>();
  for (const a of assignments) {
    const finished = a.finishedAt !== null && a.score !== null;
    if (!finished && a.quiz.closesAt > now) continue;
    add(training, a.unitId, () => ({ due: 0, done: 0, scoreSum: 0 }), (v) => {
      v.due++;
      if (finished) {
        v.done++;
        v.scoreSum += a.score!;
      }
    });
  }
  const cooperation = new Map<string, CooperationCounts>();
  for (const tip of tips) {
    if (tip.closedOn === null && today <= tip.concludeBy) continue;
    add(cooperation, tip.unitId!, () => ({ due: 0, met: 0 }), (v) => {
      v.due++;
      if (tip.closedOn !== null && tip.closedOn <= tip.concludeBy) v.met++;
    });
  }
  for (const task of tasks) {
    const done = task.status === "done" && task.doneAt !== null;
    if (!done && today <= task.dueOn) continue;
    add(cooperation, task.unitId, () => ({ due: 0, met: 0 }), (v) => {
      v.due++;
      if (done && cstDate(task.doneAt!) <= task.dueOn) v.met++;
    });
  }
  return { training, cooperation };
}

function sumTraining(ids: readonly string[], m: Map<string, TrainingCounts>): TrainingCounts {
  const t = { due: 0, done: 0, scoreSum: 0 };
  for (const id of ids) {
    const v = m.get(id);
    if (!v) continue;
    t.due += v.due;
    t.done += v.done;
    t.scoreSum += v.scoreSum;
  }
  return t;
}

function sumCooperation(ids: readonly string[], m: Map<string, CooperationCounts>): CooperationCounts {
  const t = { due: 0, met: 0 };
  for (const id of ids) {
    const v = m.get(id);
    if (!v) continue;
    t.due += v.due;
    t.met += v.met;
  }
  return t;
}

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

function scoreOf(f: Figures, weights: EvaluationWeights, staffed: boolean, training: TrainingCounts, cooperation: CooperationCounts): Record<EvaluationCriterion, number | null> {
  const filed = (f.onTime ?? 0) + (f.late ?? 0);
  const due = filed + (f.overdue ?? 0);
  const reviewed = (f.accepted ?? 0) + (f.returned ?? 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    organisation: staffed ? weights.organisation : 0,
    timeliness: round(filed ? (weights.timeliness * (f.onTime ?? 0)) / filed : due ? 0 : weights.timeliness),
    completeness: round(due ? (weights.completeness * filed) / due : weights.completeness),
    accuracy: round(reviewed ? (weights.accuracy * (f.accepted ?? 0)) / reviewed : weights.accuracy),
    training: round(training.due ? weights.training * (0.5 * (training.done / training.due) + 0.5 * (training.done ? training.scoreSum / training.done / 100 : 0)) : weights.training),
    cooperation: round(cooperation.due ? (weights.cooperation * cooperation.met) / cooperation.due : weights.cooperation),
  };
}

/**
 * The evaluation of a year (`{ year }`): every cooperating unit (a town by its total, its villages and
 * communities each on their own) scored by the year's weights under the documented rules, plus the
 * coordinator's adjustments, ranked (ties share a rank); the adjustments with their reasons; and
 * people with outstanding contributions (accepted reports, checks, quiz results) as commendation
 * candidates. Coordinators, admins, tax officers (read).
 */
export async function annualEvaluation(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<AnnualEvaluation> {
  requireRole(actor, "coordinator", "admin", "tax_officer");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(EvaluationQuerySchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const year = parsed.data.year;
  const period = yearOrThrow(deps, year, locale);
  const [{ weights, set }, rows, units, staffedRows, adjustments, duties] = await Promise.all([
    evaluationWeights(deps, year),
    oversightRows(deps, actor, period),
    deps.db.prisma.unit.findMany({ select: { id: true, code: true, name: true, type: true } }),
    deps.db.prisma.user.findMany({ where: { active: true, roles: { some: { role: { in: ["reporter", "checker"] } } } }, select: { unitId: true } }),
    deps.db.prisma.evaluationAdjustment.findMany({ where: { year }, orderBy: { createdAt: "asc" } }),
    trainingAndCooperation(deps, period),
  ]);
  const byId = new Map(units.map((u) => [u.id, u]));
  const idByCode = new Map(units.map((u) => [u.code, u.id]));
  const staffed = new Set(staffedRows.map((s) => s.unitId));
  const adjustBy = new Map<string, number>();
  for (const a of adjustments) adjustBy.set(a.unitId, (adjustBy.get(a.unitId) ?? 0) + a.points);
  const available = EVALUATION_CRITERIA;
  const max = available.reduce((s, c) => s + weights[c], 0);
  const flat: { row: OversightRow; town: string | null; ids: string[] }[] = [];
  for (const r of rows) {
    flat.push({ row: r, town: null, ids: [r, ...(r.members ?? [])].map((x) => idByCode.get(x.unit.code)!) });
    for (const m of r.members ?? []) flat.push({ row: m, town: r.unit.name, ids: [idByCode.get(m.unit.code)!] });
  }
  const scored = flat.map(({ row, town, ids }) => {
    const points = scoreOf(rowFigures(row), weights, ids.some((id) => staffed.has(id)), sumTraining(ids, duties.training), sumCooperation(ids, duties.cooperation));
    const adjustment = adjustBy.get(idByCode.get(row.unit.code)!) ?? 0;
    const total = Math.round((available.reduce((sum, c) => sum + (points[c] ?? 0), 0) + adjustment) * 10) / 10;
    return { rank: 0, unit: row.unit, town, points, adjustment, total, max };
  });
  scored.sort((a, b) => b.total - a.total || a.unit.code.localeCompare(b.unit.code));
  scored.forEach((r, i) => (r.rank = i > 0 && scored[i - 1]!.total === r.total ? scored[i - 1]!.rank : i + 1));

  const range = { gte: cstStartOfDay(period.from), lt: cstStartOfDay(period.to) };
  const [accepted, checks, quizzes] = await Promise.all([
    deps.db.prisma.report.groupBy({ by: ["userId"], where: { status: "accepted", reviewedAt: range }, _count: { _all: true } }),
    deps.db.prisma.auditLog.groupBy({ by: ["userId"], where: { action: CHECK_AUDIT_ACTION, result: { in: ["cleared", "missing"] }, userId: { not: null }, at: range }, _count: { _all: true } }),
    deps.db.prisma.quizAssignment.groupBy({ by: ["userId"], where: { finishedAt: range, score: { not: null } }, _count: { _all: true }, _avg: { score: true } }),
  ]);
  type Contribution = { acceptedReports: number; checks: number; quizzes: number; quizAverage: number | null };
  const contributions = new Map<string, Contribution>();
  const entry = (userId: string) => {
    let e = contributions.get(userId);
    if (!e) contributions.set(userId, (e = { acceptedReports: 0, checks: 0, quizzes: 0, quizAverage: null }));
    return e;
  };
  for (const a of accepted) entry(a.userId).acceptedReports = a._count._all;
  for (const c of checks) entry(c.userId!).checks = c._count._all;
  for (const q of quizzes) {
    const e = entry(q.userId);
    e.quizzes = q._count._all;
    e.quizAverage = Math.round((q._avg.score ?? 0) * 10) / 10;
  }
  const people = await deps.db.prisma.user.findMany({ where: { id: { in: [...contributions.keys()] } }, select: { id: true, name: true, unitId: true } });
  // Outstanding: 10+ accepted reports, 100+ checks, or 3+ quizzes averaging 90+ in the year; best
  // first (an accepted report weighs as 10 checks, a quiz as 5), at most 20.
  const merit = (c: Contribution) => c.acceptedReports * 10 + c.checks + (c.quizAverage !== null && c.quizAverage >= 90 ? c.quizzes * 5 : 0);
  const candidates = people
    .map((p) => ({ name: p.name, unit: byId.get(p.unitId)?.name ?? "", ...contributions.get(p.id)! }))
    .filter((c) => c.acceptedReports >= 10 || c.checks >= 100 || (c.quizzes >= 3 && (c.quizAverage ?? 0) >= 90))
    .sort((a, b) => merit(b) - merit(a) || a.name.localeCompare(b.name))
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
 * accepted reports (by type and date, with their id; no summaries, which hold names), quizzes finished
 * and missed, assigned tips that fell due (counts only) and meeting tasks done in time or late. At most 200 items per criterion. Unknown unit -> 404. Coordinators, admins, tax officers.
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
  items.push(...(await learningAndDutyEvidence(deps, ids, period, locale)));
  return { year: parsed.data.year, unit: { code: unit.code, name: unit.name, type: unit.type as OversightUnit["type"] }, items };
}

/**
 * Evidence for training (quizzes finished with their mean; quizzes that closed unfinished, by title
 * and how many people missed them) and cooperation (assigned tips that fell due and how many were
 * concluded in time — counts only, never a tip's facts; meeting tasks by title, done in time or late).
 */
async function learningAndDutyEvidence(deps: Deps, ids: string[], period: { from: string; to: string }, locale: Locale): Promise<EvidenceItem[]> {
  const now = deps.clock.now();
  const today = cstDate(now);
  const range = { gte: cstStartOfDay(period.from), lt: cstStartOfDay(period.to) };
  const [assignments, tips, tasks] = await Promise.all([
    deps.db.prisma.quizAssignment.findMany({ where: { unitId: { in: ids }, assignedAt: range }, select: { finishedAt: true, score: true, quiz: { select: { id: true, title: true, closesAt: true } } } }),
    deps.db.prisma.tip.findMany({ where: { unitId: { in: ids }, filedOn: { gte: period.from, lt: period.to } }, select: { closedOn: true, concludeBy: true } }),
    deps.db.prisma.meetingTask.findMany({ where: { unitId: { in: ids }, dueOn: { gte: period.from, lt: period.to } }, orderBy: { dueOn: "asc" }, take: 200, select: { title: true, status: true, dueOn: true, doneAt: true } }),
  ]);
  const items: EvidenceItem[] = [];
  const finished = assignments.filter((a) => a.finishedAt !== null && a.score !== null);
  if (finished.length) {
    const average = Math.round((finished.reduce((sum, a) => sum + a.score!, 0) / finished.length) * 10) / 10;
    items.push({ criterion: "training", effect: "earned", text: t(locale, "evaluation-evidence-quiz-done", { count: finished.length, average }) });
  }
  const missed = new Map<string, { title: string; closesAt: Date; count: number }>();
  for (const a of assignments) {
    if (a.finishedAt !== null || a.quiz.closesAt > now) continue;
    const m = missed.get(a.quiz.id) ?? { title: a.quiz.title, closesAt: a.quiz.closesAt, count: 0 };
    m.count++;
    missed.set(a.quiz.id, m);
  }
  for (const m of missed.values()) items.push({ criterion: "training", effect: "cost", text: t(locale, "evaluation-evidence-quiz-missed", { title: m.title, date: cstDate(m.closesAt), count: m.count }) });
  if (!assignments.length) items.push({ criterion: "training", effect: "earned", text: t(locale, "evaluation-evidence-quiz-none") });
  const dueTips = tips.filter((tip) => tip.closedOn !== null || today > tip.concludeBy);
  if (dueTips.length) {
    const inTime = dueTips.filter((tip) => tip.closedOn !== null && tip.closedOn <= tip.concludeBy).length;
    items.push({ criterion: "cooperation", effect: inTime === dueTips.length ? "earned" : "cost", text: t(locale, "evaluation-evidence-tips", { due: dueTips.length, inTime }) });
  }
  let dueTasks = 0;
  for (const task of tasks) {
    const done = task.status === "done" && task.doneAt !== null;
    if (!done && today <= task.dueOn) continue;
    dueTasks++;
    const inTime = done && cstDate(task.doneAt!) <= task.dueOn;
    items.push({ criterion: "cooperation", effect: inTime ? "earned" : "cost", text: t(locale, inTime ? "evaluation-evidence-task-done" : "evaluation-evidence-task-late", { title: task.title, due: task.dueOn }) });
  }
  if (!dueTips.length && !dueTasks) items.push({ criterion: "cooperation", effect: "earned", text: t(locale, "evaluation-evidence-cooperation-none") });
  return items;
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
  const cand = sheet(L("evaluation-candidates"), [L("evaluation-person"), L("oversight-pack-unit"), L("evaluation-accepted-reports"), L("evaluation-checks"), L("evaluation-quizzes"), L("evaluation-quiz-average")], [16, 30, 16, 16, 12, 12]);
  for (const c of e.candidates) cand.addRow([c.name, c.unit, c.acceptedReports, c.checks, c.quizzes, c.quizAverage ?? "—"]);
  const rules = sheet(L("evaluation-rules"), [L("evaluation-criterion"), L("evaluation-weights"), L("evaluation-rules")], [16, 10, 90]);
  for (const r of e.rules) rules.addRow([r.label, r.weight, r.rule]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
