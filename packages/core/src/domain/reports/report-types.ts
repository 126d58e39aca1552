import type { z } from "zod";
import { normalizeCode } from "../text.ts";
import { addDays, cstDate, cstStartOfDay, cstYear } from "../time.ts";
import type { MessageKey } from "../i18n.ts";
import type { UnitType } from "../units.ts";
import { objectSchema, parseCstDateTime, whenFieldsValid, type FieldSpec } from "./fields.ts";

/**
 * How a report stands against its deadline. `overdue` is a duty missed (a feed not filed by its due
 * day); an attempt to file after the fact is refused at validation and is not an overdue report.
 */
export const TIMELINESS = ["on_time", "late", "overdue"] as const;
export type Timeliness = (typeof TIMELINESS)[number];

/** Tunable deadline parameters (district policy may change them; the defaults follow the issue). */
export interface ReportRulesConfig {
  /** Days after leaseStart within which a rental must be registered. */
  rentalDueDays: number;
  /** Whole CST days before the first show that count as on time. */
  performanceLeadDays: number;
}
export const DEFAULT_RULES: ReportRulesConfig = { rentalDueDays: 30, performanceLeadDays: 3 };

/** The outcome of a deadline rule for one filing. */
export interface DeadlineResult {
  timeliness: Timeliness;
  /** The last instant that is still on time (null when the type has no deadline). */
  dueAt: Date | null;
}

/**
 * A report about one fact (a rental, a show, a vehicle), filed from a form. `check` holds rules
 * that depend on "now" (a year in the future) and so are not part of the static schema.
 */
export interface EventReportType<T = Record<string, unknown>> {
  kind: "event";
  code: string;
  titleKey: MessageKey;
  unitTypes: readonly UnitType[];
  fields: readonly FieldSpec[];
  schema: z.ZodType<T>;
  /** Time-dependent rules. Also called with a partial object (only the fields that passed the schema), so guard every read. */
  check(data: T, now: Date): Record<string, MessageKey>;
  deadline(data: T, filedAt: Date, rules: ReportRulesConfig): DeadlineResult;
  /** When true, an `overdue` filing is refused (and recorded against the unit) instead of stored. */
  refuseWhenOverdue: boolean;
  /** Same key = probably the same fact reported twice. */
  dupKey(data: T): string;
  /** The fields `dupKey` reads: a form can ask "already reported?" as soon as these are filled. */
  dupFields: readonly string[];
  /** A one-line description for inboxes, exports and duplicate hints. */
  summary(data: T): string;
}

// --- shared pieces -----------------------------------------------------------------------------

const note: FieldSpec = { name: "note", kind: "textarea", labelKey: "report-field-note", required: false, max: 500 };

/** The end of a CST calendar day (the last millisecond still "on" that day). */
function endOfCstDay(date: string): Date {
  return new Date(cstStartOfDay(addDays(date, 1)).getTime() - 1);
}

