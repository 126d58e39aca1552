import type { ClearanceCheckResult } from "../clearance.ts";
import type { VehicleNoClearanceData } from "./report-types.ts";

/**
 * The start of a `vehicle_no_clearance` report from a failed clearance check ("report it" in one
 * tap): the plate when the check was made by plate, and every year the check found no clearance.
 * The officer adds the rest (vehicle type, owner, place) before submitting.
 */
export function vehicleReportDraft(check: Pick<ClearanceCheckResult, "key" | "keyType" | "results">): Partial<VehicleNoClearanceData> {
  const missingYears = check.results
    .flatMap((r) => ("year" in r && r.status === "none" ? [r.year] : []))
    .sort((a, b) => a - b);
  return { ...(check.keyType === "plate" ? { plate: check.key } : {}), missingYears };
}
