import { createHash } from "node:crypto";
import { t, type Locale } from "../../domain/i18n.ts";
import { addDays, cstDate, cstStartOfDay } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import type { UnitType } from "../../domain/units.ts";
import {
  feedDeadline,
  feedDueDate,
  FEED_TYPES,
  isFileablePeriod,
  matchFeedHeaders,
  duePeriod,
  validateFeedRows,
  type FeedReportType,
} from "../../domain/reports/feeds.ts";
import { FeedFilingSchema, getReportType } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import { writeAudit } from "../audit.ts";
import { enqueueMessage } from "../outbox.ts";
import type { Actor, Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { disclosedData, disclosureFor, isUniqueViolation, localeOf, toViews, typeForReporter, type ReportOptions, type ReportView } from "./common.ts";
import { readFeedFile } from "./feed-file.ts";
import { insertFeedFiling, isSqliteUniqueViolation } from "./feed-store.ts";

/** At most this many row problems are returned; the count says how many there were in all. */
const MAX_REPORTED_ROW_ERRORS = 200;

function feedFor(actor: Actor, code: string, locale: Locale): FeedReportType {
  const type = typeForReporter(actor, code, locale);
  if (type.kind !== "feed") {
    throw new AppError("invalid_input", { reason: "type_not_feed", fields: { type: t(locale, "report-type-not-feed", { type: t(locale, type.titleKey) }) } });
  }
  return type;
}

function parseFiling(actor: Actor | null, input: unknown, deps: Deps, locale: Locale) {
  requireRole(actor, "reporter");
  const parsed = parseInput(FeedFilingSchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const feed = feedFor(actor, parsed.data.type, locale);
  if (!isFileablePeriod(parsed.data.period, deps.clock.now())) {
    throw new AppError("invalid_input", { reason: "period_future", fields: { period: t(locale, "report-period-future") } });
  }
  return { actor, feed, period: parsed.data.period, clientId: parsed.data.clientId };
}

async function byClientId(deps: Deps, userId: string, clientId: string): Promise<ReportView | null> {
  const row = await deps.db.prisma.report.findUnique({ where: { userId_clientId: { userId, clientId } } });
  return row ? (await toViews(deps, [row]))[0]! : null;
}

/** The outcome of an upload: the stored report and what the file held. */
export interface FeedUploadResult {
  created: boolean;
  report: ReportView;
  format: "csv" | "xlsx";
  encoding: string | null;
  rows: number;
  flagged: { line: number; flag: string }[];
}

/**
 * Files one period of a feed from an uploaded CSV/XLSX. The file is read (GBK/GB18030 CSVs from
 * Excel are decoded), its header matched to the template and every row validated. Any column or
 * row problem refuses the WHOLE file (400 with `fields` keyed `columns.<header>` or
 * `rows.<line>.<column>`): nothing is half-saved. A valid file is stored in one transaction.
 * Uploading the same bytes again (same default clientId) returns the first filing.
 */
export async function uploadFeed(
  deps: Deps,
  actorIn: Actor | null,
  input: { type: string; period: string; clientId?: string; fileName?: string; bytes: Buffer },
  opts?: ReportOptions,
): Promise<FeedUploadResult> {
  const locale = localeOf(opts);
  const { actor, feed, period, clientId: givenId } = parseFiling(actorIn, { type: input.type, period: input.period, ...(input.clientId ? { clientId: input.clientId } : {}) }, deps, locale);
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  const clientId = givenId ?? `file-${feed.code.slice(5, 20)}-${period}-${sha256.slice(0, 32)}`;
  const prior = await byClientId(deps, actor.userId, clientId);
  if (prior) return { created: false, report: prior, format: (prior.data.format as "csv" | "xlsx") ?? "csv", encoding: (prior.data.encoding as string) ?? null, rows: prior.rowCount, flagged: [] };

  const table = await readFeedFile(input.bytes);
  const english = (c: { labelKey: Parameters<typeof t>[1] }) => t("en", c.labelKey);
  const { mapping, columnErrors } = matchFeedHeaders(feed, table.headers, english);
  if (columnErrors.length > 0) {
    const fields = Object.fromEntries(columnErrors.map((e) => [`columns.${e.column}`, t(locale, e.messageKey)]));
    throw new AppError("invalid_input", {
      reason: "columns_wrong",
      messageKey: "feed-columns-wrong",
      params: { columns: columnErrors.map((e) => `${e.column}（${t(locale, e.messageKey)}）`).join("；") },
      fields,
    });
  }
  const { rows, rowErrors } = validateFeedRows(feed, mapping, table.rows, locale);
  if (rowErrors.length > 0) {
    const fields: Record<string, string> = {};
    for (const e of rowErrors.slice(0, MAX_REPORTED_ROW_ERRORS)) {
      for (const [k, v] of Object.entries(e.fields)) fields[`rows.${e.line}.${k}`] = v;
    }
    throw new AppError("invalid_input", { reason: "rows_invalid", messageKey: "feed-rows-invalid", params: { count: rowErrors.length }, fields });
  }
  if (rows.length === 0) throw new AppError("invalid_input", { reason: "file_empty", messageKey: "feed-file-empty", fields: { file: t(locale, "feed-file-empty") } });

  const now = deps.clock.now();
  const { timeliness, dueAt } = feedDeadline(feed, period, now);
  const flagged = rows.filter((r) => r.flag).map((r) => ({ line: r.line, flag: r.flag! }));
  const fileName = (input.fileName ?? "").slice(0, 200);
  try {
    const id = insertFeedFiling(deps.db.sqlite, {
      type: feed.code,
      unitId: actor.unitId,
      userId: actor.userId,
      clientId,
      data: JSON.stringify({ nil: false, fileName, sha256, format: table.format, encoding: table.encoding, rows: rows.length, flagged: flagged.length }),
      summary: `${period} · ${rows.length}`,
      timeliness,
      dueAt,
      period,
      nil: false,
      createdAt: now,
      rows: rows.map((r) => ({ line: r.line, data: JSON.stringify(r.data), flag: r.flag })),
      audit: { action: "report.feed_upload", result: "ok", detail: JSON.stringify({ type: feed.code, period, rows: rows.length, timeliness }) },
    });
    const report = (await toViews(deps, [await deps.db.prisma.report.findUniqueOrThrow({ where: { id } })]))[0]!;
    return { created: true, report, format: table.format, encoding: table.encoding, rows: rows.length, flagged };
  } catch (e) {
    if (isSqliteUniqueViolation(e)) {
      const again = await byClientId(deps, actor.userId, clientId);
      if (again) return { created: false, report: again, format: table.format, encoding: table.encoding, rows: again.rowCount, flagged };
    }
    throw e;
  }
}

/**
 * Files 本期无 ("nothing this period") for a feed. Idempotent per user, type and period. Refused
 * with 409 when the unit already uploaded data for the period (a nil report would contradict it).
 */
export async function fileNilReport(deps: Deps, actorIn: Actor | null, input: unknown, opts?: ReportOptions): Promise<{ created: boolean; report: ReportView }> {
  const locale = localeOf(opts);
  const { actor, feed, period, clientId: givenId } = parseFiling(actorIn, input, deps, locale);
  const clientId = givenId ?? `nil-${feed.code.slice(5, 30)}-${period}`;
  const prior = await byClientId(deps, actor.userId, clientId);
  if (prior) return { created: false, report: prior };
  const uploaded = await deps.db.prisma.report.findFirst({ where: { type: feed.code, unitId: actor.unitId, period, nil: false, status: { not: "returned" } } });
  if (uploaded) throw new AppError("conflict", { reason: "period_has_data" });
  const now = deps.clock.now();
  const { timeliness, dueAt } = feedDeadline(feed, period, now);
  try {
    const id = await deps.db.prisma.$transaction(async (tx) => {
      const report = await tx.report.create({
        data: {
          type: feed.code,
          unitId: actor.unitId,
          userId: actor.userId,
          clientId,
          data: JSON.stringify({ nil: true }),
          summary: `${period} · ${t("zh-CN", "report-nil")}`,
          timeliness,
          dueAt,
          period,
          nil: true,
          createdAt: now,
        },
      });
      await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "report.feed_nil", subject: report.id, result: "ok", detail: { type: feed.code, period } });
      return report.id;
    });
    return { created: true, report: (await toViews(deps, [await deps.db.prisma.report.findUniqueOrThrow({ where: { id } })]))[0]! };
  } catch (e) {
    if (isUniqueViolation(e)) {
      const again = await byClientId(deps, actor.userId, clientId);
      if (again) return { created: false, report: again };
    }
    throw e;
  }
}

