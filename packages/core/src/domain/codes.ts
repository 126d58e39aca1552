import { normalizeCode } from "./text.ts";

/**
 * Alphabet of codes people type from paper or a chat: upper-case letters and digits without the
 * look-alikes 0/O and 1/I. Invite codes have 10 characters (~50 bits), link codes 8.
 */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const INVITE_CODE_LENGTH = 10;
export const LINK_CODE_LENGTH = 8;

const codePattern = (length: number) => new RegExp(`^[${CODE_ALPHABET}]{${length}}$`);
const INVITE_RE = codePattern(INVITE_CODE_LENGTH);
const LINK_RE = codePattern(LINK_CODE_LENGTH);

/** Folds what a person may type (spaces, dashes, lower case, full-width) into the canonical code. */
export function canonicalCode(input: string): string {
  return normalizeCode(input);
}

/** True when the canonical form is a well-formed invite code. */
export function isInviteCode(input: string): boolean {
  return INVITE_RE.test(canonicalCode(input));
}

/** True when the canonical form is a well-formed link code. */
export function isLinkCode(input: string): boolean {
  return LINK_RE.test(canonicalCode(input));
}

/** Groups a code for display: K7M2-QX9P-RT. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}
