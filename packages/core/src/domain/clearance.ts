import { isCalendarDate } from "./time.ts";
import { normalizeCode, normalizeText } from "./text.ts";
import { isPlate, normalizePlate } from "./plate.ts";
import { isVin, isVinFormat, normalizeVin } from "./vin.ts";
import { isTaxpayerId } from "./id-number.ts";
import { maskName } from "./mask.ts";
import type { MessageKey, MessageParams } from "./i18n.ts";

/**
 * Clearances (完税/免税凭证): the rules shared by the import, the check use-case and every front
 * end. A vehicle is cleared for a tax year when a `paid` or `exempt` vehicle_vessel row covers
 * that year; traffic police need this year and last year (CST). A property transfer is cleared
 * when every tax the clerk expects for the contract has a row ("先税后证").
 */

/** The two kinds of clearance check; the API contract names them, never rename. */
export const CLEARANCE_KINDS = ["vehicle_vessel", "property_transfer"] as const;
export type ClearanceKind = (typeof CLEARANCE_KINDS)[number];

/** What a certificate says. */
export const CLEARANCE_STATUSES = ["paid", "exempt"] as const;
export type CertificateStatus = (typeof CLEARANCE_STATUSES)[number];
/** What a check reports per year or tax: a certificate's status, or `none` when there is no certificate. */
export type ClearanceStatus = CertificateStatus | "none";

/** The vehicle tax, as the tax bureau writes it. */
export const VEHICLE_TAX = "车船税";
/** Taxes that may be due before a property transfer is registered, in the order checks list them. */
export const PROPERTY_TAXES = ["契税", "增值税", "土地增值税", "个人所得税", "印花税", "城市维护建设税", "教育费附加"] as const;
/** Every tax an import row may name. */
export const CLEARANCE_TAXES = [VEHICLE_TAX, ...PROPERTY_TAXES] as const;
export type ClearanceTax = (typeof CLEARANCE_TAXES)[number];

/**
 * Taxes a property check lists as `none` when the contract has no row for them and the clerk did
 * not say which taxes to expect. 契税 (deed tax, or its exemption) is due on every transfer
 * (契税法第十一条), so a contract without it is never cleared; the other taxes depend on the deal
 * and are listed only when found or when the clerk asks for them.
 */
export const DEFAULT_EXPECTED_PROPERTY_TAXES: readonly ClearanceTax[] = ["契税"];

/** What kind of key a vehicle or property check was made with. */
export type ClearanceKeyType = "plate" | "vin" | "contract";

/** One year of a vehicle check. */
export interface VehicleClearanceResult {
  year: number;
  status: ClearanceStatus;
  certificateNo?: string;
  /** masked (张*三) */
  taxpayerName?: string;
}

/** One tax of a property check. */
export interface PropertyClearanceResult {
  tax: string;
  status: ClearanceStatus;
  certificateNo?: string;
  /** masked (张*三) */
  taxpayerName?: string;
}

/**
 * The body of `POST /api/v1/clearances/check` (DESIGN.md contract): `kind`, the normalised `key`,
 * and one result per year (vehicles: this year, then last year) or per tax (property). `cleared`
 * is true when no result is `none`.
 */
export interface ClearanceCheckResult {
  kind: ClearanceKind;
  key: string;
  keyType: ClearanceKeyType;
  cleared: boolean;
  results: (VehicleClearanceResult | PropertyClearanceResult)[];
}

/** A stored certificate row as the check reads it (unmasked; masking happens in the functions below). */
export interface ClearanceRowView {
  certificateNo: string;
  tax: string;
  status: string;
  taxpayerName: string;
  periodStart: string;
  periodEnd: string;
}

const STATUS_RANK: Record<string, number> = { paid: 2, exempt: 1 };

