import { z } from "zod";
import { t } from "../../domain/i18n.ts";
import { isPlate, normalizePlate } from "../../domain/plate.ts";
import { parseInput } from "../../domain/validation.ts";
import { FAILED_CHECK_WINDOW_MS, mayFileReport, getReportType } from "../../domain/reports/registry.ts";
import { guessVehicleType } from "../../domain/reports/vehicle.ts";
import type { VehicleNoClearanceData } from "../../domain/reports/report-types.ts";
import { CHECK_AUDIT_ACTION } from "../clearances/fast-store.ts";
import { AppError } from "../errors.ts";
import { requireUser, type Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { localeOf, type ReportOptions } from "./common.ts";

/** The vehicle report type a failed check is reported as. */
export const VEHICLE_REPORT_TYPE = "vehicle_no_clearance";

/** A failed check by plate that authorises a vehicle report: its audit row and the years it found missing. */
export interface FailedCheck {
  auditId: number;
  at: Date;
  missingYears: number[];
}

/**
 * The actor's most recent FAILED check of a plate within FAILED_CHECK_WINDOW_MS, from the audit
 * log the check itself wrote (so no client can claim a check it did not make), or null. Only
 * checks made by plate count: a VIN check does not say which plate the report is about.
 */
export async function findFailedCheck(deps: Deps, userId: string, plate: string, now: Date): Promise<FailedCheck | null> {
  const row = await deps.db.prisma.auditLog.findFirst({
    where: { userId, action: CHECK_AUDIT_ACTION, subject: `vehicle_vessel:${plate}`, result: "missing", at: { gte: new Date(now.getTime() - FAILED_CHECK_WINDOW_MS) } },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    select: { id: true, at: true, detail: true },
  });
  if (!row) return null;
  let missingYears: number[] = [];
  try {
    const detail = JSON.parse(row.detail ?? "{}") as { keyType?: string; results?: { year?: unknown; status?: unknown }[] };
    if (detail.keyType && detail.keyType !== "plate") return null;
    missingYears = (detail.results ?? []).flatMap((r) => (typeof r.year === "number" && r.status === "none" ? [r.year] : [])).sort((a, b) => a - b);
  } catch {
    return null;
  }
  return missingYears.length ? { auditId: row.id, at: row.at, missingYears } : null;
}

/** `GET /reports/vehicle-draft?plate=`: the plate whose report form is being opened. */
export const VehicleDraftQuerySchema = z.strictObject({
  plate: z
    .string()
    .max(20)
    .transform(normalizePlate)
    .refine(isPlate, { message: "clearance-plate-format" }),
});

/**
 * Opens the vehicle report of a failed check with what the server knows: the plate, the years the
 * actor's own check found missing (from the audit log, not from the client), the unit's address as
 * the place and a vehicle type guessed from the plate in the caller's language. `fromCheck` says
 * whether a failed check within the window backs it; a checker without the reporter role can only
 * file when it does. 403 for users who may not file the vehicle report at all.
 */
export async function startVehicleReport(
  deps: Deps,
  actor: Actor | null,
  input: unknown,
  opts?: ReportOptions,
): Promise<{ fromCheck: boolean; data: Partial<VehicleNoClearanceData> }> {
  requireUser(actor);
  const type = getReportType(VEHICLE_REPORT_TYPE)!;
  if (mayFileReport(actor, type) === null || !type.unitTypes.includes(actor.unit.type)) {
    throw new AppError("forbidden", { reason: "role_required" });
  }
  const locale = localeOf(opts);
  const q = parseInput(VehicleDraftQuerySchema, input, locale);
  if (!q.ok) throw new AppError("invalid_input", { fields: q.fields });
  const { plate } = q.data;
  const [check, unit] = await Promise.all([
    findFailedCheck(deps, actor.userId, plate, deps.clock.now()),
    deps.db.prisma.unit.findUnique({ where: { id: actor.unitId }, select: { address: true } }),
  ]);
  const data: Partial<VehicleNoClearanceData> = {
    plate,
    ...(check ? { missingYears: check.missingYears } : {}),
    ...(unit?.address ? { place: unit.address } : {}),
    vehicleType: t(locale, guessVehicleType(plate)),
  };
  return { fromCheck: check !== null, data };
}
