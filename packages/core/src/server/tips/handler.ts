import { randomUUID } from "node:crypto";
import { DEFAULT_LOCALE, t, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { addDays, cstDate } from "../../domain/time.ts";
import {
  AssignTipSchema,
  canMoveTip,
  ChangeTipStatusSchema,
  CloseSpamSchema,
  TipMessageSchema,
  TipRewardSchema,
  TipStatusSchema,
  type RewardBand,
  type TipCategory,
  type TipStatus,
} from "../../domain/tips/index.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import type { Deps } from "../deps.ts";
import type { Actor } from "../identity/actor.ts";
import { appendMessage, tipAad, type TipFacts } from "./tipster.ts";
import { decryptTipBytes, decryptTipText, encryptTipText } from "./keys.ts";
import type { TipContext } from "./context.ts";

/**
 * The supervision office's side: inbox, status changes with reasons, assignment to a unit,
 * messages to the tipster, rewards, bulk spam closing. What must stay true: only tip handlers
 * read and act on every tip; a unit's tax officers read the facts of tips assigned to their unit
 * and nothing about how they arrived (no messages, no contact, no history); every handler action
 * writes an audit row naming the handler; the tipster never appears anywhere.
 */

const isHandler = (actor: Actor) => actor.roles.includes("tip_handler");

function requireHandler(actor: Actor | null): asserts actor is Actor {
  if (!actor) throw new AppError("unauthorized");
  if (!isHandler(actor)) throw new AppError("forbidden", { reason: "role_required" });
}

const invalid = (fields: Record<string, string>) => new AppError("invalid_input", { fields });
const tipNotFound = () => new AppError("not_found", { reason: "tip_not_found", messageKey: "tip-not-found" });

/** Deadline flags of a tip on `today` (CST): not acknowledged in time, not concluded in time. */
export function tipOverdue(tip: { status: string; acknowledgeBy: string; concludeBy: string; acknowledgedOn: string | null; closedOn: string | null }, today: string) {
  const acknowledgeOverdue = tip.status === "new" && today > tip.acknowledgeBy;
  const concludeOverdue = (tip.status === "accepted" || tip.status === "investigating") && today > tip.concludeBy;
  return { acknowledgeOverdue, concludeOverdue };
}

/** One line of the inbox. */
export interface TipListItem {
  id: string;
  category: TipCategory;
  status: TipStatus;
  filedOn: string;
  acknowledgeBy: string;
  concludeBy: string;
  acknowledgeOverdue: boolean;
  concludeOverdue: boolean;
  unit: { code: string; name: string } | null;
  realName: boolean;
  attachments: number;
  /** the first 80 characters of what happened */
  preview: string;
  reward: RewardBand | null;
}

/** The handler's full view (the assigned unit gets `facts`, status and attachments only). */
export interface TipDetail extends TipListItem {
  facts: TipFacts;
  messages: { from: "handler" | "tipster"; text: string; on: string }[] | null;
  history: { status: TipStatus; reason: string; on: string; by: string }[] | null;
  attachmentIds: string[];
}

type TipRow = Awaited<ReturnType<Deps["db"]["prisma"]["tip"]["findUniqueOrThrow"]>>;

async function unitsById(deps: Deps, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const units = wanted.length ? await deps.db.prisma.unit.findMany({ where: { id: { in: wanted } }, select: { id: true, code: true, name: true } }) : [];
  return new Map(units.map((u) => [u.id, { code: u.code, name: u.name }]));
}

function listItem(tips: TipContext, tip: TipRow, today: string, units: Map<string, { code: string; name: string }>, attachments: number, viewer: "handler" | "unit"): TipListItem {
  const facts = JSON.parse(decryptTipText(tips.keys, tip.body, tipAad.body(tip.id))) as TipFacts;
  return {
    id: tip.id,
    category: tip.category as TipCategory,
    status: tip.status as TipStatus,
    filedOn: tip.filedOn,
    acknowledgeBy: tip.acknowledgeBy,
    concludeBy: tip.concludeBy,
    ...tipOverdue(tip, today),
    unit: tip.unitId ? (units.get(tip.unitId) ?? null) : null,
    realName: viewer === "handler" ? tip.realName : false,
    attachments,
    preview: facts.description.slice(0, 80),
    reward: viewer === "handler" ? ((tip.rewardBand as RewardBand | null) ?? null) : null,
  };
}

/**
 * The inbox: every tip for handlers (filter by status, or `overdue`), the tips assigned to their
 * unit for tax officers. Newest first.
 */
export async function listTips(deps: Deps, tips: TipContext, actor: Actor | null, query: { status?: string; overdue?: boolean } = {}): Promise<TipListItem[]> {
  if (!actor) throw new AppError("unauthorized");
  const handler = isHandler(actor);
  if (!handler && !actor.roles.includes("tax_officer")) throw new AppError("forbidden", { reason: "role_required" });
  const status = query.status ? TipStatusSchema.safeParse(query.status) : null;
  if (status && !status.success) throw invalid({ status: t(DEFAULT_LOCALE, "field-invalid") });
  const rows = await deps.db.prisma.tip.findMany({
    where: { ...(status?.success ? { status: status.data } : {}), ...(handler ? {} : { unitId: actor.unitId }) },
    orderBy: [{ filedOn: "desc" }],
    include: { _count: { select: { attachments: true } } },
    take: 500,
  });
  const today = cstDate(deps.clock.now());
  const units = await unitsById(deps, rows.map((r) => r.unitId));
  const items = rows.map((r) => listItem(tips, r, today, units, r._count.attachments, handler ? "handler" : "unit"));
  return query.overdue ? items.filter((i) => i.acknowledgeOverdue || i.concludeOverdue) : items;
}

async function visibleTip(deps: Deps, actor: Actor | null, id: string) {
  if (!actor) throw new AppError("unauthorized");
  const tip = await deps.db.prisma.tip.findUnique({ where: { id } });
  if (!tip) throw tipNotFound();
  if (isHandler(actor)) return { tip, viewer: "handler" as const };
  if (actor.roles.includes("tax_officer") && tip.unitId === actor.unitId) return { tip, viewer: "unit" as const };
  // Another unit's tip looks exactly like no tip.
  throw tipNotFound();
}

/** One tip: everything for handlers; the facts, status and evidence for the assigned unit's tax officers. */
export async function getTip(deps: Deps, tips: TipContext, actor: Actor | null, id: string): Promise<TipDetail> {
  const { tip, viewer } = await visibleTip(deps, actor, id);
  const attachments = await deps.db.prisma.tipAttachment.findMany({ where: { tipId: id }, orderBy: { seq: "asc" }, select: { id: true } });
  const units = await unitsById(deps, [tip.unitId]);
  const item = listItem(tips, tip, cstDate(deps.clock.now()), units, attachments.length, viewer);
  const facts = JSON.parse(decryptTipText(tips.keys, tip.body, tipAad.body(tip.id))) as TipFacts;
  if (viewer === "unit") {
    const { contact: _contact, ...shared } = facts;
    return { ...item, facts: shared, messages: null, history: null, attachmentIds: attachments.map((a) => a.id) };
  }
  const [messages, events] = await Promise.all([
    deps.db.prisma.tipMessage.findMany({ where: { tipId: id }, orderBy: { seq: "asc" } }),
    deps.db.prisma.tipEvent.findMany({ where: { tipId: id }, orderBy: { seq: "asc" } }),
  ]);
  const authors = await deps.db.prisma.user.findMany({ where: { id: { in: [...new Set(events.map((e) => e.byUserId))] } }, select: { id: true, name: true } });
  const names = new Map(authors.map((a) => [a.id, a.name]));
  return {
    ...item,
    facts,
    messages: messages.map((m) => ({ from: m.from as "handler" | "tipster", text: decryptTipText(tips.keys, m.text, tipAad.message(m.id)), on: m.on })),
    history: events.map((e) => ({ status: e.status as TipStatus, reason: decryptTipText(tips.keys, e.reason, tipAad.event(e.id)), on: e.on, by: names.get(e.byUserId) ?? "" })),
    attachmentIds: attachments.map((a) => a.id),
  };
}

/** The decrypted bytes of one evidence image, for whoever may read the tip. */
export async function readTipAttachment(deps: Deps, tips: TipContext, actor: Actor | null, tipId: string, attachmentId: string): Promise<{ mime: string; bytes: Buffer }> {
  await visibleTip(deps, actor, tipId);
  const att = await deps.db.prisma.tipAttachment.findFirst({ where: { id: attachmentId, tipId } });
  if (!att) throw new AppError("not_found", { reason: "attachment_not_found" });
  const stored = await tips.files.get(att.file);
  if (!stored) throw new AppError("not_found", { reason: "attachment_not_found" });
  const bytes = decryptTipBytes(tips.keys, stored, tipAad.attachment(att.id));
  return { mime: att.mime, bytes };
}

/** Writes the status change, its reason and its audit row in one transaction. */
async function moveTip(deps: Deps, tips: TipContext, actor: Actor, tip: TipRow, to: TipStatus, reason: string, action: string) {
  const today = cstDate(deps.clock.now());
  const final = to === "closed" || to === "not_accepted";
  const id = randomUUID();
  await deps.db.prisma.$transaction(async (tx) => {
    const moved = await tx.tip.updateMany({
      where: { id: tip.id, status: tip.status },
      data: {
        status: to,
        ...(tip.status === "new" ? { acknowledgedOn: today } : {}),
        ...(final ? { closedOn: today, purgeOn: addDays(today, tips.rules.retentionDays) } : {}),
      },
    });
    if (moved.count !== 1) throw new AppError("conflict", { reason: "tip_changed" });
    const last = await tx.tipEvent.findFirst({ where: { tipId: tip.id }, orderBy: { seq: "desc" }, select: { seq: true } });
    await tx.tipEvent.create({ data: { id, tipId: tip.id, seq: (last?.seq ?? 0) + 1, status: to, reason: encryptTipText(tips.keys, reason, tipAad.event(id)), byUserId: actor.userId, on: today } });
    await writeAudit(tx, deps.clock, { actor, action, subject: tip.id, result: "ok", detail: { from: tip.status, to } });
  });
}

async function handlerTip(deps: Deps, actor: Actor | null, id: string): Promise<{ actor: Actor; tip: TipRow }> {
  requireHandler(actor);
  const tip = await deps.db.prisma.tip.findUnique({ where: { id } });
  if (!tip) throw tipNotFound();
  return { actor, tip };
}

/** A handler changes the status (allowed moves in TIP_TRANSITIONS) with a reason. */
export async function changeTipStatus(deps: Deps, tips: TipContext, actor: Actor | null, id: string, input: unknown, opts: { locale?: Locale } = {}): Promise<TipDetail> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(ChangeTipStatusSchema, input, locale);
  const h = await handlerTip(deps, actor, id);
  if (!parsed.ok) throw invalid(parsed.fields);
  const to = parsed.data.status;
  if (!canMoveTip(h.tip.status as TipStatus, to)) {
    throw new AppError("conflict", { reason: "bad_transition", messageKey: "tip-bad-transition", params: { to: t(locale, `tip-status-${to}`) }, fields: { status: t(locale, "tip-bad-transition", { to: t(locale, `tip-status-${to}`) }) } });
  }
  await moveTip(deps, tips, h.actor, h.tip, to, parsed.data.reason, "tip.status");
  return getTip(deps, tips, h.actor, id);
}

