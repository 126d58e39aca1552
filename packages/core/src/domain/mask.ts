/**
 * Masking of personal data shown to staff. Checkers and reviewers see enough to recognise the
 * person in front of them, never the full name or ID number.
 */

/** 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明; Latin names keep first and last letters. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return "";
  if (chars.length === 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 410106195405020740 → 4101**********0740: region prefix and last four only. */
export function maskIdNumber(id: string): string {
  const chars = [...id.trim()];
  if (chars.length <= 8) return "*".repeat(chars.length);
  return `${chars.slice(0, 4).join("")}${"*".repeat(chars.length - 8)}${chars.slice(-4).join("")}`;
}
