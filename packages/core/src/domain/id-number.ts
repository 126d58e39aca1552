import { normalizeCode } from "./text.ts";
import { cstDate, isCalendarDate } from "./time.ts";

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** The GB 11643 check character for the first 17 digits of a resident ID number. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * True for an 18-character resident ID number (GB 11643-1999): 6-digit region, a real birth date
 * not after today's date in CST (someone born today is valid from 00:00 CST, whatever the server's
 * zone), 3-digit sequence, and the MOD 11-2 check character. Input is normalised first
 * (full-width, spaces, lower-case x).
 */
export function isIdNumber(input: string, today: Date = new Date()): boolean {
  const id = normalizeCode(input);
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return false;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isCalendarDate(birth) || birth < "1890-01-01" || birth > cstDate(today)) return false;
  return idNumberCheckChar(id.slice(0, 17)) === id[17];
}

/** Builds a valid ID number from 17 digits (tests and synthetic data). */
export function withIdCheckChar(first17: string): string {
  return first17 + idNumberCheckChar(first17);
}

const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100 check character for the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS[check]!;
}

/**
 * True for an 18-character unified social credit code (统一社会信用代码, GB 32100-2015): registration
 * authority and type, 6-digit region, 9-character organisation code, and the MOD 31 check character.
 */
export function isUscc(input: string): boolean {
  const code = normalizeCode(input);
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

/** Builds a valid USCC from 17 characters (tests and synthetic data). */
export function withUsccCheckChar(first17: string): string {
  return first17 + usccCheckChar(first17);
}

/**
 * True for a taxpayer identifier as the tax bureau exports it: a resident ID number, a unified
 * social credit code, or a legacy 15- or 20-character 纳税人识别号.
 */
export function isTaxpayerId(input: string): boolean {
  const code = normalizeCode(input);
  if (code.length === 18) return isIdNumber(code) || isUscc(code);
  return /^[0-9A-Z]{15}$|^[0-9A-Z]{20}$/.test(code);
}
