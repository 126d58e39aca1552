import { z } from "zod";
import type { MessageKey } from "../i18n.ts";

/**
 * Targets for the locally retained taxes ((十九) 地方留成税收目标管理): a town's yearly target per tax
 * and the tax bureau's monthly actuals, both imported from files (CSV/XLSX). The rules shared by
 * the import, the progress view and every front end. Money is integer fen (bigint), parsed from
 * decimal text without floating point.
 */

/** The four locally retained taxes, in the order every view lists them. Codes are stable (files, API, database). */
export const LOCAL_TAXES = ["property_tax", "urban_land_use_tax", "vehicle_vessel_tax", "resource_tax"] as const;
/** One of LOCAL_TAXES. */
export type LocalTax = (typeof LOCAL_TAXES)[number];

/** Each tax's Chinese name as the tax bureau writes it (also accepted in files). */
export const LOCAL_TAX_NAMES: Record<LocalTax, string> = {
  property_tax: "房产税",
  urban_land_use_tax: "城镇土地使用税",
  vehicle_vessel_tax: "车船税",
  resource_tax: "资源税",
};

/** The catalogue key of a tax's name for people (zh-CN 房产税, en Property tax). */
export function localTaxLabelKey(tax: LocalTax): MessageKey {
  return `targets-tax-${tax}` as MessageKey;
}

/** A tax as written in a file: its code (any case, `-`/space for `_`) or its Chinese name (城镇土地使用税 also as 土地使用税). Null when neither. */
export function parseLocalTax(value: string): LocalTax | null {
  const v = value.trim().replace(/\s+/g, "");
  if (!v) return null;
  const code = v.toLowerCase().replace(/-/g, "_");
  if ((LOCAL_TAXES as readonly string[]).includes(code)) return code as LocalTax;
  for (const tax of LOCAL_TAXES) if (LOCAL_TAX_NAMES[tax] === v) return tax;
  if (v === "土地使用税") return "urban_land_use_tax";
  return null;
}

/** The two kinds of import: yearly targets, monthly actuals. */
export const TAX_FIGURE_KINDS = ["targets", "actuals"] as const;
/** One of TAX_FIGURE_KINDS. */
export type TaxFigureKind = (typeof TAX_FIGURE_KINDS)[number];

/** The money unit of an amount column: 元 (2 decimals) or 万元 (6 decimals, 1 fen = 0.000001 万元). */
export type MoneyUnit = "yuan" | "wan_yuan";

/** Largest amount a file may give: 100 trillion 元 (far above any district, and inside a signed 64-bit fen). */
// Written out: the mini-app's Babel turns `**` into Math.pow, which throws on bigint.
export const MAX_TAX_FIGURE_FEN = 10000000000000000n;

/**
 * "1,234.56" (元) -> 123456n fen; "1200" (万元) -> 1200000000n fen. Exact: digits are read as
 * digits, never through a float, and more decimals than a fen holds are refused, not rounded
 * (trailing zeros are fine). Thousands separators, spaces and a leading ¥ are ignored. Negative
 * amounts only with `negative` (a month where refunds exceed collection). Null when not an amount.
 */
export function parseMoneyFen(value: string, unit: MoneyUnit = "yuan", opts: { negative?: boolean } = {}): bigint | null {
  const s = value.trim().replace(/[,，\s]/g, "").replace(/^[¥￥]/, "");
  const m = /^([+-]?)(\d{1,17})(?:\.(\d{1,12}))?$/.exec(s);
  if (!m) return null;
  const decimals = unit === "yuan" ? 2 : 6;
  const frac = (m[3] ?? "").replace(/0+$/, "");
  if (frac.length > decimals) return null;
  const magnitude = BigInt(m[2]!) * (unit === "yuan" ? 100n : 1000000n) + BigInt(frac.padEnd(decimals, "0") || "0");
  if (magnitude > MAX_TAX_FIGURE_FEN) return null;
  if (m[1] === "-" && magnitude !== 0n) return opts.negative ? -magnitude : null;
  return magnitude;
}

