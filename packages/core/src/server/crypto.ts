import { createHash, randomBytes, randomInt } from "node:crypto";
import { CODE_ALPHABET } from "../domain/codes.ts";

/** A bearer token: 32 random bytes, base64url. Shown once to its owner; only `sha256Hex` of it is stored. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** A human-typable code of `length` characters from CODE_ALPHABET (uniform, crypto-random). */
export function randomCode(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return out;
}

/** Hex SHA-256: how tokens and codes are stored, so a leaked database does not leak credentials. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
