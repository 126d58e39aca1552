/**
 * Dates read from XLSX files. Excel stores a date-time as a serial number of days with no time
 * zone: 2026-10-03 23:30 is just "the wall clock said 23:30". exceljs turns the serial into a JS
 * Date whose UTC fields ARE that wall-clock time (2026-10-03T23:30:00Z). The calendar date a
 * person typed is therefore the Date's UTC date; `cstDate()` would add eight hours and move every
 * cell from 16:00 on to the next day. Every XLSX reader (feeds, the clearance import) goes
 * through this one function.
 */
export function xlsxCellDate(value: Date): string {
  return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
}