/** Fen as 元 with two decimals and thousands separators: 123456n -> "1,234.56". Accepts the decimal string the API sends. */
export function formatYuan(fen: bigint | string): string {
  const f = BigInt(fen);
  const neg = f < 0n;
  const a = neg ? -f : f;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${whole}.${(a % 100n).toString().padStart(2, "0")}`;
}

/** Fen as 万元 with two decimals, rounded half up: 1234567890n -> "1,234.57". */
export function formatWanYuan(fen: bigint | string): string {
  const f = BigInt(fen);
  const neg = f < 0n;
  const a = neg ? -f : f;
  const hundredths = (a + 5000n) / 10000n; // 万元 hundredths = fen / 10,000
  const whole = (hundredths / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg && hundredths > 0n ? "-" : ""}${whole}.${(hundredths % 100n).toString().padStart(2, "0")}`;
}

/** A year as a file writes it (2026, 2026年); 2000..2999, else null. */
export function parseTargetYear(value: string): number | null {
  const m = /^(\d{4})(?:年|\.0+)?$/.exec(value.trim());
  if (!m) return null;
  const y = Number(m[1]);
  return y >= 2000 && y <= 2999 ? y : null;
}

/**
 * A month as a file writes it -> YYYY-MM: 2026-01, 2026-1, 2026/01, 202601, 2026年1月, and
 * the first of the month (2026-01-01: an Excel cell where someone typed 2026-01 becomes that date).
 * Null for anything else (another day of the month is not a month; 2026.10 is refused because a
 * number cell would read it as 2026.1).
 */
export function parseTaxMonth(value: string): string | null {
  const v = value.trim();
  const m = /^(\d{4})(?:[-/](\d{1,2})(?:[-/]0?1)?|(\d{2})|年(\d{1,2})月)$/.exec(v);
  if (!m) return null;
  const y = Number(m[1]);
  const mm = Number(m[2] ?? m[3] ?? m[4]);
  if (y < 2000 || y > 2999 || mm < 1 || mm > 12) return null;
  return `${y}-${String(mm).padStart(2, "0")}`;
}

/** The column keys of each kind of file, in the order the template lists them. */
export const TAX_FIGURE_COLUMNS = {
  targets: ["year", "town", "tax", "amount"],
  actuals: ["month", "town", "tax", "amount"],
} as const satisfies Record<TaxFigureKind, readonly string[]>;
/** One column key. */
export type TaxFigureColumn = "year" | "month" | "town" | "tax" | "amount";

/** A header cell normalised for matching: no BOM, no spaces, ASCII parentheses, lower case. */
export function normalizeHeader(value: string): string {
  return value.replace(/^\uFEFF/, "").replace(/\s+/g, "").replace(/（/g, "(").replace(/）/g, ")").toLowerCase();
}

/**
 * The header names each column is recognised by (after normalizeHeader), Chinese or English. The
 * amount's unit is in its header, so a target in 万元 can never be read as 元: a target column
 * without a unit (`目标`) is not recognised.
 */
const TOWN_AND_TAX: Record<string, { column: TaxFigureColumn }> = {
  镇街: { column: "town" },
  "镇(街道)": { column: "town" },
  town: { column: "town" },
  税种: { column: "tax" },
  tax: { column: "tax" },
};
const HEADER_NAMES: Record<TaxFigureKind, Record<string, { column: TaxFigureColumn; unit?: MoneyUnit }>> = {
  targets: {
    年度: { column: "year" },
    年份: { column: "year" },
    year: { column: "year" },
    ...TOWN_AND_TAX,
    "目标(元)": { column: "amount", unit: "yuan" },
    "目标(万元)": { column: "amount", unit: "wan_yuan" },
    target_yuan: { column: "amount", unit: "yuan" },
    "target(yuan)": { column: "amount", unit: "yuan" },
    target_10k_yuan: { column: "amount", unit: "wan_yuan" },
    "target(10kyuan)": { column: "amount", unit: "wan_yuan" },
  },
  actuals: {
    月份: { column: "month" },
    month: { column: "month" },
    ...TOWN_AND_TAX,
    "入库税款(元)": { column: "amount", unit: "yuan" },
    amount_yuan: { column: "amount", unit: "yuan" },
    "amount(yuan)": { column: "amount", unit: "yuan" },
  },
};

