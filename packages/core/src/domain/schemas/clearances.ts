import { z } from "zod";
import {
  CLEARANCE_COLUMNS,
  CLEARANCE_KINDS,
  CLEARANCE_TAXES,
  classifyClearanceKey,
  validateClearanceRow,
  type ClearanceColumn,
  type ClearanceKeyType,
  type ClearanceKind,
} from "../clearance.ts";

/**
 * `POST /api/v1/clearances/check`, the bot's /check and the mini-app check page. The key is
 * normalised (plate, VIN or contract number); the output says which it was. `taxes` lets a
 * property clerk name the taxes this transfer needs: each one missing is listed as `none`.
 */
export const ClearanceCheckSchema = z
  .strictObject({
    kind: z.enum(CLEARANCE_KINDS, { message: "clearance-kind-unknown" }),
    key: z.string().max(100),
    taxes: z.array(z.enum(CLEARANCE_TAXES, { message: "clearance-tax-unknown" })).max(10).optional(),
  })
  .transform((input, ctx): { kind: ClearanceKind; key: string; keyType: ClearanceKeyType; taxes?: string[] } => {
    const result = classifyClearanceKey(input.kind, input.key);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", path: ["key"], message: result.problem, input: input.key });
      return z.NEVER;
    }
    return { kind: input.kind, key: result.key, keyType: result.keyType, ...(input.taxes ? { taxes: [...new Set(input.taxes)] } : {}) };
  });
export type ClearanceCheckInput = z.input<typeof ClearanceCheckSchema>;
export type ClearanceCheck = z.output<typeof ClearanceCheckSchema>;

/** One row of the tax bureau's export (values by column name), validated and normalised for storage. */
export const ClearanceImportRowSchema = z
  .record(z.enum(CLEARANCE_COLUMNS), z.string())
  .transform((values, ctx) => {
    const result = validateClearanceRow(values as Record<ClearanceColumn, string>);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", path: [result.problem.column], message: result.problem.messageKey, input: values, ...(result.problem.params ? { params: result.problem.params } : {}) });
      return z.NEVER;
    }
    return result.row;
  });