function better(a: ClearanceRowView | undefined, b: ClearanceRowView): boolean {
  if (!a) return true;
  const ra = STATUS_RANK[a.status] ?? 0;
  const rb = STATUS_RANK[b.status] ?? 0;
  return rb > ra || (rb === ra && b.periodEnd > a.periodEnd);
}

function toResult<T extends object>(head: T, row: ClearanceRowView | undefined): T & { status: ClearanceStatus; certificateNo?: string; taxpayerName?: string } {
  if (!row) return { ...head, status: "none" };
  return { ...head, status: row.status as CertificateStatus, certificateNo: row.certificateNo, taxpayerName: maskName(row.taxpayerName) };
}

/**
 * Vehicle results for `year` (the current CST tax year) and `year - 1`, in that order. A row
 * counts for a year when its period overlaps it (a car bought in May pays May–December). When
 * several rows cover a year, `paid` beats `exempt`, then the later period wins.
 */
export function vehicleClearanceResults(rows: readonly ClearanceRowView[], year: number): VehicleClearanceResult[] {
  // Plain loops and object literals: this runs on every check (10,000/s), where the generic
  // spread in toResult showed up in the profile.
  return [vehicleYear(rows, year), vehicleYear(rows, year - 1)];
}

function vehicleYear(rows: readonly ClearanceRowView[], y: number): VehicleClearanceResult {
  const from = `${y}-01-01`;
  const to = `${y}-12-31`;
  let best: ClearanceRowView | undefined;
  for (const row of rows) {
    if (row.periodStart <= to && row.periodEnd >= from && STATUS_RANK[row.status] && better(best, row)) best = row;
  }
  if (!best) return { year: y, status: "none" };
  return { year: y, status: best.status as CertificateStatus, certificateNo: best.certificateNo, taxpayerName: maskName(best.taxpayerName) };
}

/**
 * Property results: one per tax found for the contract, in PROPERTY_TAXES order, plus `none` for
 * each expected tax without a row (`expected` defaults to DEFAULT_EXPECTED_PROPERTY_TAXES).
 */
export function propertyClearanceResults(rows: readonly ClearanceRowView[], expected: readonly string[] = DEFAULT_EXPECTED_PROPERTY_TAXES): PropertyClearanceResult[] {
  const byTax = new Map<string, ClearanceRowView>();
  for (const row of rows) {
    if (STATUS_RANK[row.status] && better(byTax.get(row.tax), row)) byTax.set(row.tax, row);
  }
  const taxes = new Set<string>([...expected, ...byTax.keys()]);
  const order = (tax: string) => {
    const i = (PROPERTY_TAXES as readonly string[]).indexOf(tax);
    return i < 0 ? PROPERTY_TAXES.length : i;
  };
  return [...taxes].sort((a, b) => order(a) - order(b)).map((tax) => toResult({ tax }, byTax.get(tax)));
}

/** True when nothing is missing. */
export function isCleared(results: readonly { status: ClearanceStatus }[]): boolean {
  return results.length > 0 && results.every((r) => r.status !== "none");
}

/** A check key that failed: which catalogue message explains why. */
export type ClearanceKeyProblem =
  | "clearance-key-required"
  | "clearance-key-vehicle"
  | "clearance-plate-format"
  | "clearance-vin-format"
  | "clearance-vin-check-digit"
  | "clearance-contract-format";

const CJK = /[\u3400-\u9fff]/;
/** Already-canonical plate text (province + letters/digits only): normalisation can be skipped. */
const PLATE_RE_FAST = /^[\u4e00-\u9fff][0-9A-Z]{5,6}[\u4e00-\u9fff]?$/;
const CONTRACT_RE = /^[0-9A-Z\u3400-\u9fff()（）[\]〔〕第号]{4,40}$/;

/**
 * Reads what a checker typed. Vehicles: a plate (豫Ａ１２３４５, "豫a 12345" and 豫A·12345 are the
 * same plate) or a VIN (check digit verified where GB 16735 requires it). Property: a contract
 * or property-certificate number, half-width and upper case without spaces or dashes.
 */