/** The template's header line for people: 年度,镇街,税种,目标(元) / 月份,镇街,税种,入库税款(元). */
export function taxFigureTemplate(kind: TaxFigureKind): string {
  return kind === "targets" ? "年度,镇街,税种,目标(元)（或 目标(万元)）" : "月份,镇街,税种,入库税款(元)";
}

/** How a header maps to columns: positions by column and the amount's unit; or what is wrong with it. */
export type HeaderMatch =
  | { ok: true; positions: Record<TaxFigureColumn, number>; unit: MoneyUnit; width: number }
  | { ok: false; messageKey: MessageKey; params: Record<string, string> };

/** Matches a header row (line 1) of a `kind` file: every column once, nothing unknown (the clearance import's rule). */
export function matchTaxFigureHeader(kind: TaxFigureKind, cells: readonly string[]): HeaderMatch {
  const header = cells.map(normalizeHeader);
  while (header.length && header[header.length - 1] === "") header.pop();
  const names = HEADER_NAMES[kind];
  const positions: Partial<Record<TaxFigureColumn, number>> = {};
  let unit: MoneyUnit = "yuan";
  const extra: string[] = [];
  header.forEach((h, i) => {
    const known = names[h];
    if (!known || positions[known.column] !== undefined) {
      extra.push(cells[i]!.trim() || "(空)");
      return;
    }
    positions[known.column] = i;
    if (known.unit) unit = known.unit;
  });
  const expected = taxFigureTemplate(kind);
  const missing = TAX_FIGURE_COLUMNS[kind].filter((c) => positions[c] === undefined);
  if (missing.length) return { ok: false, messageKey: "targets-import-missing-columns", params: { columns: missing.map((c) => COLUMN_WORDS[kind][c]).join("、"), expected } };
  if (extra.length) return { ok: false, messageKey: "targets-import-extra-columns", params: { columns: extra.join("、"), expected } };
  return { ok: true, positions: positions as Record<TaxFigureColumn, number>, unit, width: header.length };
}

const COLUMN_WORDS: Record<TaxFigureKind, Record<string, string>> = {
  targets: { year: "年度", town: "镇街", tax: "税种", amount: "目标(元) 或 目标(万元)" },
  actuals: { month: "月份", town: "镇街", tax: "税种", amount: "入库税款(元)" },
};

/** The catalogue key naming a column in a rejection reason (年度：…). */
export function taxFigureColumnKey(column: TaxFigureColumn): MessageKey {
  return `targets-column-${column}` as MessageKey;
}

const custom = (ctx: z.RefinementCtx, message: MessageKey) => {
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
};

const TownCell = z.string().trim().min(1, { message: "targets-town-required" }).max(64, { message: "targets-town-unknown" });
const TaxCell = z.string().transform((v, ctx) => parseLocalTax(v) ?? custom(ctx, "targets-tax-unknown"));
const amountCell = (unit: MoneyUnit, negative: boolean) =>
  z.string().transform((v, ctx) => (v.trim() === "" ? custom(ctx, "targets-amount-required") : (parseMoneyFen(v, unit, { negative }) ?? custom(ctx, unit === "wan_yuan" ? "targets-amount-invalid-wan" : negative ? "targets-amount-invalid-signed" : "targets-amount-invalid"))));

