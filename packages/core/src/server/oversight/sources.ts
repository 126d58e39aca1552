import type { FigureKey } from "../../domain/oversight/figures.ts";
import type { OversightPeriod } from "../../domain/oversight/period.ts";
import type { MessageKey } from "../../domain/i18n.ts";
import type { Principal } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";

/** What a figure source counts over: the period and its CST instants [gte, lt). */
export interface FigureContext {
  deps: Deps;
  /** already allowed to read oversight (the use-case checked the role) */
  actor: Principal;
  period: OversightPeriod;
  range: { gte: Date; lt: Date };
}

/** Counts per unit id; a unit the source does not mention has 0 for each of its keys. */
export type UnitCounts = Map<string, Partial<Record<FigureKey, number>>>;

/**
 * One group of figures and where they come from. A source whose feature is not built yet has
 * `collect: null` and a note: its columns read "—" and the note says why. Quizzes, tips and meeting
 * tasks replace their placeholder here when they land; nothing else needs to change.
 */
export interface FigureSource {
  name: string;
  keys: readonly FigureKey[];
  collect: ((ctx: FigureContext) => Promise<UnitCounts>) | null;
  noteKey?: MessageKey;
}

/** Adds n to one unit's figure (helper for sources). */
export function bump(counts: UnitCounts, unitId: string, key: FigureKey, n: number): void {
  let row = counts.get(unitId);
  if (!row) counts.set(unitId, (row = {}));
  row[key] = (row[key] ?? 0) + n;
}
