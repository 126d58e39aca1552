import ExcelJS from "exceljs";
import { t, type Locale, type MessageKey } from "../../domain/i18n.ts";
import { QuarterlyPackQuerySchema, type OversightPeriod } from "../../domain/oversight/period.ts";
import { getReportType } from "../../domain/reports/registry.ts";
import { addDays, cstDate } from "../../domain/time.ts";
import { parseInput } from "../../domain/validation.ts";
import { AppError } from "../errors.ts";
import { requireRole, type Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { oversightPeriodOrThrow } from "../oversight/units.ts";
import { daysBetween, dutiesOverdueBetween, type DutyKind, type DutyRecord } from "./duties.ts";
import { ESCALATION_STEP_DAYS, type EscalationStage } from "./escalate.ts";

/** One escalation step taken for a duty: which, on which CST date, to how many people. */
export interface AccountabilityReminder {
  stage: EscalationStage;
  /** "提醒经办人员" ... in the list's language */
  label: string;
  on: string;
  recipients: number;
  /** the step in words: "2026-11-06 提醒经办人员（2 人）", or that nobody could be told */
  text: string;
}

/** One line of the accountability list (责任追究名单): a unit, a duty it was late on, and what was done about it. */
export interface AccountabilityItem {
  unit: { code: string; name: string; town: string | null };
  duty: { kind: DutyKind; kindLabel: string; text: string };
  dueOn: string;
  /** days past the due date: until done, or until today (a past quarter's end) while open */
  daysLate: number;
  done: boolean;
  doneOn: string | null;
  reminders: AccountabilityReminder[];
}

/** The quarter's list, most days late first. `empty` = no duty was overdue during the quarter. */
export interface AccountabilityList {
  locale: Locale;
  quarter: string;
  from: string;
  /** last day, inclusive */
  to: string;
  /** the CST date the list was made (open duties count up to it) */
  asOf: string;
  empty: boolean;
  items: AccountabilityItem[];
  /** how the days and the steps are counted, in words */
  rule: string;
}

const STAGE_LABEL: Record<EscalationStage, MessageKey> = { 1: "accountability-stage-1", 2: "accountability-stage-2", 3: "accountability-stage-3" };

function describe(d: DutyRecord, locale: Locale): string {
  const s = d.subject;
  if (s.kind === "feed") return t(locale, "accountability-duty-feed", { type: t(locale, getReportType(s.type)!.titleKey), period: s.period });
  if (s.kind === "task") return t(locale, "accountability-duty-task", { title: s.title, meetingOn: s.meetingOn });
  return t(locale, s.deadline === "ack" ? "accountability-duty-tip-ack" : "accountability-duty-tip-conclude");
}

/** Builds the list for a started quarter (no role check: callers do; the meeting pack may include it). */
export async function accountabilityListFor(deps: Deps, quarter: OversightPeriod, locale: Locale): Promise<AccountabilityList> {
  const today = cstDate(deps.clock.now());
  const lastDay = addDays(quarter.to, -1);
  const countTo = today < lastDay ? today : lastDay;
  const duties = await dutiesOverdueBetween(deps, quarter, today);
  const unitIds = [...new Set(duties.map((d) => d.unitId))];
  const [units, steps] = await Promise.all([
    deps.db.prisma.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, code: true, name: true, type: true, parent: { select: { name: true, type: true } } } }),
    deps.db.prisma.dutyEscalation.findMany({ where: { unitId: { in: unitIds } }, select: { dutyKind: true, dutyRef: true, unitId: true, stage: true, at: true, recipients: true }, orderBy: [{ stage: "asc" }] }),
  ]);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const stepsOf = new Map<string, AccountabilityReminder[]>();
  for (const s of steps) {
    const key = `${s.dutyKind}|${s.dutyRef}|${s.unitId}`;
    const list = stepsOf.get(key) ?? [];
    const stage = s.stage as EscalationStage;
    const label = t(locale, STAGE_LABEL[stage] ?? "accountability-stage-1");
    const on = cstDate(s.at);
    const text = s.recipients > 0 ? t(locale, "accountability-reminder", { on, stage: label, count: s.recipients }) : t(locale, "accountability-reminder-nobody", { on, stage: label });
    list.push({ stage, label, on, recipients: s.recipients, text });
    stepsOf.set(key, list);
  }
  const items: AccountabilityItem[] = duties.map((d) => {
    const u = unitById.get(d.unitId);
    const town = u ? (u.type === "town" ? u.name : u.parent?.type === "town" ? u.parent.name : null) : null;
    return {
      unit: { code: u?.code ?? "", name: u?.name ?? "", town },
      duty: { kind: d.subject.kind, kindLabel: t(locale, `accountability-kind-${d.subject.kind}`), text: describe(d, locale) },
      dueOn: d.dueOn,
      daysLate: daysBetween(d.dueOn, d.doneOn ?? countTo),
      done: d.doneOn !== null,
      doneOn: d.doneOn,
      reminders: stepsOf.get(`${d.subject.kind}|${d.ref}|${d.unitId}`) ?? [],
    };
  });
  items.sort((a, b) => b.daysLate - a.daysLate || a.unit.code.localeCompare(b.unit.code) || a.dueOn.localeCompare(b.dueOn) || a.duty.text.localeCompare(b.duty.text));
  return {
    locale,
    quarter: quarter.code,
    from: quarter.from,
    to: lastDay,
    asOf: today,
    empty: items.length === 0,
    items,
    rule: t(locale, "accountability-rule", { first: ESCALATION_STEP_DAYS[1], second: ESCALATION_STEP_DAYS[2], third: ESCALATION_STEP_DAYS[3] }),
  };
}

