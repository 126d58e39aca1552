import { PLATE_PROVINCES } from '@xieshui/core'

/** Province abbreviations for the picker, in the order of the national list. */
export const PROVINCES: readonly string[] = [...PLATE_PROVINCES]

/** Keyboard rows after the province: digits, plate letters (no I or O), and the special last characters. */
export const PLATE_KEY_ROWS: readonly (readonly string[])[] = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
  ['Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'P'],
  ['A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L'],
  ['Z', 'X', 'C', 'V', 'B', 'N', 'M', '挂', '学', '警'],
]

/** Characters after the province: 6 (ordinary plates) or 7 (new-energy plates). */
export const MAX_PLATE_REST = 7

/** Adds a key to the part after the province; the first character is the city letter, never a digit. */
export function pressPlateKey(rest: string, key: string): string {
  if (rest.length >= MAX_PLATE_REST) return rest
  if (rest.length === 0 && !/^[A-Z]$/.test(key)) return rest
  return rest + key
}
