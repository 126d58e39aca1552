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
  duePeriod,
  type FeedReportType,
} from "../../domain/reports/feeds.ts";
import { FeedFilingSchema, getReportType } from "../../domain/reports/registry.ts";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import { enqueueMessage } from "../outbox.ts";
import type { Actor, Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { disclosedData, disclosureFor, localeOf, toViews, typeForReporter, type ReportOptions, type ReportView } from "./common.ts";
import { capBytes, feedTooLarge, MAX_FEED_BYTES } from "./feed-file.ts";
import type { FeedParseResult } from "./feed-parse.ts";
import { feedStoreFor, isRawUniqueViolation } from "./feed-store.ts";
import { runStreamWorker, WorkerLimitError, type WorkerLimits } from "../worker-stream.ts";

/**
 * The feed worker's caps: a 200,000-row file within every cap reads in well under them; a file that
 * still exhausts them (something the reader's caps did not foresee) ends only the worker.
 */
export const FEED_WORKER_LIMITS: WorkerLimits = { heapMb: 384, timeoutMs: 120_000 };

const FEED_WORKER = new URL("./feed-worker.mjs", import.meta.url);

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

/** An upload: the file's bytes whole (the bot downloads them) or as they arrive (the API streams them). */
export type FeedUploadInput = { type: string; period: string; clientId?: string; fileName?: string } & ({ bytes: Buffer } | { stream: AsyncIterable<Buffer> });

const priorUpload = (report: ReportView): FeedUploadResult => ({
  created: false,
  report,
  format: (report.data.format as "csv" | "xlsx") ?? "csv",
  encoding: (report.data.encoding as string) ?? null,
  rows: report.rowCount,
  flagged: [],
});

/**
 * Reads and validates an upload in the feed worker thread (feed-worker.ts), hashing and size-capping
 * the bytes on their way to it. The caps of openFeedFile refuse a hostile file the moment it crosses
 * one; the worker's heap and time limits catch the rest as a 400, never a dead process.
 */
async function readUpload(input: FeedUploadInput, feed: FeedReportType, locale: Locale): Promise<{ parsed: FeedParseResult; sha256: string }> {
  if ("bytes" in input && input.bytes.length > MAX_FEED_BYTES) throw feedTooLarge();
  const hash = createHash("sha256");
  const source = "bytes" in input ? [input.bytes] : input.stream;
  async function* hashed() {
    for await (const chunk of capBytes(source, MAX_FEED_BYTES, feedTooLarge)) {
      hash.update(chunk);
      yield chunk;
    }
  }
  try {
    const parsed = await runStreamWorker<FeedParseResult>(FEED_WORKER, { feedCode: feed.code, locale }, hashed(), FEED_WORKER_LIMITS);
    return { parsed, sha256: hash.digest("hex") };
  } catch (e) {
    if (!(e instanceof WorkerLimitError)) throw e;
    const params = { mb: e.limits.heapMb, seconds: Math.round(e.limits.timeoutMs / 1000) };
    throw new AppError("invalid_input", { reason: "file_too_complex", messageKey: "feed-file-too-complex", params, fields: { file: t(locale, "feed-file-too-complex", params) } });
  }
}

/**
 * Files one period of a feed from an uploaded CSV/XLSX. The file is read as it arrives, in a
 * worker thread, with row, column, cell and unpacked-size caps (feed-file.ts); GBK/GB18030 CSVs
 * from Excel are decoded; its header is matched to the template and every row validated. Any
 * column or row problem refuses the WHOLE file (400 with `fields` keyed `columns.<header>` or
 * `rows.<line>.<column>`): nothing is half-saved. A valid file is stored in one transaction, unless
 * the unit filed 本期无 for the period (409). Uploading the same bytes again (same default
 * clientId) returns the first filing.
 */
export async function uploadFeed(deps: Deps, actorIn: Actor | null, input: FeedUploadInput, opts?: ReportOptions): Promise<FeedUploadResult> {
  const locale = localeOf(opts);
  const { actor, feed, period, clientId: givenId } = parseFiling(actorIn, { type: input.type, period: input.period, ...(input.clientId ? { clientId: input.clientId } : {}) }, deps, locale);
  if (givenId) {
    const prior = await byClientId(deps, actor.userId, givenId);
    if (prior) return priorUpload(prior);
  }

  const { parsed, sha256 } = await readUpload(input, feed, locale);
  if (parsed.columnErrors.length > 0) {
    const fields = Object.fromEntries(parsed.columnErrors.map((e) => [`columns.${e.column}`, t(locale, e.messageKey)]));
    throw new AppError("invalid_input", {
      reason: "columns_wrong",
      messageKey: "feed-columns-wrong",
      params: { columns: parsed.columnErrors.map((e) => `${e.column}（${t(locale, e.messageKey)}）`).join("；") },
      fields,
    });
  }
  if (parsed.rowErrorCount > 0) {
    const fields: Record<string, string> = {};
    for (const e of parsed.rowErrors) {
      for (const [k, v] of Object.entries(e.fields)) fields[`rows.${e.line}.${k}`] = v;
    }
    throw new AppError("invalid_input", { reason: "rows_invalid", messageKey: "feed-rows-invalid", params: { count: parsed.rowErrorCount }, fields });
  }
  if (parsed.data.length === 0) throw new AppError("invalid_input", { reason: "file_empty", messageKey: "feed-file-empty", fields: { file: t(locale, "feed-file-empty") } });

  const clientId = givenId ?? `file-${feed.code.slice(5, 20)}-${period}-${sha256.slice(0, 32)}`;
  if (!givenId) {
    const prior = await byClientId(deps, actor.userId, clientId);
    if (prior) return priorUpload(prior);
  }
  const now = deps.clock.now();
  const { timeliness, dueAt } = feedDeadline(feed, period, now);
  const flagged: FeedUploadResult["flagged"] = [];
  parsed.flags.forEach((flag, i) => {
    if (flag) flagged.push({ line: parsed.lines[i]!, flag });
  });
  const count = parsed.data.length;
  const fileName = (input.fileName ?? "").slice(0, 200);
  try {
    const id = await feedStoreFor(deps.db).insertFiling({
      type: feed.code,
      unitId: actor.unitId,
      userId: actor.userId,
      clientId,
      data: JSON.stringify({ nil: false, fileName, sha256, format: parsed.format, encoding: parsed.encoding, rows: count, flagged: flagged.length }),
      summary: `${period} · ${count}`,
      timeliness,
      dueAt,
      period,
      nil: false,
      createdAt: now,
      rows: parsed.data.map((data, i) => ({ line: parsed.lines[i]!, data, flag: parsed.flags[i] ?? null })),
      audit: { action: "report.feed_upload", result: "ok", detail: JSON.stringify({ type: feed.code, period, rows: count, timeliness }) },
    });
    const report = (await toViews(deps, [await deps.db.prisma.report.findUniqueOrThrow({ where: { id } })]))[0]!;
    return { created: true, report, format: parsed.format, encoding: parsed.encoding, rows: count, flagged };
  } catch (e) {
    if (isRawUniqueViolation(e)) {
      const again = await byClientId(deps, actor.userId, clientId);
      if (again) return { created: false, report: again, format: parsed.format, encoding: parsed.encoding, rows: again.rowCount, flagged };
    }
    throw e;
  }
}

/**
 * Files 本期无 ("nothing this period") for a feed. Idempotent per user, type and period. Refused
 * with 409 when the unit already uploaded data for the period (a nil report would contradict it);
 * the check and the write are one transaction (feed-store.ts), so a concurrent upload cannot slip
 * in between.
 */
export async function fileNilReport(deps: Deps, actorIn: Actor | null, input: unknown, opts?: ReportOptions): Promise<{ created: boolean; report: ReportView }> {
  const locale = localeOf(opts);
  const { actor, feed, period, clientId: givenId } = parseFiling(actorIn, input, deps, locale);
  const clientId = givenId ?? `nil-${feed.code.slice(5, 30)}-${period}`;
  const prior = await byClientId(deps, actor.userId, clientId);
  if (prior) return { created: false, report: prior };
  const now = deps.clock.now();
  const { timeliness, dueAt } = feedDeadline(feed, period, now);
  try {
    const id = await feedStoreFor(deps.db).insertFiling({
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
      rows: [],
      audit: { action: "report.feed_nil", result: "ok", detail: JSON.stringify({ type: feed.code, period }) },
    });
    return { created: true, report: (await toViews(deps, [await deps.db.prisma.report.findUniqueOrThrow({ where: { id } })]))[0]! };
  } catch (e) {
    if (isRawUniqueViolation(e)) {
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