/** A feed a unit has not filed for a period. `overdue` once its due day (CST) has passed. */
export interface MissingFeed {
  type: string;
  period: string;
  unit: { code: string; name: string; type: string };
  dueDate: string;
  overdue: boolean;
}

async function unitsOfTypes(deps: Deps, types: readonly UnitType[]) {
  return deps.db.prisma.unit.findMany({ where: { type: { in: [...types] } }, select: { id: true, code: true, name: true, type: true }, orderBy: { code: "asc" } });
}

/** Unit ids that have filed (upload or nil, not returned) a feed for a period. */
async function filedUnitIds(deps: Deps, feed: FeedReportType, period: string): Promise<Set<string>> {
  const rows = await deps.db.prisma.report.findMany({
    where: { type: feed.code, period, status: { not: "returned" } },
    select: { unitId: true },
    distinct: ["unitId"],
  });
  return new Set(rows.map((r) => r.unitId));
}

/**
 * Completeness for oversight: every (feed, unit) with nothing filed for `period`. Units are those
 * whose type files the feed. Tax officers, coordinators and admins; or the local operator (CLI).
 */
export async function missingFeeds(deps: Deps, actor: Principal, period: string): Promise<MissingFeed[]> {
  requireRole(actor, "tax_officer", "coordinator", "admin");
  const now = deps.clock.now();
  const out: MissingFeed[] = [];
  for (const feed of FEED_TYPES) {
    const [units, filed] = await Promise.all([unitsOfTypes(deps, feed.unitTypes), filedUnitIds(deps, feed, period)]);
    const dueDate = feedDueDate(feed, period);
    for (const u of units) {
      if (filed.has(u.id)) continue;
      out.push({ type: feed.code, period, unit: { code: u.code, name: u.name, type: u.type }, dueDate, overdue: cstDate(now) > dueDate });
    }
  }
  return out;
}

