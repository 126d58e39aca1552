import { idNumberCheckChar, isIdNumber, isUscc, usccCheckChar } from "./id-number.ts";
import type { MessageKey, MessageParams } from "./i18n.ts";
import { normalizeCode } from "./text.ts";
import { cstDate, isCalendarDate } from "./time.ts";

/** What is wrong with a typed identifier, as a catalogue message a clerk can act on. */
export interface IdentifierProblem {
  key: MessageKey;
  params?: MessageParams;
}

const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * Why a resident ID number (GB 11643) is not valid: the length, a character that cannot be there,
 * a birth date that does not exist or lies ahead, or the check character (one character mistyped).
 * Null when it is valid. The verdict itself stays isIdNumber's; this only explains it.
 */
export function idNumberProblem(input: string, today: Date = new Date()): IdentifierProblem | null {
  if (isIdNumber(input, today)) return null;
  const id = normalizeCode(input);
  if (id.length !== 18) return { key: "report-id-length", params: { count: id.length } };
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return { key: "report-id-characters" };
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isCalendarDate(birth) || birth < "1890-01-01" || birth > cstDate(today)) return { key: "report-id-birth-date", params: { date: birth } };
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return { key: "report-id-check-char" };
  return { key: "report-id-number-invalid" };
}

/** Why a unified social credit code (GB 32100) is not valid; null when it is. */
export function usccProblem(input: string): IdentifierProblem | null {
  if (isUscc(input)) return null;
  const code = normalizeCode(input);
  if (code.length !== 18) return { key: "report-uscc-length", params: { count: code.length } };
  if (!USCC_RE.test(code)) return { key: "report-uscc-characters" };
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return { key: "report-uscc-check-char" };
  return { key: "report-uscc-invalid" };
}

/**
 * For fields that take either (a person's ID number or a unit's credit code): the length first,
 * then the explanation of whichever the value looks like (17 digits and a digit or X → an ID number).
 */
export function idOrUsccProblem(input: string, today: Date = new Date()): IdentifierProblem | null {
  if (isIdNumber(input, today) || isUscc(input)) return null;
  const code = normalizeCode(input);
  if (code.length !== 18) return { key: "report-id-or-uscc-length", params: { count: code.length } };
  return /^\d{17}[\dX]$/.test(code) ? idNumberProblem(code, today) : usccProblem(code);
}
