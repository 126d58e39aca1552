import { join } from "node:path";

/** The repository root, from this file. */
export const REPO_ROOT = join(import.meta.dirname, "../..");

/** The synthetic clearance export shipped with the project (copied from shared/data/clearances). */
export const SAMPLE_CLEARANCES_CSV = join(REPO_ROOT, "seed/clearances/sample.csv");