/** Addresses compare equal regardless of spacing, width, case and punctuation. */
export function normalizeAddress(address: string): string {
  return normalizeCode(address).replace(/[,，、;；:：()（）#＃号]/g, "");
}

// --- rental 承租房屋登记 ------------------------------------------------------------------------

export const RENTAL_FIELDS: readonly FieldSpec[] = [
  { name: "address", kind: "text", labelKey: "report-field-address", required: true, max: 200 },
  { name: "landlordName", kind: "text", labelKey: "report-field-landlordName", required: true, max: 50, pii: "name" },
  { name: "landlordIdNo", kind: "id_number", labelKey: "report-field-landlordIdNo", required: true },
  { name: "tenantName", kind: "text", labelKey: "report-field-tenantName", required: true, max: 100, pii: "name" },
  { name: "tenantIdNo", kind: "id_or_uscc", labelKey: "report-field-tenantIdNo", required: true, hintKey: "report-hint-id-or-uscc" },
  {
    name: "use",
    kind: "enum",
    labelKey: "report-field-use",
    required: true,
    options: [
      { value: "residential", labelKey: "report-option-use-residential" },
      { value: "business", labelKey: "report-option-use-business" },
    ],
  },
  { name: "monthlyRent", kind: "money", labelKey: "report-field-monthlyRent", required: true, positive: true, max: 10_000_000, hintKey: "report-hint-yuan", unitKey: "unit-yuan" },
  { name: "area", kind: "number", labelKey: "report-field-area", required: true, positive: true, max: 100_000, hintKey: "report-hint-m2", unitKey: "unit-m2" },
  { name: "leaseStart", kind: "date", labelKey: "report-field-leaseStart", required: true, hintKey: "report-hint-date" },
  { name: "leaseEnd", kind: "date", labelKey: "report-field-leaseEnd", required: true, hintKey: "report-hint-date" },
  note,
];

/** `data` of a rental report (承租房屋登记). */
export interface RentalData {
  address: string;
  landlordName: string;
  landlordIdNo: string;
  tenantName: string;
  tenantIdNo: string;
  use: "residential" | "business";
  monthlyRent: number;
  area: number;
  leaseStart: string;
  leaseEnd: string;
  note?: string;
}

/** Validates and normalises rental `data`: GB 11643 / GB 32100 checksums, leaseEnd after leaseStart. */
export const RentalDataSchema = objectSchema(RENTAL_FIELDS).superRefine((d, ctx) => {
  if (typeof d.leaseStart === "string" && typeof d.leaseEnd === "string" && d.leaseEnd <= d.leaseStart) {
    ctx.addIssue({ code: "custom", path: ["leaseEnd"], message: "report-lease-end-before-start" });
  }
}, whenFieldsValid("leaseStart", "leaseEnd")) as unknown as z.ZodType<RentalData>;

export const rentalType: EventReportType<RentalData> = {
  kind: "event",
  code: "rental",
  titleKey: "report-type-rental",
  unitTypes: ["village", "community"],
  fields: RENTAL_FIELDS,
  schema: RentalDataSchema,
  check(d, now): Record<string, MessageKey> {
    // A lease registered more than a year ahead is almost certainly a typo in the year.
    return typeof d.leaseStart === "string" && d.leaseStart > addDays(cstDate(now), 366) ? { leaseStart: "report-lease-start-too-far" } : {};
  },
  deadline(d, filedAt, rules) {
    const dueAt = endOfCstDay(addDays(d.leaseStart, rules.rentalDueDays));
    return { timeliness: filedAt.getTime() <= dueAt.getTime() ? "on_time" : "late", dueAt };
  },
  refuseWhenOverdue: false,
  dupFields: ["address", "landlordIdNo", "leaseStart"],
  dupKey: (d) => `rental|${normalizeAddress(d.address)}|${d.landlordIdNo}|${d.leaseStart}`,
  summary: (d) => `${d.address} · ${d.tenantName} · ${d.leaseStart}`,
};

// --- performance 外来演出 -----------------------------------------------------------------------

export const PERFORMANCE_FIELDS: readonly FieldSpec[] = [
  { name: "title", kind: "text", labelKey: "report-field-title", required: true, max: 100 },
  { name: "troupe", kind: "text", labelKey: "report-field-troupe", required: true, max: 100 },
  { name: "organizer", kind: "text", labelKey: "report-field-organizer", required: true, max: 100 },
  { name: "organizerUscc", kind: "uscc", labelKey: "report-field-organizerUscc", required: true },
  { name: "venue", kind: "text", labelKey: "report-field-venue", required: true, max: 100 },
  { name: "startsAt", kind: "datetime", labelKey: "report-field-startsAt", required: true, hintKey: "report-hint-datetime" },
  { name: "endsAt", kind: "datetime", labelKey: "report-field-endsAt", required: true, hintKey: "report-hint-datetime" },
  { name: "shows", kind: "integer", labelKey: "report-field-shows", required: true, positive: true, max: 1000, unitKey: "unit-show" },
  { name: "ticketPriceMin", kind: "money", labelKey: "report-field-ticketPriceMin", required: true, min: 0, max: 100_000, hintKey: "report-hint-yuan", unitKey: "unit-yuan" },
  { name: "ticketPriceMax", kind: "money", labelKey: "report-field-ticketPriceMax", required: true, min: 0, max: 100_000, hintKey: "report-hint-yuan", unitKey: "unit-yuan" },
  { name: "expectedAudience", kind: "integer", labelKey: "report-field-expectedAudience", required: true, positive: true, max: 1_000_000, unitKey: "unit-person" },
  note,
];

/** `data` of an outside-performance report (外来演出). Date-times are stored in CST ISO form. */
export interface PerformanceData {
  title: string;
  troupe: string;
  organizer: string;
  organizerUscc: string;
  venue: string;
  startsAt: string;
  endsAt: string;
  shows: number;
  ticketPriceMin: number;
  ticketPriceMax: number;
  expectedAudience: number;
  note?: string;
}

/** Validates performance `data`: GB 32100 organiser code, endsAt after startsAt, ticket min ≤ max. */
export const PerformanceDataSchema = objectSchema(PERFORMANCE_FIELDS).superRefine((d, ctx) => {
  const s = typeof d.startsAt === "string" ? parseCstDateTime(d.startsAt) : null;
  const e = typeof d.endsAt === "string" ? parseCstDateTime(d.endsAt) : null;
  if (s && e && e.getTime() <= s.getTime()) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "report-show-ends-before-start" });
  }
}, whenFieldsValid("startsAt", "endsAt")).superRefine((d, ctx) => {
  if (typeof d.ticketPriceMin === "number" && typeof d.ticketPriceMax === "number" && d.ticketPriceMin > d.ticketPriceMax) {
    ctx.addIssue({ code: "custom", path: ["ticketPriceMax"], message: "report-ticket-min-over-max" });
  }
}, whenFieldsValid("ticketPriceMin", "ticketPriceMax")) as unknown as z.ZodType<PerformanceData>;

