import { z } from "zod";
import { cstDate } from "../time.ts";

/** A period oversight counts over: a month, a quarter or a calendar year (CST). */
export interface OversightPeriod {
  kind: "month" | "quarter" | "year";
  /** as written: 2026-11, 2026Q4, 2026 */
  code: string;
  /** first CST day, YYYY-MM-DD */
  from: string;
  /** first CST day after the period, YYYY-MM-DD (exclusive) */
  to: string;
  /** the months it covers, YYYY-MM, in order */
  months: string[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})Q([1-4])$/;
const YEAR = /^(\d{4})$/;

const pad = (n: number) => String(n).padStart(2, "0");
const monthCode = (y: number, m: number) => `${y}-${pad(m)}`;

function span(year: number, firstMonth: number, count: number): { from: string; to: string; months: string[] } {
  const months = Array.from({ length: count }, (_, i) => monthCode(year + Math.floor((firstMonth - 1 + i) / 12), ((firstMonth - 1 + i) % 12) + 1));
  const endIndex = firstMonth - 1 + count;
  const to = `${monthCode(year + Math.floor(endIndex / 12), (endIndex % 12) + 1)}-01`;
  return { from: `${months[0]}-01`, to, months };
}

/**
 * Reads `2026-11`, `2026Q4` (also `2026q4`) or `2026` into an OversightPeriod; null for anything
 * else. Years before 2000 or after 2999 are refused (a typo, not a period anyone evaluates).
 */
export function parseOversightPeriod(value: string): OversightPeriod | null {
  const v = value.trim().toUpperCase();
  let m = MONTH.exec(v);
  if (m) {
    const y = Number(m[1]);
    if (y < 2000 || y > 2999) return null;
    return { kind: "month", code: v, ...span(y, Number(m[2]), 1) };
  }
  m = QUARTER.exec(v);
  if (m) {
    const y = Number(m[1]);
    if (y < 2000 || y > 2999) return null;
    return { kind: "quarter", code: `${y}Q${m[2]}`, ...span(y, (Number(m[2]) - 1) * 3 + 1, 3) };
  }
  m = YEAR.exec(v);
  if (m) {
    const y = Number(m[1]);
    if (y < 2000 || y > 2999) return null;
    return { kind: "year", code: v, ...span(y, 1, 12) };
  }
  return null;
}

/** The period of the same kind just before (2026Q4 -> 2026Q3, 2026-01 -> 2025-12, 2026 -> 2025). */
export function previousOversightPeriod(p: OversightPeriod): OversightPeriod {
  const [y, mm] = p.from.split("-").map(Number) as [number, number];
  if (p.kind === "year") return parseOversightPeriod(String(y - 1))!;
  if (p.kind === "quarter") {
    const q = Math.floor((mm - 1) / 3) + 1;
    return parseOversightPeriod(q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`)!;
  }
  return parseOversightPeriod(mm === 1 ? `${y - 1}-12` : monthCode(y, mm - 1))!;
}

/** True once the period's first CST day has come (a period that has not started has nothing to show). */
export function hasOversightPeriodStarted(p: OversightPeriod, now: Date): boolean {
  return cstDate(now) >= p.from;
}

/** The quarter a CST instant falls in, as 2026Q4. */
export function quarterOf(now: Date): string {
  const [y, m] = cstDate(now).split("-").map(Number) as [number, number];
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

/** A month (YYYY-MM), a quarter (YYYYQn) or a year (YYYY), as written by people and the CLI. */
export const OversightPeriodCodeSchema = z
  .string()
  .trim()
  .max(10)
  .refine((v) => parseOversightPeriod(v) !== null, { message: "oversight-period-format" });

/** A quarter only (the meeting pack): 2026Q4. */
export const QuarterCodeSchema = z
  .string()
  .trim()
  .max(10)
  .refine((v) => parseOversightPeriod(v)?.kind === "quarter", { message: "oversight-quarter-format" });

/** GET /oversight/units: the period, optionally one unit (a town brings its villages and communities). */
export const OversightUnitsQuerySchema = z.object({ period: OversightPeriodCodeSchema, unit: z.string().trim().min(1).max(64).optional() });
/** The meeting pack's query: one quarter. */
export const QuarterlyPackQuerySchema = z.object({ quarter: QuarterCodeSchema });
