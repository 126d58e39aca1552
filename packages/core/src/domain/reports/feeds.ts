import { z } from "zod";
import { normalizeText } from "../text.ts";
import { addDays, cstDate, cstStartOfDay } from "../time.ts";
import type { MessageKey } from "../i18n.ts";
import type { UnitType } from "../units.ts";
import { parseInput, type FieldErrors } from "../validation.ts";
import type { Locale } from "../i18n.ts";
import { fieldSchema, type FieldSpec } from "./fields.ts";
import { readFieldAnswer } from "./read-answer.ts";
import type { DeadlineResult } from "./report-types.ts";

/**
 * Periodic department feeds (部门定期数据). Every feed is monthly: period `YYYY-MM`, due by day
 * `dueDay` (CST) of the following month, as a CSV/XLSX upload or an explicit 本期无 nil report.
 * A unit that has filed neither by the due day shows as missing for that period.
 */
export interface FeedColumn extends FieldSpec {
  /** The Chinese column header of the template (also accepted: the English label and the key). */
  header: string;
}

export interface FeedReportType {
  kind: "feed";
  code: string;
  titleKey: MessageKey;
  unitTypes: readonly UnitType[];
  columns: readonly FeedColumn[];
  /** Day of the following month by which the period must be filed. */
  dueDay: number;
  /** Marks rows the tax bureau wants singled out (e.g. plot ratio < 1.0); returns a catalogue key. */
  flag?(row: Record<string, unknown>): MessageKey | null;
}

const col = (c: Omit<FeedColumn, "labelKey"> & { labelKey?: MessageKey }): FeedColumn => ({
  ...c,
  labelKey: c.labelKey ?? (`report-field-${c.name}` as MessageKey),
});

/** 建筑施工许可 and the plot-ratio < 1.0 list, from the construction bureau, by the 10th. */
export const constructionPermitsFeed: FeedReportType = {
  kind: "feed",
  code: "feed_construction_permits",
  titleKey: "report-type-feed_construction_permits",
  unitTypes: ["construction_bureau"],
  dueDay: 10,
  columns: [
    col({ name: "permitNo", header: "施工许可证号", kind: "text", required: true, max: 50 }),
    col({ name: "projectName", header: "项目名称", kind: "text", required: true, max: 200 }),
    col({ name: "developer", header: "建设单位", kind: "text", required: true, max: 200 }),
    col({ name: "developerUscc", header: "建设单位统一社会信用代码", kind: "uscc", required: true }),
    col({ name: "address", header: "项目地址", kind: "text", required: true, max: 200 }),
    col({ name: "floorArea", header: "建筑面积(平方米)", kind: "number", required: true, positive: true, max: 10_000_000, unitKey: "unit-m2" }),
    col({ name: "plotRatio", header: "容积率", kind: "number", required: true, positive: true, max: 100 }),
    col({ name: "contractPrice", header: "合同价(元)", kind: "money", required: false, min: 0, max: 1e12, unitKey: "unit-yuan" }),
    col({ name: "issuedOn", header: "发证日期", kind: "date", required: true }),
  ],
  flag: (row) => (typeof row.plotRatio === "number" && row.plotRatio < 1 ? "report-flag-low-plot-ratio" : null),
};

/** New business registrations from the market regulation bureau (市场监管, formerly 工商), by the 10th. */
export const businessRegistrationsFeed: FeedReportType = {
  kind: "feed",
  code: "feed_business_registrations",
  titleKey: "report-type-feed_business_registrations",
  unitTypes: ["market_regulation"],
  dueDay: 10,
  columns: [
    col({ name: "uscc", header: "统一社会信用代码", kind: "uscc", required: true }),
    col({ name: "businessName", header: "名称", kind: "text", required: true, max: 200 }),
    col({ name: "legalRep", header: "法定代表人", kind: "text", required: true, max: 50, pii: "name" }),
    col({ name: "address", header: "住所", kind: "text", required: true, max: 200 }),
    col({ name: "registeredCapital", header: "注册资本(元)", kind: "money", required: false, min: 0, max: 1e13, unitKey: "unit-yuan" }),
    col({ name: "registeredOn", header: "成立日期", kind: "date", required: true }),
  ],
};