/** A handler assigns the tip to a unit; that unit's tax officers then see its facts. */
export async function assignTip(deps: Deps, tips: TipContext, actor: Actor | null, id: string, input: unknown, opts: { locale?: Locale } = {}): Promise<TipDetail> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(AssignTipSchema, input, locale);
  const h = await handlerTip(deps, actor, id);
  if (!parsed.ok) throw invalid(parsed.fields);
  const unit = await deps.db.prisma.unit.findUnique({ where: { code: parsed.data.unit } });
  if (!unit) throw invalid({ unit: t(locale, "tip-unit-unknown") });
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.tip.update({ where: { id }, data: { unitId: unit.id } });
    await writeAudit(tx, deps.clock, { actor: h.actor, action: "tip.assign", subject: id, result: "ok", detail: { unit: unit.code } });
  });
  return getTip(deps, tips, h.actor, id);
}

/** A handler writes to the tipster (shown with the receipt). */
export async function messageTipster(deps: Deps, tips: TipContext, actor: Actor | null, id: string, input: unknown, opts: { locale?: Locale } = {}): Promise<TipDetail> {
  const parsed = parseInput(TipMessageSchema, input, opts.locale ?? DEFAULT_LOCALE);
  const h = await handlerTip(deps, actor, id);
  if (!parsed.ok) throw invalid(parsed.fields);
  await appendMessage(deps, tips, id, "handler", h.actor.userId, parsed.data.text);
  await writeAudit(deps.db.prisma, deps.clock, { actor: h.actor, action: "tip.message", subject: id, result: "ok" });
  return getTip(deps, tips, h.actor, id);
}

