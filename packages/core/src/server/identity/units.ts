import { randomBytes } from "node:crypto";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import type { UnitType } from "../../domain/units.ts";
import { parseInput } from "../../domain/validation.ts";
import { belongsToTown, CreateUnitSchema, UpdateUnitSchema } from "../../domain/schemas/units.ts";
import { writeAudit } from "../audit.ts";
import { AppError } from "../errors.ts";
import type { Deps } from "../deps.ts";
import { requireRole, type Principal } from "./actor.ts";

/** A unit as `units list`, pickers and the admin page show it. */
export interface UnitListItem {
  code: string;
  name: string;
  type: UnitType;
  parent: string | null;
  active: boolean;
}

/**
 * Units for `units list` and pickers, by code. Deactivated units are left out unless asked for
 * (the admin page lists them, marked), so nobody picks a unit that no longer takes part.
 */
export async function listUnits(deps: Deps, opts: { includeInactive?: boolean } = {}): Promise<UnitListItem[]> {
  const units = await deps.db.prisma.unit.findMany({
    where: opts.includeInactive ? {} : { active: true },
    include: { parent: true },
    orderBy: { code: "asc" },
  });
  return units.map((u) => ({ code: u.code, name: u.name, type: u.type as UnitType, parent: u.parent?.code ?? null, active: u.active }));
}

function invalid(locale: Locale, field: string, key: Parameters<typeof t>[1], reason: string): AppError {
  return new AppError("invalid_input", { reason, fields: { [field]: t(locale, key) } });
}

/** The town a committee is to belong to: an active unit of type town, or a field error. */
async function townFor(deps: Deps, code: string, locale: Locale, field: string): Promise<{ id: string; code: string }> {
  const parent = await deps.db.prisma.unit.findUnique({ where: { code }, select: { id: true, code: true, type: true, active: true } });
  if (!parent) throw invalid(locale, field, "unit-unknown", "unit_unknown");
  if (parent.type !== "town") throw invalid(locale, field, "unit-parent-not-town", "parent_not_town");
  if (!parent.active) throw invalid(locale, field, "unit-inactive", "unit_inactive");
  return parent;
}

async function nameTaken(deps: Deps, name: string, exceptId?: string): Promise<boolean> {
  const other = await deps.db.prisma.unit.findFirst({ where: { name, active: true, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  return other !== null;
}

/** A stable code for a unit added on the admin page: its type and a short random part (village-k3m9x2). */
function newUnitCode(type: string): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(6);
  return `${type.replace(/_/g, "-")}-${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("")}`;
}

/**
 * Adds a unit (admins, or the local operator). Committees (村委会/居委会) belong to an active town;
 * other units to none. Names are unique among active units (409). Audited as `unit.create`.
 */
export async function createUnit(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<UnitListItem> {
  requireRole(actor, "admin");
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(CreateUnitSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const { name, type, parent, code } = parsed.data;
  const town = parent ? await townFor(deps, parent, locale, "parent") : null;
  if (await nameTaken(deps, name)) throw new AppError("conflict", { reason: "unit_name_taken", messageKey: "unit-name-taken", fields: { name: t(locale, "unit-name-taken") } });
  const unitCode = code ?? newUnitCode(type);
  if (code && (await deps.db.prisma.unit.findUnique({ where: { code } }))) {
    throw new AppError("conflict", { reason: "unit_code_taken", fields: { code: t(locale, "error-conflict") } });
  }
  const created = await deps.db.prisma.$transaction(async (tx) => {
    const unit = await tx.unit.create({ data: { code: unitCode, name, type, parentId: town?.id ?? null, createdAt: deps.clock.now() } });
    await writeAudit(tx, deps.clock, { actor, action: "unit.create", subject: `unit:${unit.code}`, result: "ok", detail: { type, parent: town?.code ?? null } });
    return unit;
  });
  return { code: created.code, name: created.name, type: created.type as UnitType, parent: town?.code ?? null, active: true };
}

/**
 * Renames a unit and/or moves a committee to another town (admins). A unit that is not a committee
 * cannot be moved under a town. Audited as `unit.update` with what changed.
 */
export async function updateUnit(deps: Deps, actor: Principal | null, code: string, input: unknown, opts: { locale?: Locale } = {}): Promise<UnitListItem> {
  requireRole(actor, "admin");
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(UpdateUnitSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const unit = await deps.db.prisma.unit.findUnique({ where: { code }, include: { parent: true } });
  if (!unit) throw new AppError("not_found", { reason: "unit_unknown", messageKey: "unit-unknown" });
  const { name, parent } = parsed.data;
  if (name === undefined && parent === undefined) throw new AppError("invalid_input", { reason: "nothing_to_change", messageKey: "unit-nothing-to-change" });
  if (parent !== undefined && !belongsToTown(unit.type)) throw invalid(locale, "parent", "unit-parent-not-allowed", "parent_not_allowed");
  const town = parent !== undefined ? await townFor(deps, parent, locale, "parent") : null;
  if (name !== undefined && name !== unit.name && (await nameTaken(deps, name, unit.id))) {
    throw new AppError("conflict", { reason: "unit_name_taken", messageKey: "unit-name-taken", fields: { name: t(locale, "unit-name-taken") } });
  }
  const updated = await deps.db.prisma.$transaction(async (tx) => {
    const row = await tx.unit.update({
      where: { id: unit.id },
      data: { ...(name !== undefined ? { name } : {}), ...(town ? { parentId: town.id } : {}) },
      include: { parent: true },
    });
    const detail: Record<string, unknown> = {};
    if (name !== undefined && name !== unit.name) detail.name = { from: unit.name, to: name };
    if (town && town.id !== unit.parentId) detail.parent = { from: unit.parent?.code ?? null, to: town.code };
    await writeAudit(tx, deps.clock, { actor, action: "unit.update", subject: `unit:${unit.code}`, result: "ok", detail });
    return row;
  });
  return { code: updated.code, name: updated.name, type: updated.type as UnitType, parent: updated.parent?.code ?? null, active: updated.active };
}

/**
 * Deactivates a unit (admins): it gets no new invites and is no longer offered in pickers; its
 * unused invites are revoked; reports, users and history stay. A town that still has active
 * committees is refused (move them first). Deactivating twice is a no-op. Audited as `unit.deactivate`.
 */
export async function deactivateUnit(deps: Deps, actor: Principal | null, code: string): Promise<UnitListItem> {
  requireRole(actor, "admin");
  const unit = await deps.db.prisma.unit.findUnique({ where: { code }, include: { parent: true } });
  if (!unit) throw new AppError("not_found", { reason: "unit_unknown", messageKey: "unit-unknown" });
  const view = (active: boolean): UnitListItem => ({ code: unit.code, name: unit.name, type: unit.type as UnitType, parent: unit.parent?.code ?? null, active });
  if (!unit.active) return view(false);
  const children = await deps.db.prisma.unit.count({ where: { parentId: unit.id, active: true } });
  if (children > 0) throw new AppError("conflict", { reason: "unit_has_children", messageKey: "unit-has-children", params: { count: children } });
  const now = deps.clock.now();
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.unit.update({ where: { id: unit.id }, data: { active: false } });
    const revoked = await tx.invite.updateMany({ where: { unitId: unit.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } });
    await writeAudit(tx, deps.clock, { actor, action: "unit.deactivate", subject: `unit:${unit.code}`, result: "ok", detail: { invitesRevoked: revoked.count } });
  });
  return view(false);
}