/** Land-use-right grants and transfers (国土), by the 10th. */
export const landTransfersFeed: FeedReportType = {
  kind: "feed",
  code: "feed_land_transfers",
  titleKey: "report-type-feed_land_transfers",
  unitTypes: ["land_bureau"],
  dueDay: 10,
  columns: [
    col({ name: "contractNo", header: "合同编号", kind: "text", required: true, max: 50 }),
    col({ name: "parcelNo", header: "宗地编号", kind: "text", required: true, max: 50 }),
    col({ name: "transferee", header: "受让人", kind: "text", required: true, max: 200, pii: "name" }),
    col({ name: "transfereeIdNo", header: "受让人证件号码", kind: "id_or_uscc", required: true }),
    col({ name: "address", header: "坐落", kind: "text", required: true, max: 200 }),
    col({ name: "area", header: "面积(平方米)", kind: "number", required: true, positive: true, max: 100_000_000, unitKey: "unit-m2" }),
    col({ name: "price", header: "成交价(元)", kind: "money", required: true, min: 0, max: 1e13, unitKey: "unit-yuan" }),
    col({ name: "signedOn", header: "签订日期", kind: "date", required: true }),
  ],
};

/** Property transfer registrations (房管), by the 10th. */
export const propertyTransfersFeed: FeedReportType = {
  kind: "feed",
  code: "feed_property_transfers",
  titleKey: "report-type-feed_property_transfers",
  unitTypes: ["housing_bureau"],
  dueDay: 10,
  columns: [
    col({ name: "contractNo", header: "合同编号", kind: "text", required: true, max: 50 }),
    col({ name: "address", header: "房屋坐落", kind: "text", required: true, max: 200 }),
    col({ name: "transferor", header: "转让方", kind: "text", required: true, max: 200, pii: "name" }),
    col({ name: "transferorIdNo", header: "转让方证件号码", kind: "id_or_uscc", required: true }),
    col({ name: "transferee", header: "受让人", kind: "text", required: true, max: 200, pii: "name" }),
    col({ name: "transfereeIdNo", header: "受让人证件号码", kind: "id_or_uscc", required: true }),
    col({ name: "area", header: "面积(平方米)", kind: "number", required: true, positive: true, max: 1_000_000, unitKey: "unit-m2" }),
    col({ name: "price", header: "成交价(元)", kind: "money", required: true, min: 0, max: 1e12, unitKey: "unit-yuan" }),
    col({ name: "registeredOn", header: "登记日期", kind: "date", required: true }),
  ],
};

/** Enterprise electricity use (供电公司), by the 15th: meter readings close at month end. */
export const electricityUseFeed: FeedReportType = {
  kind: "feed",
  code: "feed_electricity_use",
  titleKey: "report-type-feed_electricity_use",
  unitTypes: ["power_supply"],
  dueDay: 15,
  columns: [
    col({ name: "accountNo", header: "用电户号", kind: "text", required: true, max: 50 }),
    col({ name: "businessName", header: "用电单位", kind: "text", required: true, max: 200 }),
    col({ name: "uscc", header: "统一社会信用代码", kind: "uscc", required: false }),
    col({ name: "kwh", header: "用电量(千瓦时)", kind: "number", required: true, min: 0, max: 1e12, unitKey: "unit-kwh" }),
    col({ name: "amount", header: "电费(元)", kind: "money", required: true, min: 0, max: 1e12, unitKey: "unit-yuan" }),
  ],
};

/** The local taxes an entrusted collector may collect, as its agreement lists them (a choice in the template). */
const ENTRUSTED_TAXES = ["property", "land_use", "stamp", "individual_income", "vat", "urban_construction", "other"] as const;

