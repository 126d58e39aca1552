import type { FieldSpec } from "./fields.ts";

/** One field that differs between two versions of a report (values as stored). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

function same(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || v === "";
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/**
 * What changed from one version of a report to the next, field by field in form order (what the
 * reviewer reads before deciding on a corrected report). Only the type's fields are compared, so
 * a stray key never shows; an added or removed optional answer counts as a change.
 */
export function diffReportData(fields: readonly FieldSpec[], before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const f of fields) {
    const a = before[f.name];
    const b = after[f.name];
    if (!same(a, b)) changes.push({ field: f.name, before: a ?? null, after: b ?? null });
  }
  return changes;
}