export function classifyClearanceKey(kind: ClearanceKind, raw: string): { ok: true; key: string; keyType: ClearanceKeyType } | { ok: false; problem: ClearanceKeyProblem } {
  if (kind === "property_transfer") {
    const key = normalizeCode(raw);
    if (!key) return { ok: false, problem: "clearance-key-required" };
    return CONTRACT_RE.test(key) ? { ok: true, key, keyType: "contract" } : { ok: false, problem: "clearance-contract-format" };
  }
  const plate = normalizePlate(raw);
  if (!plate) return { ok: false, problem: "clearance-key-required" };
  if (isPlate(plate)) return { ok: true, key: plate, keyType: "plate" };
  if (CJK.test(plate)) return { ok: false, problem: "clearance-plate-format" };
  const vin = normalizeVin(raw);
  if (vin.length === 17) {
    if (!isVinFormat(vin)) return { ok: false, problem: "clearance-vin-format" };
    return isVin(vin) ? { ok: true, key: vin, keyType: "vin" } : { ok: false, problem: "clearance-vin-check-digit" };
  }
  return { ok: false, problem: vin.length > 10 ? "clearance-vin-format" : "clearance-key-vehicle" };
}

/** The columns of the tax bureau's export, in order (../shared/data/clearances/README.md). */
export const CLEARANCE_COLUMNS = [
  "certificate_no",
  "kind",
  "tax",
  "plate",
  "vin",
  "contract_no",
  "taxpayer_id",
  "taxpayer_name",
  "period_start",
  "period_end",
  "status",
  "amount",
  "paid_on",
] as const;
export type ClearanceColumn = (typeof CLEARANCE_COLUMNS)[number];

/** One valid import row, normalised as it is stored. */
export interface ClearanceRow {
  certificateNo: string;
  kind: ClearanceKind;
  tax: ClearanceTax;
  plate: string | null;
  vin: string | null;
  contractNo: string | null;
  taxpayerId: string;
  taxpayerName: string;
  periodStart: string;
  periodEnd: string;
  status: CertificateStatus;
  amountFen: number;
  paidOn: string;
}

/** Why one import row was refused: the column and a catalogue message. */
export interface ClearanceRowProblem {
  column: ClearanceColumn;
  messageKey: MessageKey;
  params?: MessageParams;
}

/** "480.00" → 48000 fen without floating point; null when not a non-negative amount with ≤ 2 decimals. */
export function parseAmountFen(value: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value.trim().replace(/,/g, ""));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

const CERT_RE = /^[0-9A-Z]{6,40}$/;
const PLAIN_CODE = /^[0-9A-Z]+$/;
const PLAIN_NAME = /^[\u4e00-\u9fff]{1,20}$/;

/** normalizeCode, skipped for values that are already canonical (most of an export: a million rows). */
function code(value: string): string {
  return PLAIN_CODE.test(value) ? value : normalizeCode(value);
}

/**
 * Remembers a predicate's verdicts (bounded). An export repeats a few hundred dates a million
 * times, and a vehicle's plate, VIN and owner once per tax year, so most checks are repeats.
 */
function remembered(predicate: (value: string) => boolean, limit: number): (value: string) => boolean {
  const verdicts = new Map<string, boolean>();
  return (value) => {
    let ok = verdicts.get(value);
    if (ok === undefined) {
      ok = predicate(value);
      if (verdicts.size >= limit) verdicts.clear();
      verdicts.set(value, ok);
    }
    return ok;
  };
}
const isDate = remembered(isCalendarDate, 20_000);
const isKnownPlate = remembered(isPlate, 20_000);
const isKnownVin = remembered(isVin, 20_000);
const isKnownTaxpayerId = remembered(isTaxpayerId, 20_000);
const TAXES = new Set<string>(CLEARANCE_TAXES);

