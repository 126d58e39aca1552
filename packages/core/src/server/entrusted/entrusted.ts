import { DEFAULT_LOCALE, t, type Locale, type MessageKey } from "../../domain/i18n.ts";
import { cstDate } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import {
  AddAgentSchema,
  CompleteFollowUpSchema,
  isAgreementExpired,
  isFollowUpOverdue,
  ListInspectionsQuerySchema,
  RecordInspectionSchema,
  RegisterCollectorSchema,
} from "../../domain/entrusted/schemas.ts";
import { writeAudit } from "../audit.ts";
import { AppError } from "../errors.ts";
import type { Deps } from "../deps.ts";
import { isSystemActor, requireRole, type Principal } from "../identity/actor.ts";
import { isUniqueViolation } from "../reports/common.ts";

/** The agreement under which a unit collects (委托代征协议). */
export interface CollectorAgreement {
  agreementNo: string;
  scope: string;
  validFrom: string;
  validTo: string;
  /** validTo (inclusive) is before today, CST */
  expired: boolean;
}

/** A person collecting for a collector unit. Name and phone are personal data: never in URLs or logs. */
export interface EntrustedAgentView {
  id: string;
  name: string;
  certificateNo: string;
  phone: string | null;
  active: boolean;
}

/** One inspection of a collector unit, and its follow-up when one was asked for. */
export interface EntrustedInspectionView {
  id: string;
  unit: { code: string; name: string };
  inspectedOn: string;
  findings: string;
  followUp: string | null;
  followUpBy: string | null;
  followUpDoneOn: string | null;
  followUpNote: string | null;
  /** due before today and not done */
  overdue: boolean;
}

/** A collector unit as the registry lists it. `agreement` is null until registered. */
export interface EntrustedCollectorView {
  unit: { code: string; name: string };
  agreement: CollectorAgreement | null;
  agents: EntrustedAgentView[];
  lastInspection: EntrustedInspectionView | null;
  openFollowUps: EntrustedInspectionView[];
}

/** Roles that read every collector (agents' names and phones included). */
const READERS = ["tax_officer", "admin", "coordinator"] as const;
/** Roles that change the registry. */
const REGISTRARS = ["tax_officer", "admin"] as const;

type Opts = { locale?: Locale };

function fieldError(locale: Locale, field: string, key: MessageKey, reason: string, code: "invalid_input" | "conflict" = "invalid_input"): AppError {
  return new AppError(code, { reason, ...(code === "conflict" ? { messageKey: key } : {}), fields: { [field]: t(locale, key) } });
}

function parsed<T>(result: { ok: true; data: T } | { ok: false; fields: Record<string, string> }): T {
  if (!result.ok) throw new AppError("invalid_input", { fields: result.fields });
  return result.data;
}

/** "" from a form means "not given". */
const given = (v: string | undefined): string | null => (v === undefined || v === "" ? null : v);

/** The active unit of type entrusted_collector with this code, or a 400 on the field. */
async function collectorUnit(deps: Deps, code: string, locale: Locale, field = "unit"): Promise<{ id: string; code: string; name: string }> {
  const unit = await deps.db.prisma.unit.findUnique({ where: { code }, select: { id: true, code: true, name: true, type: true, active: true } });
  if (!unit) throw fieldError(locale, field, "unit-unknown", "unit_unknown");
  if (unit.type !== "entrusted_collector") throw fieldError(locale, field, "entrusted-unit-not-collector", "unit_not_collector");
  if (!unit.active) throw fieldError(locale, field, "unit-inactive", "unit_inactive");
  return unit;
}

/**
 * Who may read which collectors: officers, admins and coordinators all; a collector unit's own users
 * (any role) only their unit. Returns the unit id to restrict to, or null for all; 403 for others.
 */
function readScope(actor: Principal): string | null {
  if (isSystemActor(actor) || READERS.some((r) => actor.roles.includes(r))) return null;
  if (actor.unit.type === "entrusted_collector") return actor.unitId;
  throw new AppError("forbidden", { reason: "role_required" });
}

type InspectionRow = {
  id: string;
  inspectedOn: string;
  findings: string;
  followUp: string | null;
  followUpBy: string | null;
  followUpDoneOn: string | null;
  followUpNote: string | null;
  unitId: string;
};

