/**
 * China Standard Time helpers. Dates, deadlines and tax years are CST (UTC+8, no DST) whatever
 * the server's zone, so every calendar computation goes through these functions.
 */
export const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The CST calendar date of an instant, as YYYY-MM-DD. */
export function cstDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The CST calendar year of an instant (the tax year). */
export function cstYear(at: Date): number {
  return new Date(at.getTime() + CST_OFFSET_MS).getUTCFullYear();
}

/** The instant at which a CST calendar date (YYYY-MM-DD) begins. */
export function cstStartOfDay(date: string): Date {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${date}`);
  return new Date(ms - CST_OFFSET_MS);
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return new Date(ms + days * 86_400_000).toISOString().slice(0, 10);
}

/** A date and time in CST for people: 2026-11-26 18:05. */
export function formatCst(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

/** True when the string is a real calendar date in YYYY-MM-DD form (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