/**
 * Validates and normalises one export row (values by column name). Written as a plain function,
 * not a zod object, because the import runs it a million times; ClearanceImportRowSchema wraps it
 * for callers that want a schema. Returns the first problem found.
 */
/** A refused row (module level: a closure inside validateClearanceRow was created per row). */
function fail(column: ClearanceColumn, messageKey: MessageKey, params?: MessageParams): { ok: false; problem: ClearanceRowProblem } {
  return { ok: false, problem: params ? { column, messageKey, params } : { column, messageKey } };
}

export function validateClearanceRow(values: Readonly<Record<ClearanceColumn, string>>): { ok: true; row: ClearanceRow } | { ok: false; problem: ClearanceRowProblem } {
  const certificateNo = code(values.certificate_no);
  if (!CERT_RE.test(certificateNo)) return fail("certificate_no", "clearance-import-bad-certificate");
  const kind = values.kind.trim();
  if (kind !== "vehicle_vessel" && kind !== "property_transfer") return fail("kind", "clearance-kind-unknown");
  const tax = values.tax.trim();
  if (!TAXES.has(tax)) return fail("tax", "clearance-tax-unknown");
  let plate: string | null = null;
  let vin: string | null = null;
  let contractNo: string | null = null;
  if (kind === "vehicle_vessel") {
    if (tax !== VEHICLE_TAX) return fail("tax", "clearance-import-vehicle-tax");
    if (values.plate.trim()) {
      plate = PLATE_RE_FAST.test(values.plate) ? values.plate : normalizePlate(values.plate);
      if (!isKnownPlate(plate)) return fail("plate", "clearance-plate-format");
    }
    if (values.vin.trim()) {
      vin = code(values.vin);
      if (!isVinFormat(vin)) return fail("vin", "clearance-vin-format");
      if (!isKnownVin(vin)) return fail("vin", "clearance-vin-check-digit");
    }
    if (!plate && !vin) return fail("plate", "clearance-import-vehicle-key");
  } else {
    if (tax === VEHICLE_TAX) return fail("tax", "clearance-import-property-tax");
    const contract = PLAIN_CODE.test(values.contract_no) && values.contract_no.length >= 4 && values.contract_no.length <= 40
      ? { ok: true as const, key: values.contract_no }
      : classifyClearanceKey("property_transfer", values.contract_no);
    if (!contract.ok) return fail("contract_no", contract.problem === "clearance-key-required" ? "clearance-import-contract-required" : contract.problem);
    contractNo = contract.key;
  }
  const taxpayerId = code(values.taxpayer_id);
  if (!isKnownTaxpayerId(taxpayerId)) return fail("taxpayer_id", "clearance-import-bad-taxpayer-id");
  const taxpayerName = PLAIN_NAME.test(values.taxpayer_name) ? values.taxpayer_name : normalizeText(values.taxpayer_name);
  if (!taxpayerName) return fail("taxpayer_name", "field-required");
  if (taxpayerName.length > 100) return fail("taxpayer_name", "field-too-long", { max: 100 });
  const periodStart = values.period_start.trim();
  if (!isDate(periodStart)) return fail("period_start", "clearance-import-bad-date");
  const periodEnd = values.period_end.trim();
  if (!isDate(periodEnd)) return fail("period_end", "clearance-import-bad-date");
  if (periodStart > periodEnd) return fail("period_end", "clearance-import-bad-period");
  const status = values.status.trim();
  if (status !== "paid" && status !== "exempt") return fail("status", "clearance-import-bad-status");
  const amountFen = parseAmountFen(values.amount);
  if (amountFen === null) return fail("amount", "clearance-import-bad-amount");
  const paidOn = values.paid_on.trim();
  if (!isDate(paidOn)) return fail("paid_on", "clearance-import-bad-date");
  return {
    ok: true,
    row: { certificateNo, kind, tax: tax as ClearanceTax, plate, vin, contractNo, taxpayerId, taxpayerName, periodStart, periodEnd, status, amountFen, paidOn },
  };
}
