import { z } from "zod";
import { normalizeProse } from "../text.ts";

/**
 * The annual evaluation's criteria (奖励制度), in order. Keys are stable (API, CLI, XLSX columns).
 * organisation: a named person responsible for the work ((十八)); timeliness: filed on time among
 * filed; completeness: filed among due; accuracy: accepted among reviewed; training: quizzes;
 * cooperation: tips handled and cooperation.
 */
export const EVALUATION_CRITERIA = ["organisation", "timeliness", "completeness", "accuracy", "training", "cooperation"] as const;
/** One criterion's key. */
export type EvaluationCriterion = (typeof EVALUATION_CRITERIA)[number];
/** Points per criterion; they sum to 100. */
export type EvaluationWeights = Record<EvaluationCriterion, number>;

/** The defaults of the issue: 20 / 20 / 20 / 20 / 10 / 10. */
export const DEFAULT_EVALUATION_WEIGHTS: EvaluationWeights = { organisation: 20, timeliness: 20, completeness: 20, accuracy: 20, training: 10, cooperation: 10 };

/** The sum of a set of weights. */
export function weightsTotal(w: Partial<Record<EvaluationCriterion, number>>): number {
  return EVALUATION_CRITERIA.reduce((s, k) => s + (w[k] ?? 0), 0);
}

const Points = z.number().int().min(0).max(100);

/**
 * Weights for a year: every criterion, whole points 0..100, summing to exactly 100 (refused with the
 * actual sum, at `weights`, otherwise).
 */
export const EvaluationWeightsInputSchema = z.strictObject({
  year: z.number().int().min(2000).max(2999),
  weights: z.strictObject(Object.fromEntries(EVALUATION_CRITERIA.map((k) => [k, Points])) as Record<EvaluationCriterion, typeof Points>),
});

/** A manual adjustment: whole points -20..20 (not 0) and a reason of at least 4 characters. */
export const EvaluationAdjustmentSchema = z.strictObject({
  year: z.number().int().min(2000).max(2999),
  unit: z.string().trim().min(1).max(64),
  points: z.number().int().min(-20).max(20).refine((n) => n !== 0, { message: "evaluation-points-zero" }),
  reason: z
    .string({ message: "evaluation-reason-required" })
    .overwrite((v) => normalizeProse(v, { multiline: true }))
    .min(4, { message: "evaluation-reason-required" })
    .max(500),
});

/** GET the evaluation of a year. */
export const EvaluationQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2999) });
/** GET the evidence behind one unit's points. */
export const EvaluationEvidenceQuerySchema = EvaluationQuerySchema.extend({ unit: z.string().trim().min(1).max(64) });