/** A handler marks a closed tip reward-eligible with a band (paid in person against the receipt). */
export async function markTipReward(deps: Deps, tips: TipContext, actor: Actor | null, id: string, input: unknown, opts: { locale?: Locale } = {}): Promise<TipDetail> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(TipRewardSchema, input, locale);
  const h = await handlerTip(deps, actor, id);
  if (!parsed.ok) throw invalid(parsed.fields);
  if (h.tip.status !== "closed") throw new AppError("conflict", { reason: "tip_not_closed", messageKey: "tip-reward-needs-closed" });
  await deps.db.prisma.$transaction(async (tx) => {
    await tx.tip.update({ where: { id }, data: { rewardBand: parsed.data.band } });
    await writeAudit(tx, deps.clock, { actor: h.actor, action: "tip.reward", subject: id, result: "ok", detail: { band: parsed.data.band } });
  });
  return getTip(deps, tips, h.actor, id);
}

/** Closes many open tips as spam at once (each with an event and an audit row); returns how many were closed. */
export async function closeSpamTips(deps: Deps, tips: TipContext, actor: Actor | null, input: unknown, opts: { locale?: Locale } = {}): Promise<{ closed: number }> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  requireHandler(actor);
  const parsed = parseInput(CloseSpamSchema, input, locale);
  if (!parsed.ok) throw invalid(parsed.fields);
  const reason = parsed.data.reason ?? t(locale, "tip-spam-reason");
  const rows = await deps.db.prisma.tip.findMany({ where: { id: { in: parsed.data.ids }, status: { in: ["new", "accepted", "investigating"] } } });
  let closed = 0;
  for (const tip of rows) {
    try {
      await moveTip(deps, tips, actor, tip, "closed", reason, "tip.spam");
      closed += 1;
    } catch (e) {
      if (!(e instanceof AppError && e.code === "conflict")) throw e;
    }
  }
  return { closed };
}
