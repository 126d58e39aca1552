import Taro from '@tarojs/taro'
import { vehicleReportDraft, type ClearanceCheckResult } from '@xieshui/core'
import { createDraft, loadDraft, saveDraft } from '../report/drafts'

/** The vehicle report a missing vehicle clearance is filed as, and its form page. */
export const VEHICLE_REPORT_TYPE = 'vehicle_no_clearance'
export const VEHICLE_REPORT_URL = `/pages/report-form/index?type=${VEHICLE_REPORT_TYPE}`

/**
 * "Report this vehicle": writes the plate and the years without clearance into the device draft
 * of the vehicle report, then opens its form, where the officer adds owner, vehicle type and place.
 * A draft for the same plate keeps what was typed and its clientId; a draft for another vehicle is
 * replaced (a new clientId, so it can never be mistaken for the earlier vehicle's report).
 */
export function openVehicleReport(result: Pick<ClearanceCheckResult, 'key' | 'keyType' | 'results'>): void {
  const prefill = vehicleReportDraft(result)
  const filled = { ...(prefill.plate ? { plate: prefill.plate } : {}), missingYears: (prefill.missingYears ?? []).join(',') }
  const existing = loadDraft(VEHICLE_REPORT_TYPE)
  const samePlate = existing && (!prefill.plate || existing.values.plate === prefill.plate)
  saveDraft(samePlate ? { ...existing, values: { ...existing.values, ...filled } } : createDraft(VEHICLE_REPORT_TYPE, filled))
  void Taro.navigateTo({ url: VEHICLE_REPORT_URL })
}
