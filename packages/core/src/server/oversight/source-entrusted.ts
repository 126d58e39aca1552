import { cstDate } from "../../domain/time.ts";
import { overdueFollowUps } from "../entrusted/entrusted.ts";
import { bump, type FigureSource, type UnitCounts } from "./sources.ts";

/**
 * Inspection follow-ups of entrusted collection units (委托代征) overdue at the period's last day, or
 * today while the period runs: due before that day and not put right by it, per collector unit.
 */
export const entrustedFigures: FigureSource = {
  name: "entrusted",
  keys: ["overdueFollowUps"],
  async collect({ deps, range }) {
    const lastDay = cstDate(new Date(range.lt.getTime() - 1));
    const today = cstDate(deps.clock.now());
    const counts: UnitCounts = new Map();
    for (const f of await overdueFollowUps(deps, lastDay < today ? lastDay : today)) bump(counts, f.unitId, "overdueFollowUps", 1);
    return counts;
  },
};
