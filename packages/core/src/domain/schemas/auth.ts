import { z } from "zod";
import { canonicalCode, isInviteCode, isLinkCode } from "../codes.ts";
import { RoleSchema, UnitCodeSchema } from "../units.ts";
import { normalizeProse } from "../text.ts";
import { describeInput } from "../validation.ts";

/** An invite code as typed: folded to canonical form, then checked. */
export const InviteCodeSchema = z
  .string()
  .max(64)
  .transform(canonicalCode)
  .refine(isInviteCode, { message: "invite-code-format" });

/** A one-time link code as typed. */
export const LinkCodeSchema = z
  .string()
  .max(64)
  .transform(canonicalCode)
  .refine(isLinkCode, { message: "link-code-format" });

/** A person's display name: kept as typed (only stray spaces go), 1–40 characters. */
export const PersonNameSchema = z.string().transform((v) => normalizeProse(v)).pipe(z.string().min(1).max(40));

/** `POST /api/v1/auth/redeem` and the mini-app login form. */
export const RedeemSchema = z.strictObject({
  code: InviteCodeSchema,
  name: PersonNameSchema.optional(),
});
export type RedeemInput = z.infer<typeof RedeemSchema>;

/** `POST /api/v1/auth/link` — a mini-app login with a link code obtained in the bot. */
export const LinkRedeemSchema = z.strictObject({ code: LinkCodeSchema });
export type LinkRedeemInput = z.infer<typeof LinkRedeemSchema>;

/** Creating an invite (CLI `invite`, admin page, `POST /api/v1/admin/invites`). */
export const CreateInviteSchema = z.strictObject({
  unit: describeInput(UnitCodeSchema.clone(), { kind: "choice", labelKey: "app-admin-unit" }),
  roles: z.array(RoleSchema).min(1, { message: "invite-roles-required" }).max(7).transform((r) => [...new Set(r)]),
  name: PersonNameSchema.optional(),
  expiresInDays: describeInput(z.number().int().min(1).max(90), { kind: "integer", labelKey: "app-admin-days", unitKey: "unit-day" }).default(14),
});
export type CreateInviteInput = z.input<typeof CreateInviteSchema>;
