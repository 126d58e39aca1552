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

/**
 * A `wx.login` code as the WeChat mini-app sends it: opaque, short, URL-safe, good once for five
 * minutes. Exchanged by the API with WeChat's code2session for the user's openid.
 */
export const WechatCodeSchema = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, { message: "wechat-code-format" });

/**
 * `POST /api/v1/auth/redeem` and the mini-app login form. In the WeChat build the page adds a fresh
 * `wechatCode`, so this WeChat account signs the user in next time without a code.
 */
export const RedeemSchema = z.strictObject({
  code: InviteCodeSchema,
  name: PersonNameSchema.optional(),
  wechatCode: WechatCodeSchema.optional(),
});
export type RedeemInput = z.infer<typeof RedeemSchema>;

/** `POST /api/v1/auth/link` — a mini-app login with a link code obtained in the bot (plus `wechatCode` in WeChat). */
export const LinkRedeemSchema = z.strictObject({ code: LinkCodeSchema, wechatCode: WechatCodeSchema.optional() });
export type LinkRedeemInput = z.infer<typeof LinkRedeemSchema>;

/** Creating an invite (CLI `invite`, admin page, `POST /api/v1/admin/invites`). */
export const CreateInviteSchema = z.strictObject({
  unit: describeInput(UnitCodeSchema.clone(), { kind: "choice", labelKey: "app-admin-unit" }),
  roles: z.array(RoleSchema).min(1, { message: "invite-roles-required" }).max(7).transform((r) => [...new Set(r)]),
  name: PersonNameSchema.optional(),
  expiresInDays: describeInput(z.number().int().min(1).max(90), { kind: "integer", labelKey: "app-admin-days", unitKey: "unit-day" }).default(14),
});
export type CreateInviteInput = z.input<typeof CreateInviteSchema>;

/** `POST /api/v1/auth/wechat`: a returning WeChat user signs in with a fresh `wx.login` code alone. */
export const WechatLoginSchema = z.strictObject({ code: WechatCodeSchema });
export type WechatLoginInput = z.infer<typeof WechatLoginSchema>;
