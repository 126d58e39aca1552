import { normalizeCode } from "./text.ts";

const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** Canonical VIN: half-width, upper case, no spaces. */
export function normalizeVin(input: string): string {
  return normalizeCode(input);
}

/** The check digit (position 9) a VIN should carry (ISO 3779 / GB 16735 weighting). */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = vin[i]!;
    const value = /\d/.test(ch) ? Number(ch) : (VIN_VALUES[ch] ?? 0);
    sum += value * VIN_WEIGHTS[i]!;
  }
  const r = sum % 11;
  return r === 10 ? "X" : String(r);
}

/** True when the string has the shape of a VIN: 17 characters, digits and letters without I, O, Q. */
export function isVinFormat(input: string): boolean {
  return /^[A-HJ-NPR-Z0-9]{17}$/.test(normalizeVin(input));
}

/**
 * True for a VIN whose position-9 check digit is right. GB 16735 requires the check digit for
 * vehicles made in China (WMI starting with L); imported vehicles from regions that do not use it
 * are accepted on format alone.
 */
export function isVin(input: string): boolean {
  const vin = normalizeVin(input);
  if (!isVinFormat(vin)) return false;
  const checkApplies = vin.startsWith("L") || /^[1-5]/.test(vin);
  return !checkApplies || vinCheckDigit(vin) === vin[8];
}
