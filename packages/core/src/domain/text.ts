/**
 * Text normalisation shared by every input path. Phones and Excel produce full-width digits
 * and letters (Ａ１２), ideographic spaces and stray whitespace; all of them are folded here so
 * that the same fact typed twice compares equal.
 */
export function toHalfWidth(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");
}

/** Half-width, trimmed, runs of whitespace collapsed to one space, zero-width characters removed. */
export function normalizeText(value: string): string {
  return toHalfWidth(value.normalize("NFC"))
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * What people write (names, addresses, notes, comments) is kept as typed: full-width punctuation
 * (，。：) and digits stay, because they are what the writer meant and what a reader expects back.
 * Only invisible noise goes: zero-width characters, runs of spaces (ideographic ones included),
 * spaces at the ends; with `multiline` (notes), line breaks survive (at most one empty line in a row).
 * Codes are folded by normalizeCode instead; comparisons (duplicate keys) fold separately.
 */
export function normalizeProse(value: string, opts: { multiline?: boolean } = {}): string {
  const clean = value.normalize("NFC").replace(/[\u200B-\u200D\u2060\uFEFF]/g, "");
  if (!opts.multiline) return clean.replace(/\s+/g, " ").trim();
  return clean
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[^\S\n]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Like normalizeText, and also removes every space and separator: codes, plates, ID numbers. */
export function normalizeCode(value: string): string {
  // Already canonical (ASCII digits, capitals, CJK unified ideographs: unchanged by every step
  // below), as nearly every value of a tax bureau export is: skip the five passes.
  if (CANONICAL_CODE.test(value)) return value;
  return normalizeText(value).replace(/[\s\-_·•.]/g, "").toUpperCase();
}
const CANONICAL_CODE = /^[0-9A-Z\u4e00-\u9fff]*$/;

/** True when the string contains control characters other than tab and newline. */
export function hasControlChars(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value);
}
