import { normalizeCode } from "./text.ts";

/** Province abbreviations that begin a civilian plate. */
export const PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

// Letters on plates never include I or O (they read as 1 and 0).
const L = "A-HJ-NP-Z";
const PLATE_RE = new RegExp(
  `^[${PLATE_PROVINCES}][${L}](?:[${L}0-9]{4}[${L}0-9挂学警港澳领试超]|[DF][${L}0-9]\\d{4}|\\d{5}[DF])$`,
);

/**
 * Canonical form of a plate number as people type it: full-width to half-width, upper case, no
 * spaces, dots (豫A·12345) or dashes. 豫Ａ１２３４５, "豫a 12345" and 豫A·12345 all become 豫A12345.
 * The letter O typed for the digit 0 is not guessed at: the plate must be read correctly.
 */
export function normalizePlate(input: string): string {
  return normalizeCode(input).replace(/[·•・．。]/g, "");
}

/**
 * True for a Chinese civilian plate after normalisation: ordinary (豫A12345, 豫A1234警 ...) and
 * new-energy plates (small 豫AD12345 / 豫ADA1234; large 豫A12345D).
 */
export function isPlate(input: string): boolean {
  return PLATE_RE.test(normalizePlate(input));
}