/**
 * One row of a targets file, as text cells: 年度 2026, 镇街 (the town's unit code or its exact name;
 * the import resolves it), 税种 (code or Chinese name), 目标 in the header's unit, not negative.
 * Output: `{ year, town, tax, amountFen }`.
 */
export function targetRowSchema(unit: MoneyUnit = "yuan") {
  return z
    .object({
      year: z.string().transform((v, ctx) => parseTargetYear(v) ?? custom(ctx, "targets-year-invalid")),
      town: TownCell,
      tax: TaxCell,
      amount: amountCell(unit, false),
    })
    .transform(({ amount, ...rest }) => ({ ...rest, amountFen: amount }));
}
/** targetRowSchema for a file in 元 (the default template). */
export const TargetRowSchema = targetRowSchema("yuan");
/** A valid target row. */
export type TargetRow = z.output<typeof TargetRowSchema>;

/**
 * One row of an actuals file: 月份 (YYYY-MM and the spellings parseTaxMonth takes), 镇街, 税种,
 * 入库税款(元) — may be negative (refunds above collection). Output: `{ month, town, tax, amountFen }`.
 */
export const ActualRowSchema = z
  .object({
    month: z.string().transform((v, ctx) => parseTaxMonth(v) ?? custom(ctx, "targets-month-invalid")),
    town: TownCell,
    tax: TaxCell,
    amount: amountCell("yuan", true),
  })
  .transform(({ amount, ...rest }) => ({ ...rest, amountFen: amount }));
/** A valid actual row. */
export type ActualRow = z.output<typeof ActualRowSchema>;

/** The query of the progress view: a year, and optionally the last month to count (YYYY-MM, inside that year). */
export const TargetProgressQuerySchema = z
  .object({
    year: z.coerce.number({ message: "targets-year-invalid" }).int({ message: "targets-year-invalid" }).min(2000, { message: "targets-year-invalid" }).max(2999, { message: "targets-year-invalid" }),
    asOf: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "targets-month-invalid" })
      .optional(),
  })
  .refine((q) => !q.asOf || q.asOf.startsWith(`${q.year}-`), { path: ["asOf"], message: "targets-as-of-year" });

/** The import's query (kind and dry run), shared by the API and the mini-app. */
export const TaxFigureImportQuerySchema = z.object({
  kind: z.enum(TAX_FIGURE_KINDS, { message: "targets-kind-invalid" }),
  fileName: z.string().trim().min(1).max(200).default("upload.csv"),
  dryRun: z.enum(["0", "1", "true", "false"]).optional(),
});

/**
 * Progress statuses. `ahead`: the share of the target is at least STATUS_MARGIN above the share of
 * the year elapsed; `behind`: at least STATUS_MARGIN below it; `on_track` in between; `no_target`:
 * the town has no (or a zero) target for the tax; `no_data`: no month of the year counted yet.
 */
export const TARGET_STATUSES = ["ahead", "on_track", "behind", "no_target", "no_data"] as const;
/** One of TARGET_STATUSES. */
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** Ten percentage points, the band around the year's elapsed share that counts as on track. */
export const STATUS_MARGIN = 0.1;

/** The status of an actual against a target with `yearShare` of the year elapsed (see TARGET_STATUSES). */
export function targetStatus(targetFen: bigint | null, actualFen: bigint, yearShare: number): TargetStatus {
  if (targetFen === null || targetFen <= 0n) return "no_target";
  if (yearShare <= 0) return "no_data";
  const share = shareOf(actualFen, targetFen)!;
  if (share >= yearShare + STATUS_MARGIN - 1e-9) return "ahead";
  if (share < yearShare - STATUS_MARGIN - 1e-9) return "behind";
  return "on_track";
}

/** actual / target as a number (4 decimals), null without a positive target. */
export function shareOf(actualFen: bigint, targetFen: bigint | null): number | null {
  if (targetFen === null || targetFen <= 0n) return null;
  return Number((actualFen * 10000n) / targetFen) / 10_000;
}
