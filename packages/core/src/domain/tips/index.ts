import { z } from "zod";
import { hasControlChars, normalizeText, toHalfWidth } from "../text.ts";

/**
 * Anonymous tips (举报): the shared schemas, statuses and rules of filing and following a tip. What
 * must stay true: nothing here asks for anything identifying; contact details exist only when the
 * tipster chooses a real-name tip; a receipt is exactly 16 digits however it was typed.
 */

/** The DESIGN.md categories, in the order forms show them. */
export const TIP_CATEGORIES = ["tax_evasion", "arrears_evasion", "tax_resistance", "false_invoice", "unregistered_rental", "unreported_performance", "other"] as const;
/** A tip category; the schema refuses anything else with a Chinese/English message. */
export type TipCategory = (typeof TIP_CATEGORIES)[number];
export const TipCategorySchema = z.enum(TIP_CATEGORIES, { message: "tip-category-required" });

/** new → accepted | not_accepted; accepted → investigating → closed; anything open → closed (spam, duplicates). */
export const TIP_STATUSES = ["new", "accepted", "not_accepted", "investigating", "closed"] as const;
/** A tip status (validated in the app: SQLite does not enforce enums). */
export type TipStatus = (typeof TIP_STATUSES)[number];
export const TipStatusSchema = z.enum(TIP_STATUSES);

/** Which status may follow which (a handler's change with a reason). Closed and not accepted are final. */
export const TIP_TRANSITIONS: Record<TipStatus, readonly TipStatus[]> = {
  new: ["accepted", "not_accepted", "closed"],
  accepted: ["investigating", "closed"],
  investigating: ["closed"],
  not_accepted: [],
  closed: [],
};

/** True when a tip with status `from` may move to `to`. */
export function canMoveTip(from: TipStatus, to: TipStatus): boolean {
  return TIP_TRANSITIONS[from].includes(to);
}

/** Reward bands a handler may mark a closed tip with (the amount is decided and paid in person). */
export const REWARD_BANDS = ["up_to_500", "500_2000", "2000_10000", "over_10000"] as const;
/** A reward band; the amount itself is decided and paid in person. */
export type RewardBand = (typeof REWARD_BANDS)[number];
export const RewardBandSchema = z.enum(REWARD_BANDS);

/** Longest description, and the other text fields, in characters. */
export const TIP_DESCRIPTION_MAX = 5000;
export const TIP_FIELD_MAX = 300;
export const TIP_MESSAGE_MAX = 2000;
/** Largest evidence photo in bytes, and how many one tip may carry. */
export const TIP_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export const TIP_ATTACHMENTS_MAX = 9;

/** Digits in a receipt code. */
export const RECEIPT_DIGITS = 16;

/**
 * A receipt as typed: full-width digits folded, spaces, dashes and dots dropped. Returns the 16
 * digits or null. The same folding runs on every front end and on the server.
 */
export function normalizeReceipt(value: string): string | null {
  const digits = toHalfWidth(value.normalize("NFKC")).replace(/[\s\-_.·‐‑–—]/g, "");
  return /^\d{16}$/.test(digits) ? digits : null;
}

/** A receipt for people: 1234 5678 9012 3456 (4-4-4-4). */
export function formatReceipt(receipt: string): string {
  return receipt.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** A receipt typed by a tipster (a JSON number of 16 digits is taken as its digits too). */
export const ReceiptSchema = z.preprocess(
  (v) => (typeof v === "number" && Number.isSafeInteger(v) && String(v).length === RECEIPT_DIGITS ? String(v) : v),
  z
    .string({ message: "tip-receipt-format" })
    .max(64, { message: "tip-receipt-format" })
    .transform((v, ctx) => {
      const r = normalizeReceipt(v);
      if (!r) {
        ctx.addIssue({ code: "custom", message: "tip-receipt-format" });
        return z.NEVER;
      }
      return r;
    }),
);

const text = (max: number) =>
  z
    .string()
    .max(max * 2)
    .transform(normalizeText)
    .pipe(z.string().max(max))
    .refine((v) => !hasControlChars(v), { message: "tip-control-chars" });

/** Multi-line prose: kept as typed (Chinese punctuation included), line breaks unified, zero-width characters dropped. */
const longText = (max: number, min = 1) =>
  z
    .string()
    .max(max * 2)
    .transform((v) => v.normalize("NFC").replace(/\r\n?/g, "\n").replace(/[\u200B-\u200D\u2060\uFEFF]/g, "").trim())
    .pipe(z.string().min(min).max(max))
    .refine((v) => !hasControlChars(v), { message: "tip-control-chars" });

const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), text(max).optional());

