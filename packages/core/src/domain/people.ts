import type { UserView } from "./units.ts";

/**
 * The name to greet a person by. An invite without a name makes "<unit><role>" (区公安局交警大队一中队
 * 凭证核验员); shown next to the unit that would repeat the unit, so the unit part is dropped here.
 * The stored name is not changed.
 */
export function personName(user: Pick<UserView, "name" | "unit">): string {
  const name = user.name.trim();
  const unit = user.unit.name.trim();
  if (unit && name.startsWith(unit) && name.length > unit.length) return name.slice(unit.length).trim();
  return name;
}
