import { z } from "zod";
import { normalizeText } from "../text.ts";
import { UnitCodeSchema } from "../units.ts";
import { describeInput } from "../validation.ts";
import { fieldSchema, whenFieldsValid, type FieldSpec } from "../reports/fields.ts";
import type { MessageKey } from "../i18n.ts";

/*
 * Entrusted collection (委托代征): the tax bureau entrusts a unit (a rental service centre, a market)
 * with collecting small local taxes under a written agreement; named agents collect; tax officers
 * inspect. One schema per input, shared by the API, the CLI and the mini-app form. Fields reuse the
 * report field kinds (date, text, textarea) so they are normalised and explained the same way.
 */

/** A document number as printed (WTDZ-2026-001): half-width, no spaces, upper case, dashes kept. */
const documentNo = (labelKey: MessageKey, max: number) =>
  describeInput(
    z
      .string()
      .overwrite((v) => normalizeText(v).replace(/\s/g, "").toUpperCase())
      .min(1)
      .max(max),
    { kind: "text", labelKey },
  );

const field = (name: string, kind: "text" | "textarea" | "date", labelKey: MessageKey, required: boolean, max?: number) =>
  fieldSchema({ name, kind, labelKey, required, ...(max ? { max } : {}) });

/** A unit of type entrusted_collector, by its code. */
export const EntrustedUnitSchema = describeInput(UnitCodeSchema.clone(), { kind: "choice", labelKey: "entrusted-field-unit" });

/**
 * `POST /api/v1/entrusted/collectors` and `entrusted register`: the agreement of a collector unit
 * (upsert by unit). Dates are CST calendar dates, both inclusive; validTo must not be before validFrom.
 */
export const RegisterCollectorSchema = z
  .strictObject({
    unit: EntrustedUnitSchema,
    agreementNo: documentNo("entrusted-field-agreementNo", 50),
    scope: field("scope", "textarea", "entrusted-field-scope", true, 200) as z.ZodType<string>,
    validFrom: field("validFrom", "date", "entrusted-field-validFrom", true) as z.ZodType<string>,
    validTo: field("validTo", "date", "entrusted-field-validTo", true) as z.ZodType<string>,
  })
  .superRefine((v, ctx) => {
    if (v.validTo < v.validFrom) ctx.addIssue({ code: "custom", path: ["validTo"], message: "entrusted-valid-to-before-from" });
  }, whenFieldsValid("validFrom", "validTo"));
export type RegisterCollectorInput = z.input<typeof RegisterCollectorSchema>;

/** Mobile (11 digits from 1) or a landline with its area code (0571-88886666): what the bureau rings. */
const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/**
 * `POST /api/v1/entrusted/agents` and `entrusted agent add`: a person who collects for a collector.
 * The certificate number (代征证件号) is unique across the district. Name and phone are personal data.
 */
export const AddAgentSchema = z.strictObject({
  unit: EntrustedUnitSchema,
  name: field("name", "text", "entrusted-field-agentName", true, 50) as z.ZodType<string>,
  certificateNo: documentNo("entrusted-field-certificateNo", 40),
  phone: describeInput(
    z
      .string()
      .overwrite((v) => normalizeText(v).replace(/[\s()（）]/g, "").replace(/^\+?86-?/, ""))
      .max(20)
      .refine((v) => v === "" || PHONE_RE.test(v), { message: "entrusted-phone-invalid" })
      .optional(),
    { kind: "text", labelKey: "entrusted-field-phone" },
  ),
});
export type AddAgentInput = z.input<typeof AddAgentSchema>;

/** The inspection form's fields, in order: the mini-app renders them with its report field widgets. */
export const INSPECTION_FIELDS = [
  { name: "inspectedOn", kind: "date", labelKey: "entrusted-field-inspectedOn", required: true },
  { name: "findings", kind: "textarea", labelKey: "entrusted-field-findings", required: true, max: 2000 },
  { name: "followUp", kind: "textarea", labelKey: "entrusted-field-followUp", required: false, max: 1000 },
  { name: "followUpBy", kind: "date", labelKey: "entrusted-field-followUpBy", required: false },
] as const satisfies readonly FieldSpec[];

/** The note that closes a follow-up. */
export const FOLLOW_UP_NOTE_FIELD = { name: "note", kind: "textarea", labelKey: "entrusted-field-doneNote", required: true, max: 500 } as const satisfies FieldSpec;

const [inspectedOnField, findingsField, followUpField, followUpByField] = INSPECTION_FIELDS;

/**
 * `POST /api/v1/entrusted/inspections`, `entrusted inspect` and the mini-app form: a tax officer's
 * inspection. A follow-up (整改要求) needs its due date, on or after the inspection; a due date needs
 * a follow-up. "Not in the future" needs the clock: `recordInspection` checks it (field inspectedOn).
 */
export const RecordInspectionSchema = z
  .strictObject({
    unit: EntrustedUnitSchema,
    inspectedOn: fieldSchema(inspectedOnField) as z.ZodType<string>,
    findings: fieldSchema(findingsField) as z.ZodType<string>,
    followUp: fieldSchema(followUpField) as z.ZodType<string | undefined>,
    followUpBy: fieldSchema(followUpByField) as z.ZodType<string | undefined>,
  })
  .superRefine((v, ctx) => {
    if (v.followUp && !v.followUpBy) ctx.addIssue({ code: "custom", path: ["followUpBy"], message: "entrusted-follow-up-by-required" });
    if (!v.followUp && v.followUpBy) ctx.addIssue({ code: "custom", path: ["followUp"], message: "entrusted-follow-up-required" });
    if (v.followUpBy && v.inspectedOn && v.followUpBy < v.inspectedOn) ctx.addIssue({ code: "custom", path: ["followUpBy"], message: "entrusted-follow-up-before-inspection" });
  }, whenFieldsValid("inspectedOn", "followUp", "followUpBy"));
export type RecordInspectionInput = z.input<typeof RecordInspectionSchema>;

/** `POST /api/v1/entrusted/inspections/:id/done`: the follow-up was put right, with what was done. */
export const CompleteFollowUpSchema = z.strictObject({
  note: fieldSchema(FOLLOW_UP_NOTE_FIELD) as z.ZodType<string>,
});
export type CompleteFollowUpInput = z.input<typeof CompleteFollowUpSchema>;

/** `GET /api/v1/entrusted/inspections?unit=&overdue=true`. */
export const ListInspectionsQuerySchema = z.object({
  unit: UnitCodeSchema.optional(),
  overdue: z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")])
    .optional(),
});
export type ListInspectionsQuery = z.input<typeof ListInspectionsQuerySchema>;

/** True when a follow-up is overdue on `today` (CST date): due before today and not done. */
export function isFollowUpOverdue(i: { followUp: string | null; followUpBy: string | null; followUpDoneOn: string | null }, today: string): boolean {
  return i.followUp !== null && i.followUpBy !== null && i.followUpDoneOn === null && i.followUpBy < today;
}

/** True when an agreement has run out on `today` (validTo is inclusive). */
export function isAgreementExpired(validTo: string, today: string): boolean {
  return validTo < today;
}