/**
 * 代征税款月度报表: what an entrusted collection unit (委托代征单位) collected in the month, by the 15th.
 * `amount` is labelled 代征税额 (report-field-amount is the electricity feed's 电费), hence its own key.
 */
export const entrustedCollectionFeed: FeedReportType = {
  kind: "feed",
  code: "feed_entrusted_collection",
  titleKey: "report-type-feed_entrusted_collection",
  unitTypes: ["entrusted_collector"],
  dueDay: 15,
  columns: [
    col({ name: "receiptNo", header: "代征凭证号", kind: "text", required: true, max: 50 }),
    col({ name: "taxpayerName", header: "纳税人名称", kind: "text", required: false, max: 200, pii: "name" }),
    col({ name: "taxpayerId", header: "纳税人识别号", kind: "id_or_uscc", required: false }),
    col({
      name: "tax",
      header: "税种",
      kind: "enum",
      required: false,
      labelKey: "report-field-entrustedTax",
      options: ENTRUSTED_TAXES.map((v) => ({ value: v, labelKey: `report-option-entrusted-tax-${v}` as MessageKey })),
    }),
    col({ name: "base", header: "计税依据(元)", kind: "money", required: false, min: 0, max: 1e12, unitKey: "unit-yuan", labelKey: "report-field-entrustedBase" }),
    col({ name: "amount", header: "代征税额(元)", kind: "money", required: true, min: 0, max: 1e11, unitKey: "unit-yuan", labelKey: "report-field-entrustedAmount" }),
    col({ name: "collectedOn", header: "征收日期", kind: "date", required: true }),
  ],
};

export const FEED_TYPES = [
  constructionPermitsFeed,
  businessRegistrationsFeed,
  landTransfersFeed,
  propertyTransfersFeed,
  electricityUseFeed,
  entrustedCollectionFeed,
] as const;

// --- periods -------------------------------------------------------------------------------------

/** A monthly period: YYYY-MM. */
export const PeriodSchema = z
  .string()
  .overwrite((v) => normalizeText(v).replace(/[/.年]/g, "-").replace(/月$/, ""))
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "report-period-invalid" });

/** The period (YYYY-MM) an instant falls in, CST. */
export function periodOf(at: Date): string {
  return cstDate(at).slice(0, 7);
}

/** The period before `period`. */
export function previousPeriod(period: string): string {
  return cstDate(new Date(cstStartOfDay(`${period}-01`).getTime() - 1)).slice(0, 7);
}

/**
 * The period units are filing now: last month (CST), due by its feed's day of this month. One rule
 * for the bot's /feeds, the mini-app, the API's defaults, the CLI and the reminders.
 */
export function duePeriod(now: Date): string {
  return previousPeriod(periodOf(now));
}

/** The period after `period`. */
export function nextPeriod(period: string): string {
  return addDays(`${period}-28`, 7).slice(0, 7);
}

/** The CST due date (YYYY-MM-DD) of a feed for a period: day `dueDay` of the following month. */
export function feedDueDate(feed: FeedReportType, period: string): string {
  return `${nextPeriod(period)}-${String(feed.dueDay).padStart(2, "0")}`;
}

/** Timeliness of a feed filing: on time up to the end of the due day (CST), late after. */
export function feedDeadline(feed: FeedReportType, period: string, filedAt: Date): DeadlineResult {
  const dueAt = new Date(cstStartOfDay(addDays(feedDueDate(feed, period), 1)).getTime() - 1);
  return { timeliness: filedAt.getTime() <= dueAt.getTime() ? "on_time" : "late", dueAt };
}

/** True when `period` may be filed at `now`: it has begun (a month is reported during or after it). */
export function isFileablePeriod(period: string, now: Date): boolean {
  return period <= periodOf(now) && period >= "2000-01";
}

// --- rows ------------------------------------------------------------------------------------------