export const performanceType: EventReportType<PerformanceData> = {
  kind: "event",
  code: "performance",
  titleKey: "report-type-performance",
  unitTypes: ["venue", "culture_bureau"],
  fields: PERFORMANCE_FIELDS,
  schema: PerformanceDataSchema,
  check(d, now): Record<string, MessageKey> {
    // Refused as a field problem, before anything is stored or counted against the unit.
    const startsAt = typeof d.startsAt === "string" ? parseCstDateTime(d.startsAt) : null;
    return startsAt && startsAt.getTime() <= now.getTime() ? { startsAt: "report-show-started-field" } : {};
  },
  deadline(d, filedAt, rules) {
    const startsAt = parseCstDateTime(d.startsAt)!;
    // On time = filed on a CST calendar day at least `performanceLeadDays` before the day of the first show.
    const dueAt = endOfCstDay(addDays(cstDate(startsAt), -rules.performanceLeadDays));
    if (filedAt.getTime() >= startsAt.getTime()) return { timeliness: "overdue", dueAt };
    return { timeliness: filedAt.getTime() <= dueAt.getTime() ? "on_time" : "late", dueAt };
  },
  refuseWhenOverdue: true,
  dupFields: ["title", "venue", "startsAt"],
  dupKey: (d) => `performance|${normalizeAddress(d.title)}|${normalizeAddress(d.venue)}|${cstDate(parseCstDateTime(d.startsAt)!)}`,
  summary: (d) => `${d.title} · ${d.venue} · ${d.startsAt.slice(0, 16).replace("T", " ")}`,
};

// --- vehicle_no_clearance 车船税未完税 -----------------------------------------------------------

export const VEHICLE_FIELDS: readonly FieldSpec[] = [
  { name: "plate", kind: "plate", labelKey: "report-field-plate", required: true, hintKey: "report-hint-plate" },
  { name: "vehicleType", kind: "text", labelKey: "report-field-vehicleType", required: true, max: 30 },
  { name: "ownerName", kind: "text", labelKey: "report-field-ownerName", required: true, max: 100, pii: "name" },
  { name: "ownerIdNo", kind: "id_or_uscc", labelKey: "report-field-ownerIdNo", required: false, hintKey: "report-hint-id-or-uscc" },
  { name: "missingYears", kind: "years", labelKey: "report-field-missingYears", required: true, max: 5, hintKey: "report-hint-years", unitKey: "unit-year" },
  { name: "place", kind: "text", labelKey: "report-field-place", required: true, max: 100 },
  note,
];

/** `data` of a report that a vehicle lacks 车船税 clearance. */
export interface VehicleNoClearanceData {
  plate: string;
  vehicleType: string;
  ownerName: string;
  ownerIdNo?: string;
  missingYears: number[];
  place: string;
  note?: string;
}

/** Validates vehicle `data`: plate by format (incl. new-energy), up to 5 distinct years, owner ID when given. */
export const VehicleNoClearanceDataSchema = objectSchema(VEHICLE_FIELDS) as unknown as z.ZodType<VehicleNoClearanceData>;

/** How many tax years back a missing clearance may be reported (the recovery period). */
export const MISSING_YEARS_BACK = 5;

export const vehicleNoClearanceType: EventReportType<VehicleNoClearanceData> = {
  kind: "event",
  code: "vehicle_no_clearance",
  titleKey: "report-type-vehicle_no_clearance",
  unitTypes: ["traffic_police"],
  fields: VEHICLE_FIELDS,
  schema: VehicleNoClearanceDataSchema,
  check(d, now): Record<string, MessageKey> {
    const year = cstYear(now);
    if (!Array.isArray(d.missingYears)) return {};
    if (d.missingYears.some((y) => y > year)) return { missingYears: "report-year-future" };
    if (d.missingYears.some((y) => y < year - MISSING_YEARS_BACK)) return { missingYears: "report-year-too-old" };
    return {};
  },
  // Filed at the checkpoint while the vehicle is there: there is no later deadline to miss.
  deadline: () => ({ timeliness: "on_time", dueAt: null }),
  refuseWhenOverdue: false,
  dupFields: ["plate", "missingYears"],
  dupKey: (d) => `vehicle_no_clearance|${d.plate}|${[...d.missingYears].sort().join(",")}`,
  summary: (d) => `${d.plate} · ${d.ownerName} · ${[...d.missingYears].sort().join("/")}`,
};