/**
 * Queues feed reminders for the unit reporters who have not filed yet: "3 days left" from three
 * days before the due day, and "due today" on the due day (09:00 CST or later). Run it as often as
 * you like (the bot runs it every few minutes): each reminder's Outbox.dedupeKey makes it send once,
 * across restarts and several processes. Returns how many new reminders were queued.
 */
export async function scheduleReminders(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const today = cstDate(now);
  const period = duePeriod(now);
  const morning = new Date(cstStartOfDay(today).getTime() + 9 * 3600_000);
  const sendAfter = morning > now ? morning : now;
  let queued = 0;
  for (const feed of FEED_TYPES) {
    const due = feedDueDate(feed, period);
    const kind = today === due ? "d0" : today >= addDays(due, -3) && today < due ? "d-3" : null;
    if (!kind) continue;
    const [units, filed] = await Promise.all([unitsOfTypes(deps, feed.unitTypes), filedUnitIds(deps, feed, period)]);
    const waiting = units.filter((u) => !filed.has(u.id));
    if (waiting.length === 0) continue;
    const reporters = await deps.db.prisma.user.findMany({
      where: { unitId: { in: waiting.map((u) => u.id) }, active: true, roles: { some: { role: "reporter" } } },
      select: { id: true, unitId: true },
    });
    for (const r of reporters) {
      const dedupeKey = `reminder:${feed.code}:${period}:${r.unitId}:${r.id}:${kind}`;
      const exists = await deps.db.prisma.outbox.findUnique({ where: { dedupeKey }, select: { id: true } });
      if (exists) continue;
      await enqueueMessage(deps.db.prisma, {
        userId: r.id,
        now,
        sendAfter,
        dedupeKey,
        payload: { key: kind === "d0" ? "feed-reminder-today" : "feed-reminder-before", params: { period, due }, keyParams: { type: feed.titleKey } },
      });
      queued++;
    }
  }
  return queued;
}

/** The rows of a feed filing, a page at a time, for the reviewer (same visibility as the report). */
export async function listFeedRows(
  deps: Deps,
  actor: Actor | null,
  reportId: string,
  page: { offset?: number; limit?: number } = {},
): Promise<{ total: number; rows: { line: number; data: Record<string, unknown>; flag: string | null }[] }> {
  if (!actor) throw new AppError("unauthorized");
  const report = await deps.db.prisma.report.findUnique({ where: { id: reportId }, select: { unitId: true, userId: true, type: true, rowCount: true } });
  const allowed = report && (report.unitId === actor.unitId || actor.roles.includes("tax_officer") || actor.roles.includes("coordinator"));
  if (!report || !allowed) throw new AppError("not_found", { reason: "report_not_found" });
  const rows = await deps.db.prisma.feedRow.findMany({
    where: { reportId },
    orderBy: { line: "asc" },
    skip: Math.max(0, page.offset ?? 0),
    take: Math.min(Math.max(1, page.limit ?? 100), 500),
  });
  const disclosure = disclosureFor(actor, report);
  const type = getReportType(report.type);
  return {
    total: report.rowCount,
    rows: rows.map((r) => ({ line: r.line, data: disclosedData(type, JSON.parse(r.data) as Record<string, unknown>, "", disclosure).data, flag: r.flag })),
  };
}