/** The outcome of validating an uploaded table against a feed's columns. */
export interface FeedValidation {
  /** Column problems refuse the whole file: missing required columns, unknown columns, duplicates. */
  columnErrors: { column: string; messageKey: MessageKey }[];
  /** Problems per data row; `line` is the 1-based line/row number in the file. */
  rowErrors: { line: number; fields: FieldErrors }[];
  /** Valid rows, normalised, with their line numbers. */
  rows: { line: number; data: Record<string, unknown>; flag: MessageKey | null }[];
}

const headerKey = (h: string) => normalizeText(h).replace(/\s/g, "").replace(/（/g, "(").replace(/）/g, ")").toLowerCase();

/**
 * Maps a file's header row to column names. Accepts the Chinese header, the column key or the
 * English label (given by the caller, since labels live in the catalogue), in any order.
 */
export function matchFeedHeaders(
  feed: FeedReportType,
  headers: readonly string[],
  englishLabel: (c: FeedColumn) => string = () => "",
): { mapping: (string | null)[]; columnErrors: FeedValidation["columnErrors"] } {
  const byHeader = new Map<string, FeedColumn>();
  for (const c of feed.columns) {
    for (const h of [c.header, c.name, englishLabel(c)]) if (h) byHeader.set(headerKey(h), c);
  }
  const columnErrors: FeedValidation["columnErrors"] = [];
  const seen = new Set<string>();
  const mapping = headers.map((h) => {
    const text = normalizeText(String(h ?? ""));
    if (!text) return null; // Excel leaves empty trailing header cells
    const c = byHeader.get(headerKey(text));
    if (!c) {
      columnErrors.push({ column: text.slice(0, 60), messageKey: "feed-column-unknown" });
      return null;
    }
    if (seen.has(c.name)) columnErrors.push({ column: text.slice(0, 60), messageKey: "feed-column-duplicate" });
    seen.add(c.name);
    return c.name;
  });
  for (const c of feed.columns) {
    if (c.required && !seen.has(c.name)) columnErrors.push({ column: c.header, messageKey: "feed-column-missing" });
  }
  return { mapping, columnErrors };
}

/** Turns a spreadsheet cell into what the field schema expects, with the one reader of answers. */
function cellValue(c: FeedColumn, raw: unknown): unknown {
  return readFieldAnswer(c, raw);
}

const rowSchemaCache = new WeakMap<FeedReportType, z.ZodType>();
function rowSchema(feed: FeedReportType): z.ZodType {
  let s = rowSchemaCache.get(feed);
  if (!s) {
    s = z.object(Object.fromEntries(feed.columns.map((c) => [c.name, fieldSchema(c)])));
    rowSchemaCache.set(feed, s);
  }
  return s;
}

/**
 * Validates data rows of an uploaded table. `rows` are the cells of each data row in header order,
 * `line` their line numbers in the file. Messages are in the uploader's language.
 */
export function validateFeedRows(
  feed: FeedReportType,
  mapping: readonly (string | null)[],
  rows: readonly { line: number; cells: readonly unknown[] }[],
  locale: Locale,
): Pick<FeedValidation, "rowErrors" | "rows"> {
  const schema = rowSchema(feed);
  const columns = new Map(feed.columns.map((c) => [c.name, c]));
  const out: Pick<FeedValidation, "rowErrors" | "rows"> = { rowErrors: [], rows: [] };
  for (const { line, cells } of rows) {
    const input: Record<string, unknown> = {};
    mapping.forEach((name, i) => {
      if (name) input[name] = cellValue(columns.get(name)!, cells[i]);
    });
    if (Object.values(input).every((v) => v === undefined)) continue; // blank line
    const result = parseInput(schema, input, locale);
    if (result.ok) {
      const data = result.data as Record<string, unknown>;
      out.rows.push({ line, data, flag: feed.flag?.(data) ?? null });
    } else {
      out.rowErrors.push({ line, fields: result.fields });
    }
  }
  return out;
}