function inspectionView(i: InspectionRow, unit: { code: string; name: string }, today: string): EntrustedInspectionView {
  return {
    id: i.id,
    unit,
    inspectedOn: i.inspectedOn,
    findings: i.findings,
    followUp: i.followUp,
    followUpBy: i.followUpBy,
    followUpDoneOn: i.followUpDoneOn,
    followUpNote: i.followUpNote,
    overdue: isFollowUpOverdue(i, today),
  };
}

/**
 * Registers (or updates) the agreement of an entrusted collection unit: upsert by unit. Admins and
 * tax officers. The unit must be an active unit of type entrusted_collector (made with the unit
 * administration); an agreement number belongs to one unit (409). Audited as `entrusted.register`.
 */
export async function registerCollector(deps: Deps, actor: Principal | null, input: unknown, opts: Opts = {}): Promise<{ created: boolean; collector: EntrustedCollectorView }> {
  requireRole(actor, ...REGISTRARS);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const data = parsed(parseInput(RegisterCollectorSchema, input, locale));
  const unit = await collectorUnit(deps, data.unit, locale);
  const other = await deps.db.prisma.entrustedCollector.findUnique({ where: { agreementNo: data.agreementNo }, select: { unitId: true } });
  if (other && other.unitId !== unit.id) throw fieldError(locale, "agreementNo", "entrusted-agreement-taken", "agreement_taken", "conflict");
  const now = deps.clock.now();
  const fields = { agreementNo: data.agreementNo, scope: data.scope, validFrom: data.validFrom, validTo: data.validTo };
  let created = false;
  try {
    await deps.db.prisma.$transaction(async (tx) => {
      const before = await tx.entrustedCollector.findUnique({ where: { unitId: unit.id } });
      created = before === null;
      await tx.entrustedCollector.upsert({ where: { unitId: unit.id }, create: { unitId: unit.id, ...fields, createdAt: now, updatedAt: now }, update: { ...fields, updatedAt: now } });
      await writeAudit(tx, deps.clock, { actor, action: "entrusted.register", subject: `unit:${unit.code}`, result: created ? "created" : "updated", detail: fields });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError(locale, "agreementNo", "entrusted-agreement-taken", "agreement_taken", "conflict");
    throw e;
  }
  const [collector] = await collectorViews(deps, [unit]);
  return { created, collector: collector! };
}

/**
 * Adds an agent to a collector unit (admins, tax officers). A certificate number is unique across the
 * district (409 on `certificateNo`). Audited as `entrusted.agent_add` without the name or phone.
 */
export async function addAgent(deps: Deps, actor: Principal | null, input: unknown, opts: Opts = {}): Promise<EntrustedAgentView> {
  requireRole(actor, ...REGISTRARS);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const data = parsed(parseInput(AddAgentSchema, input, locale));
  const unit = await collectorUnit(deps, data.unit, locale);
  const taken = () => fieldError(locale, "certificateNo", "entrusted-certificate-taken", "certificate_taken", "conflict");
  if (await deps.db.prisma.entrustedAgent.findUnique({ where: { certificateNo: data.certificateNo }, select: { id: true } })) throw taken();
  try {
    const agent = await deps.db.prisma.$transaction(async (tx) => {
      const row = await tx.entrustedAgent.create({
        data: { unitId: unit.id, name: data.name, certificateNo: data.certificateNo, phone: given(data.phone), createdAt: deps.clock.now() },
      });
      await writeAudit(tx, deps.clock, { actor, action: "entrusted.agent_add", subject: `agent:${row.id}`, result: "ok", detail: { unit: unit.code } });
      return row;
    });
    return { id: agent.id, name: agent.name, certificateNo: agent.certificateNo, phone: agent.phone, active: agent.active };
  } catch (e) {
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
}

/** Deactivates an agent (admins, tax officers): they no longer collect; history stays. Twice is a no-op. */
export async function deactivateAgent(deps: Deps, actor: Principal | null, id: string): Promise<EntrustedAgentView> {
  requireRole(actor, ...REGISTRARS);
  const agent = await deps.db.prisma.entrustedAgent.findUnique({ where: { id: String(id).slice(0, 64) } });
  if (!agent) throw new AppError("not_found", { reason: "agent_unknown", messageKey: "entrusted-agent-unknown" });
  const view = (active: boolean): EntrustedAgentView => ({ id: agent.id, name: agent.name, certificateNo: agent.certificateNo, phone: agent.phone, active });
  if (!agent.active) return view(false);
  await deps.db.prisma.$transaction(async (tx) => {
    const changed = await tx.entrustedAgent.updateMany({ where: { id: agent.id, active: true }, data: { active: false } });
    if (changed.count > 0) await writeAudit(tx, deps.clock, { actor, action: "entrusted.agent_deactivate", subject: `agent:${agent.id}`, result: "ok" });
  });
  return view(false);
}

async function collectorViews(deps: Deps, units: readonly { id: string; code: string; name: string }[]): Promise<EntrustedCollectorView[]> {
  const ids = units.map((u) => u.id);
  const today = cstDate(deps.clock.now());
  const [agreements, agents, inspections] = await Promise.all([
    deps.db.prisma.entrustedCollector.findMany({ where: { unitId: { in: ids } } }),
    deps.db.prisma.entrustedAgent.findMany({ where: { unitId: { in: ids } }, orderBy: [{ active: "desc" }, { createdAt: "asc" }, { id: "asc" }] }),
    // Every inspection of these units, newest first: the last one, and every follow-up still open.
    deps.db.prisma.entrustedInspection.findMany({ where: { unitId: { in: ids } }, orderBy: [{ inspectedOn: "desc" }, { createdAt: "desc" }, { id: "asc" }] }),
  ]);
  return units.map((u) => {
    const unit = { code: u.code, name: u.name };
    const a = agreements.find((x) => x.unitId === u.id);
    const mine = inspections.filter((i) => i.unitId === u.id);
    const last = mine[0];
    return {
      unit,
      agreement: a ? { agreementNo: a.agreementNo, scope: a.scope, validFrom: a.validFrom, validTo: a.validTo, expired: isAgreementExpired(a.validTo, today) } : null,
      agents: agents.filter((x) => x.unitId === u.id).map((x) => ({ id: x.id, name: x.name, certificateNo: x.certificateNo, phone: x.phone, active: x.active })),
      lastInspection: last ? inspectionView(last, unit, today) : null,
      openFollowUps: mine
        .filter((i) => i.followUp !== null && i.followUpDoneOn === null)
        .sort((x, y) => (x.followUpBy ?? "").localeCompare(y.followUpBy ?? ""))
        .map((i) => inspectionView(i, unit, today)),
    };
  });
}

/**
 * The collector units (active units of type entrusted_collector, by code) with their agreement and
 * whether it has expired, agents, last inspection and open follow-ups. Tax officers, admins and
 * coordinators see all; a collector unit's own users see their unit; anyone else gets 403.
 */
export async function listCollectors(deps: Deps, actor: Principal | null): Promise<EntrustedCollectorView[]> {
  if (!actor) throw new AppError("unauthorized");
  const scope = readScope(actor);
  const units = await deps.db.prisma.unit.findMany({
    where: { type: "entrusted_collector", active: true, ...(scope ? { id: scope } : {}) },
    select: { id: true, code: true, name: true },
    orderBy: { code: "asc" },
  });
  return collectorViews(deps, units);
}

/**
 * Records a tax officer's inspection of a collector unit: findings, and a follow-up with its due
 * date when something must be put right. Not in the future (CST). A retry of the same inspection
 * (same unit, date, findings and follow-up by the same officer) returns the first, never a second
 * row. Audited as `entrusted.inspect` (the findings stay in the inspection, not in the audit).
 */
export async function recordInspection(deps: Deps, actor: Principal | null, input: unknown, opts: Opts = {}): Promise<{ created: boolean; inspection: EntrustedInspectionView }> {
  requireRole(actor, "tax_officer");
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const data = parsed(parseInput(RecordInspectionSchema, input, locale));
  const today = cstDate(deps.clock.now());
  if (data.inspectedOn > today) throw fieldError(locale, "inspectedOn", "entrusted-inspected-in-future", "inspected_in_future");
  const unit = await collectorUnit(deps, data.unit, locale);
  const officerId = isSystemActor(actor) ? null : actor.userId;
  const fields = { unitId: unit.id, inspectedOn: data.inspectedOn, findings: data.findings, followUp: given(data.followUp), followUpBy: given(data.followUpBy), officerId };
  const view = { code: unit.code, name: unit.name };
  return deps.db.prisma.$transaction(async (tx) => {
    const same = await tx.entrustedInspection.findFirst({ where: fields });
    if (same) return { created: false, inspection: inspectionView(same, view, today) };
    const row = await tx.entrustedInspection.create({ data: { ...fields, createdAt: deps.clock.now() } });
    await writeAudit(tx, deps.clock, {
      actor,
      action: "entrusted.inspect",
      subject: `inspection:${row.id}`,
      result: "ok",
      detail: { unit: unit.code, inspectedOn: row.inspectedOn, followUpBy: row.followUpBy },
    });
    return { created: true, inspection: inspectionView(row, view, today) };
  });
}

/**
 * Marks an inspection's follow-up as put right today (CST) with a note (tax officers, admins).
 * Idempotent: a follow-up already done is returned as it was, note and date unchanged. An
 * inspection that asked for no follow-up is a 409.
 */
export async function completeFollowUp(deps: Deps, actor: Principal | null, id: string, input: unknown, opts: Opts = {}): Promise<EntrustedInspectionView> {
  requireRole(actor, ...REGISTRARS);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const data = parsed(parseInput(CompleteFollowUpSchema, input, locale));
  const today = cstDate(deps.clock.now());
  const found = await deps.db.prisma.entrustedInspection.findUnique({ where: { id: String(id).slice(0, 64) } });
  if (!found) throw new AppError("not_found", { reason: "inspection_unknown", messageKey: "entrusted-inspection-unknown" });
  if (found.followUp === null) throw new AppError("conflict", { reason: "no_follow_up", messageKey: "entrusted-no-follow-up" });
  const unit = await deps.db.prisma.unit.findUniqueOrThrow({ where: { id: found.unitId }, select: { code: true, name: true } });
  const row = await deps.db.prisma.$transaction(async (tx) => {
    // Only the first completion writes: a retry (or a second officer at the same moment) changes nothing.
    const changed = await tx.entrustedInspection.updateMany({ where: { id: found.id, followUpDoneOn: null }, data: { followUpDoneOn: today, followUpNote: data.note } });
    if (changed.count > 0) {
      await writeAudit(tx, deps.clock, { actor, action: "entrusted.follow_up_done", subject: `inspection:${found.id}`, result: "ok", detail: { unit: unit.code, followUpBy: found.followUpBy, doneOn: today } });
    }
    return tx.entrustedInspection.findUniqueOrThrow({ where: { id: found.id } });
  });
  return inspectionView(row, unit, today);
}

/**
 * Inspections, newest first: `unit` (a code) narrows to one collector, `overdue` to follow-ups due
 * before today and not done. Readers as listCollectors; a collector unit's users see only their own
 * (asking for another unit is a 403).
 */
export async function listInspections(deps: Deps, actor: Principal | null, query: unknown = {}, opts: Opts = {}): Promise<EntrustedInspectionView[]> {
  if (!actor) throw new AppError("unauthorized");
  const scope = readScope(actor);
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const q = parsed(parseInput(ListInspectionsQuerySchema, query, locale));
  const today = cstDate(deps.clock.now());
  let unitId: string | undefined;
  if (q.unit) {
    const unit = await deps.db.prisma.unit.findUnique({ where: { code: q.unit }, select: { id: true } });
    if (!unit) throw new AppError("not_found", { reason: "unit_unknown", messageKey: "unit-unknown" });
    if (scope && unit.id !== scope) throw new AppError("forbidden", { reason: "other_unit" });
    unitId = unit.id;
  } else if (scope) unitId = scope;
  const rows = await deps.db.prisma.entrustedInspection.findMany({
    where: { ...(unitId ? { unitId } : {}), ...(q.overdue ? { followUp: { not: null }, followUpDoneOn: null, followUpBy: { lt: today } } : {}) },
    orderBy: [{ inspectedOn: "desc" }, { createdAt: "desc" }, { id: "asc" }],
    take: 500,
  });
  const units = await deps.db.prisma.unit.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.unitId))] } }, select: { id: true, code: true, name: true } });
  const byId = new Map(units.map((u) => [u.id, { code: u.code, name: u.name }]));
  return rows.map((r) => inspectionView(r, byId.get(r.unitId) ?? { code: "", name: "" }, today));
}

/**
 * Follow-ups overdue on `today` (a CST date): due before it and not done by it. The oversight figure
 * counts these per unit; `today` may be a past day (the last day of a period) to judge that period.
 */
export async function overdueFollowUps(deps: Deps, today: string): Promise<{ id: string; unitId: string; followUpBy: string }[]> {
  const rows = await deps.db.prisma.entrustedInspection.findMany({
    where: {
      followUp: { not: null },
      followUpBy: { lt: today },
      inspectedOn: { lte: today },
      OR: [{ followUpDoneOn: null }, { followUpDoneOn: { gt: today } }],
    },
    select: { id: true, unitId: true, followUpBy: true },
    orderBy: [{ followUpBy: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => ({ id: r.id, unitId: r.unitId, followUpBy: r.followUpBy! }));
}