/** Each field of a tip on its own, for flows that ask one question at a time (the bot). */
export const TipFieldSchemas = {
  description: longText(TIP_DESCRIPTION_MAX),
  subject: text(TIP_FIELD_MAX),
  location: text(TIP_FIELD_MAX),
  when: text(100),
  contact: text(TIP_FIELD_MAX),
};

/**
 * `POST /api/v1/tips`, the bot's /tip and the mini-app's tip form. Only the category and what
 * happened are required; `contact` is allowed only for a real-name tip (`realName: true`).
 */
export const FileTipSchema = z
  .strictObject({
    category: TipCategorySchema,
    description: longText(TIP_DESCRIPTION_MAX),
    subject: optionalText(TIP_FIELD_MAX),
    location: optionalText(TIP_FIELD_MAX),
    when: optionalText(100),
    realName: z.boolean().optional(),
    contact: optionalText(TIP_FIELD_MAX),
  })
  .superRefine((v, ctx) => {
    if (v.contact && !v.realName) ctx.addIssue({ code: "custom", path: ["contact"], message: "tip-contact-only-real-name" });
    if (v.realName && !v.contact) ctx.addIssue({ code: "custom", path: ["contact"], message: "tip-contact-required" });
  });
/** A validated tip as the use-case receives it. */
export type FileTipInput = z.infer<typeof FileTipSchema>;

/** `POST /api/v1/tips/status`: the receipt only. */
export const TipStatusQuerySchema = z.strictObject({ receipt: ReceiptSchema });

/** `POST /api/v1/tips/reply`: the tipster answers the handlers. */
export const TipReplySchema = z.strictObject({ receipt: ReceiptSchema, text: longText(TIP_MESSAGE_MAX) });
/** A validated answer of the tipster. */
export type TipReplyInput = z.infer<typeof TipReplySchema>;

/** A handler's status change: the new status and why (the reason is kept with the tip's history). */
export const ChangeTipStatusSchema = z.strictObject({ status: TipStatusSchema, reason: longText(500) });
/** A validated status change. */
export type ChangeTipStatusInput = z.infer<typeof ChangeTipStatusSchema>;

/** A handler's message to the tipster (shown with the receipt). */
export const TipMessageSchema = z.strictObject({ text: longText(TIP_MESSAGE_MAX) });

/** Assigning a tip to a unit (its tax officers then see the facts). */
export const AssignTipSchema = z.strictObject({ unit: z.string().min(1).max(64) });

/** Marking a closed tip reward-eligible. */
export const TipRewardSchema = z.strictObject({ band: RewardBandSchema });

/** Closing many tips as spam at once. */
export const CloseSpamSchema = z.strictObject({ ids: z.array(z.string().min(1).max(64)).min(1).max(200), reason: longText(500).optional() });

/** What a tipster sees with the receipt (the DESIGN.md answer of `POST /tips/status`, plus the reward). */
export interface TipStatusView {
  status: TipStatus;
  category: TipCategory;
  filedOn: string;
  messages: { from: "handler" | "tipster"; text: string; on: string }[];
  attachments: number;
  reward: RewardBand | null;
}
