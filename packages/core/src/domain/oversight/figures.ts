import type { MessageKey } from "../i18n.ts";

/**
 * The figures oversight shows per unit and period, in column order. Each comes from one source in
 * core/server/oversight/ (one function per figure group); a feature that is not built yet keeps its
 * columns here with `null` values and a note, so the pack, the page and the CLI need no change when
 * it lands. Keys are stable: the API, the CLI's JSON and the XLSX columns use them.
 */
export const FIGURE_KEYS = [
  "onTime",
  "late",
  "overdue",
  "missingFeeds",
  "refused",
  "accepted",
  "returned",
  "checks",
  "checksWithoutClearance",
  "quizParticipants",
  "quizAverage",
  "tipsAssigned",
  "tipsHandledInTime",
  "openTasks",
  "overdueFollowUps",
] as const;

/** One figure's key. */
export type FigureKey = (typeof FIGURE_KEYS)[number];

/** A unit's figures: null = the source is not available (yet), shown as "—". */
export type Figures = Record<FigureKey, number | null>;

/** How a town's total is formed from its own and its members' figures. */
export type FigureAggregate = "sum" | { meanWeightedBy: FigureKey };

/** Presentation of one figure: its label, how totals are formed, and which group it belongs to. */
export interface FigureSpec {
  key: FigureKey;
  labelKey: MessageKey;
  aggregate: FigureAggregate;
  group: "reports" | "reviews" | "checks" | "quizzes" | "tips" | "tasks" | "entrusted";
}

/** The figure columns, in order. */
export const FIGURES: readonly FigureSpec[] = [
  { key: "onTime", labelKey: "oversight-fig-onTime", aggregate: "sum", group: "reports" },
  { key: "late", labelKey: "oversight-fig-late", aggregate: "sum", group: "reports" },
  { key: "overdue", labelKey: "oversight-fig-overdue", aggregate: "sum", group: "reports" },
  { key: "missingFeeds", labelKey: "oversight-fig-missingFeeds", aggregate: "sum", group: "reports" },
  { key: "refused", labelKey: "oversight-fig-refused", aggregate: "sum", group: "reports" },
  { key: "accepted", labelKey: "oversight-fig-accepted", aggregate: "sum", group: "reviews" },
  { key: "returned", labelKey: "oversight-fig-returned", aggregate: "sum", group: "reviews" },
  { key: "checks", labelKey: "oversight-fig-checks", aggregate: "sum", group: "checks" },
  { key: "checksWithoutClearance", labelKey: "oversight-fig-checksWithoutClearance", aggregate: "sum", group: "checks" },
  { key: "quizParticipants", labelKey: "oversight-fig-quizParticipants", aggregate: "sum", group: "quizzes" },
  { key: "quizAverage", labelKey: "oversight-fig-quizAverage", aggregate: { meanWeightedBy: "quizParticipants" }, group: "quizzes" },
  { key: "tipsAssigned", labelKey: "oversight-fig-tipsAssigned", aggregate: "sum", group: "tips" },
  { key: "tipsHandledInTime", labelKey: "oversight-fig-tipsHandledInTime", aggregate: "sum", group: "tips" },
  { key: "openTasks", labelKey: "oversight-fig-openTasks", aggregate: "sum", group: "tasks" },
  { key: "overdueFollowUps", labelKey: "oversight-fig-overdueFollowUps", aggregate: "sum", group: "entrusted" },
];

/** An all-null figures record (nothing known). */
export function emptyFigures(): Figures {
  return Object.fromEntries(FIGURE_KEYS.map((k) => [k, null])) as Figures;
}

/**
 * Adds figures into a total: sums, and weighted means for averages. Null stays null only while
 * every part is null (an unavailable source stays "—" in a town's total too).
 */
export function combineFigures(parts: readonly Figures[]): Figures {
  const total = emptyFigures();
  for (const spec of FIGURES) {
    const values = parts.map((p) => p[spec.key]);
    if (values.every((v) => v === null)) continue;
    if (spec.aggregate === "sum") {
      total[spec.key] = values.reduce<number>((s, v) => s + (v ?? 0), 0);
    } else {
      const w = spec.aggregate.meanWeightedBy;
      let weight = 0;
      let sum = 0;
      for (const p of parts) {
        const v = p[spec.key];
        const n = p[w] ?? 0;
        if (v === null || n <= 0) continue;
        weight += n;
        sum += v * n;
      }
      total[spec.key] = weight > 0 ? Math.round((sum / weight) * 10) / 10 : null;
    }
  }
  return total;
}

/** The share of checks that found no clearance (0..1), null without checks. */
export function noClearanceShare(f: Figures): number | null {
  return f.checks ? (f.checksWithoutClearance ?? 0) / f.checks : null;
}

/**
 * Reports filed on time among every duty of the period (on time + late + overdue, missing feeds
 * included in overdue), 0..1; null when the unit had no duty. The pack compares quarters by it.
 */
export function onTimeRate(f: Figures): number | null {
  const duties = (f.onTime ?? 0) + (f.late ?? 0) + (f.overdue ?? 0);
  return duties > 0 ? (f.onTime ?? 0) / duties : null;
}