/**
 * The quarterly accountability list (责任追究, `{ quarter: "2026Q4" }`): every duty (feed, meeting
 * task, tip deadline) that was overdue on some day of the quarter, with its unit and town, how many
 * days late, whether it is done, and the reminders the escalation sent. A malformed quarter -> 400
 * with the field; one not started -> 400 period_not_started. Coordinators, admins and tax officers.
 */
export async function accountabilityList(deps: Deps, actor: Principal | null, input: unknown, opts: { locale?: Locale } = {}): Promise<AccountabilityList> {
  requireRole(actor, "coordinator", "admin", "tax_officer");
  const locale = opts.locale ?? "zh-CN";
  const parsed = parseInput(QuarterlyPackQuerySchema, input, locale);
  if (!parsed.ok) throw new AppError("invalid_input", { fields: parsed.fields });
  const quarter = oversightPeriodOrThrow(deps, parsed.data.quarter, locale, "quarter");
  return accountabilityListFor(deps, quarter, locale);
}

/** The file name of the list's workbook: ASCII (for the Content-Disposition fallback) and Chinese. */
export function accountabilityFileName(quarter: string): { ascii: string; utf8: string } {
  return { ascii: `accountability-${quarter}.xlsx`, utf8: `责任追究名单-${quarter}.xlsx` };
}

/** The list's columns (message keys) and their widths, for its own workbook and the pack's sheet. */
export const ACCOUNTABILITY_COLUMNS = ["accountability-unit", "accountability-town", "accountability-kind", "accountability-duty", "accountability-due", "accountability-days-late", "accountability-state", "accountability-reminders"] as const;
export const ACCOUNTABILITY_WIDTHS = [28, 16, 14, 40, 12, 10, 18, 50];

/** One item as a row of ACCOUNTABILITY_COLUMNS. */
export function accountabilityCells(item: AccountabilityItem, locale: Locale): (string | number)[] {
  const L = (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
  return [
    item.unit.name,
    item.unit.town ?? "",
    item.duty.kindLabel,
    item.duty.text,
    item.dueOn,
    item.daysLate,
    item.done ? L("accountability-done", { on: item.doneOn! }) : L("accountability-open"),
    item.reminders.length ? item.reminders.map((r) => r.text).join("\n") : L("accountability-no-reminders"),
  ];
}

/** The list as an XLSX workbook, A4 landscape, the header row repeated on every printed page. */
export async function accountabilityWorkbook(list: AccountabilityList, locale: Locale = "zh-CN"): Promise<Buffer> {
  const L = (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
  const wb = new ExcelJS.Workbook();
  wb.creator = "协税通";
  wb.title = L("accountability-title", { quarter: list.quarter });
  const s = wb.addWorksheet(L("accountability-title", { quarter: list.quarter }).slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
    views: [{ state: "frozen", ySplit: 1 }],
  });
  s.columns = ACCOUNTABILITY_COLUMNS.map((h, i) => ({ header: L(h), width: ACCOUNTABILITY_WIDTHS[i] }));
  s.getRow(1).font = { name: "宋体", bold: true };
  for (const item of list.items) s.addRow(accountabilityCells(item, locale)).alignment = { vertical: "top", wrapText: true };
  if (list.empty) s.addRow([L("accountability-empty", { quarter: list.quarter })]);
  s.addRow([]);
  s.addRow([list.rule]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
