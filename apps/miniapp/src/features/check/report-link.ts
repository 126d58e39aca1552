import Taro from '@tarojs/taro'
import { guessVehicleType, vehicleReportDraft, type ClearanceCheckResult, type VehicleNoClearanceData } from '@xieshui/core'
import { translate } from '../../lib/i18n'
import { request } from '../../lib/request'
import { readStorage, removeStorage, writeStorage } from '../../lib/storage'
import { createSeededDraft, loadDraft, saveDraft, typedValues } from '../report/drafts'
import type { FormValues } from '../report/form-model'

/** The vehicle report a missing vehicle clearance is filed as, and its form page. */
export const VEHICLE_REPORT_TYPE = 'vehicle_no_clearance'
export const VEHICLE_REPORT_URL = `/pages/report-form/index?type=${VEHICLE_REPORT_TYPE}`

/** The server's start of the vehicle report (GET /reports/vehicle-draft): years from the user's own check, the unit's address, a guessed type. */
export async function fetchVehicleDraft(plate: string): Promise<{ fromCheck: boolean; data: Partial<VehicleNoClearanceData> }> {
  return request(`/api/v1/reports/vehicle-draft?plate=${encodeURIComponent(plate)}`)
}

/** Report data as the form holds it (text; years "2025,2026"). */
function asValues(data: Partial<VehicleNoClearanceData>): FormValues {
  const out: FormValues = {}
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || v === null) continue
    out[k] = Array.isArray(v) ? v.join(',') : String(v)
  }
  return out
}

/**
 * "Report this vehicle": fills the vehicle report from the check (plate, years without clearance,
 * the unit's address as the place, a vehicle type guessed from the plate; the server's record of
 * the check wins over the page's), then opens its form. Filled-in values are the draft's seed, so
 * the form never claims to have "restored" them. A draft for the same plate keeps what the officer
 * typed and its clientId; a draft for another vehicle is replaced (a new clientId, so it can never
 * be mistaken for the earlier vehicle's report).
 */
export async function openVehicleReport(result: Pick<ClearanceCheckResult, 'key' | 'keyType' | 'results'>): Promise<void> {
  const local = vehicleReportDraft(result)
  let filled: Partial<VehicleNoClearanceData> = { ...local, ...(local.plate ? { vehicleType: translate(guessVehicleType(local.plate)) } : {}) }
  if (local.plate) {
    try {
      filled = { ...filled, ...(await fetchVehicleDraft(local.plate)).data }
    } catch {
      // Offline or refused: the page's own reading of the check still helps; the server decides on submit.
    }
  }
  const seed = asValues(filled)
  const existing = loadDraft(VEHICLE_REPORT_TYPE)
  const samePlate = existing && (!seed.plate || existing.values.plate === seed.plate)
  saveDraft(samePlate ? { ...existing, values: { ...existing.values, ...seed, ...typedValues(existing) }, seed } : createSeededDraft(VEHICLE_REPORT_TYPE, seed))
  await Taro.navigateTo({ url: VEHICLE_REPORT_URL })
}

const NEXT_CHECK_KEY = 'xieshui.check-next'

/** After a vehicle report is filed: the check page, shown again, starts the next check afresh. */
export function requestNextCheck(): void {
  writeStorage(NEXT_CHECK_KEY, true)
}

/** True once after requestNextCheck (the check page asks when it is shown). */
export function takeNextCheckRequest(): boolean {
  const asked = readStorage<boolean>(NEXT_CHECK_KEY) === true
  if (asked) removeStorage(NEXT_CHECK_KEY)
  return asked
}
