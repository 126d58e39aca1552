import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { DEFAULT_LOCALE, type Locale } from "../../domain/i18n.ts";
import { parseInput } from "../../domain/validation.ts";
import { addDays, cstDate } from "../../domain/time.ts";
import {
  FileTipSchema,
  TipReplySchema,
  TipStatusQuerySchema,
  RECEIPT_DIGITS,
  TIP_ATTACHMENT_MAX_BYTES,
  TIP_ATTACHMENTS_MAX,
  type RewardBand,
  type TipCategory,
  type TipStatus,
  type TipStatusView,
} from "../../domain/tips/index.ts";
import { AppError, isAppError } from "../errors.ts";
import type { Deps } from "../deps.ts";
import { reencodeImage, sniffImage, type CleanImage } from "../media/images.ts";
import { isUniqueViolation } from "../reports/common.ts";
import { decryptTipText, encryptTipBytes, encryptTipText, hashReceipt } from "./keys.ts";
import type { TipContext } from "./context.ts";

/**
 * The tipster's side of the tip line: file, follow with the receipt, reply, add evidence. What must
 * stay true: these functions take NO actor and no client identity (a logged-in staff member files
 * exactly like a citizen, and nothing could be linked even by mistake); `client` is only a key for
 * the abuse limiters, hashed there; nothing is audited (an audit row would time-stamp the
 * tipster to the millisecond); times are CST dates; evidence files are stored under random names
 * with no time of their own (storage/files.ts keeps no creation time for the `tips` namespace).
 */
export interface TipsterOptions {
  locale?: Locale;
  /** Key of the abuse limits: the client address (API) or chat (bot). Never stored, only an HMAC under a daily salt. */
  client: string;
}

function invalid(fields: Record<string, string>): AppError {
  return new AppError("invalid_input", { fields });
}

const rateLimited = () => new AppError("rate_limited", { reason: "too_many_attempts", messageKey: "tip-rate-limited" });
/** Every miss is this one error: same status, same body, whatever the receipt was. */
const notFound = () => new AppError("not_found", { reason: "tip_not_found", messageKey: "tip-not-found" });

/** 16 uniformly random digits from the crypto RNG. */
export function newReceipt(): string {
  let out = "";
  for (let i = 0; i < RECEIPT_DIGITS; i++) out += String(randomInt(10));
  return out;
}

/** The facts a tip holds, as encrypted into `Tip.body`. */
export interface TipFacts {
  subject?: string | undefined;
  location?: string | undefined;
  when?: string | undefined;
  description: string;
  contact?: string | undefined;
}

/** AAD binding each ciphertext to its row, so ciphertext moved between rows does not decrypt. */
export const tipAad = {
  body: (tipId: string) => `tip:${tipId}:body`,
  message: (id: string) => `tip-message:${id}`,
  event: (id: string) => `tip-event:${id}`,
  attachment: (id: string) => `tip-attachment:${id}`,
};

/**
 * Files a tip and returns its receipt (16 digits, shown once). Validates with FileTipSchema;
 * evidence images are added afterwards with the receipt (`addTipEvidence`), or passed here (the
 * bot) and stored in the same go. At most `filingsPerHour` tips per client.
 */
export async function fileTip(deps: Deps, tips: TipContext, input: unknown, opts: TipsterOptions & { images?: Buffer[] }): Promise<{ receipt: string }> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const parsed = parseInput(FileTipSchema, input, locale);
  if (!parsed.ok) throw invalid(parsed.fields);
  if (await tips.filings.blocked(opts.client)) throw rateLimited();
  const images = opts.images ?? [];
  if (images.length > TIP_ATTACHMENTS_MAX) throw new AppError("invalid_input", { reason: "too_many_attachments", messageKey: "tip-attachments-too-many", params: { max: TIP_ATTACHMENTS_MAX } });
  const cleaned: CleanImage[] = [];
  for (const bytes of images) cleaned.push(await cleanEvidence(bytes));

  const { category, realName, ...facts } = parsed.data;
  const filedOn = cstDate(deps.clock.now());
  for (let attempt = 0; attempt < 5; attempt++) {
    const receipt = newReceipt();
    const receiptHash = await hashReceipt(tips.keys, receipt);
    const id = randomUUID();
    try {
      const written: string[] = [];
      try {
        await deps.db.prisma.$transaction(async (tx) => {
          await tx.tip.create({
            data: {
              id,
              receiptHash,
              category,
              realName: realName === true,
              body: encryptTipText(tips.keys, JSON.stringify(facts satisfies TipFacts), tipAad.body(id)),
              filedOn,
              acknowledgeBy: addDays(filedOn, tips.rules.acknowledgeDays),
              concludeBy: addDays(filedOn, tips.rules.concludeDays),
            },
          });
          let seq = 0;
          for (const image of cleaned) {
            seq += 1;
            const att = await storeEvidenceFile(tips, image.bytes);
            written.push(att.file);
            await tx.tipAttachment.create({ data: { id: att.id, tipId: id, seq, mime: image.mime, size: image.bytes.length, file: att.file, keyId: tips.keys.currentId, addedOn: filedOn } });
          }
        });
      } catch (e) {
        for (const file of written) await tips.files.delete(file);
        throw e;
      }
      await tips.filings.hit(opts.client);
      return { receipt };
    } catch (e) {
      if (isUniqueViolation(e)) continue; // a receipt collision (1 in 10^16 per tip): draw again
      throw e;
    }
  }
  throw new AppError("internal", { reason: "receipt_collisions" });
}

/** Re-encodes an evidence image without metadata (media/images.ts); refuses anything that is not a photo or screenshot. */
async function cleanEvidence(bytes: Buffer) {
  if (bytes.length > TIP_ATTACHMENT_MAX_BYTES) {
    throw new AppError("payload_too_large", { reason: "attachment_too_large", messageKey: "tip-attachment-too-large", params: { mb: TIP_ATTACHMENT_MAX_BYTES / 1024 / 1024 } });
  }
  if (!sniffImage(bytes)) throw new AppError("invalid_input", { reason: "not_an_image", messageKey: "tip-attachment-not-image" });
  try {
    return await reencodeImage(bytes);
  } catch (e) {
    if (isAppError(e) && e.reason === "image_too_many_pixels") throw e;
    if (isAppError(e)) throw new AppError("invalid_input", { reason: e.reason ?? "not_an_image", messageKey: "tip-attachment-not-image" });
    throw e;
  }
}

/** Writes an encrypted evidence file under a random name (atomically, through the file store); the attachment id is its AAD. */
async function storeEvidenceFile(tips: TipContext, clean: Buffer): Promise<{ id: string; file: string }> {
  const id = randomUUID();
  const file = `${randomBytes(16).toString("hex")}.bin`;
  await tips.files.put(file, encryptTipBytes(tips.keys, clean, tipAad.attachment(id)));
  return { id, file };
}

/**
 * Finds a tip by receipt. Always computes the hash (an unknown and a wrong receipt cost the same
 * and answer the same 404), then one indexed read. A client with too many misses gets 429 first.
 */
async function tipByReceipt(deps: Deps, tips: TipContext, receipt: string, client: string) {
  if (await tips.receiptMisses.blocked(client)) throw rateLimited();
  const receiptHash = await hashReceipt(tips.keys, receipt);
  const tip = await deps.db.prisma.tip.findUnique({ where: { receiptHash } });
  if (!tip) {
    await tips.receiptMisses.hit(client);
    throw notFound();
  }
  return tip;
}

/** What the tipster sees with the receipt: status, the messages both ways, the reward band. */
export async function tipStatus(deps: Deps, tips: TipContext, input: unknown, opts: TipsterOptions): Promise<TipStatusView> {
  const parsed = parseInput(TipStatusQuerySchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw invalid(parsed.fields);
  const tip = await tipByReceipt(deps, tips, parsed.data.receipt, opts.client);
  return statusView(deps, tips, tip);
}

async function statusView(deps: Deps, tips: TipContext, tip: { id: string; status: string; category: string; filedOn: string; rewardBand: string | null }): Promise<TipStatusView> {
  const [messages, attachments] = await Promise.all([
    deps.db.prisma.tipMessage.findMany({ where: { tipId: tip.id }, orderBy: { seq: "asc" } }),
    deps.db.prisma.tipAttachment.count({ where: { tipId: tip.id } }),
  ]);
  return {
    status: tip.status as TipStatus,
    category: tip.category as TipCategory,
    filedOn: tip.filedOn,
    messages: messages.map((m) => ({ from: m.from as "handler" | "tipster", text: decryptTipText(tips.keys, m.text, tipAad.message(m.id)), on: m.on })),
    attachments,
    reward: (tip.rewardBand as RewardBand | null) ?? null,
  };
}

const isFinal = (status: string) => status === "closed" || status === "not_accepted";
const closedError = () => new AppError("conflict", { reason: "tip_closed", messageKey: "tip-closed" });

/** The tipster answers the handlers (refused once the tip is closed). Returns the new status view. */
export async function replyToTip(deps: Deps, tips: TipContext, input: unknown, opts: TipsterOptions): Promise<TipStatusView> {
  const parsed = parseInput(TipReplySchema, input, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw invalid(parsed.fields);
  const tip = await tipByReceipt(deps, tips, parsed.data.receipt, opts.client);
  if (isFinal(tip.status)) throw closedError();
  await appendMessage(deps, tips, tip.id, "tipster", null, parsed.data.text);
  return statusView(deps, tips, tip);
}

/** Appends a message to a tip's thread (the next seq, inside one transaction). */
export async function appendMessage(deps: Deps, tips: TipContext, tipId: string, from: "handler" | "tipster", authorId: string | null, text: string): Promise<void> {
  const id = randomUUID();
  await deps.db.prisma.$transaction(async (tx) => {
    const last = await tx.tipMessage.findFirst({ where: { tipId }, orderBy: { seq: "desc" }, select: { seq: true } });
    await tx.tipMessage.create({
      data: { id, tipId, seq: (last?.seq ?? 0) + 1, from, authorId, text: encryptTipText(tips.keys, text, tipAad.message(id)), on: cstDate(deps.clock.now()) },
    });
  });
}

/**
 * Adds an evidence image to a tip by its receipt: re-encoded without metadata, encrypted, under a
 * random name. Refuses non-images (with a hint to send a photo or a screenshot), oversize files,
 * image bombs, closed tips and more than TIP_ATTACHMENTS_MAX images.
 */
export async function addTipEvidence(deps: Deps, tips: TipContext, receiptInput: unknown, bytes: Buffer, opts: TipsterOptions): Promise<{ attachments: number }> {
  const parsed = parseInput(TipStatusQuerySchema, { receipt: receiptInput }, opts.locale ?? DEFAULT_LOCALE);
  if (!parsed.ok) throw invalid(parsed.fields);
  const tip = await tipByReceipt(deps, tips, parsed.data.receipt, opts.client);
  if (isFinal(tip.status)) throw closedError();
  const image = await cleanEvidence(bytes);
  const att = await storeEvidenceFile(tips, image.bytes);
  try {
    const count = await deps.db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`UPDATE "Tip" SET "status" = "status" WHERE "id" = ${tip.id}`; // write lock before counting
      const n = await tx.tipAttachment.count({ where: { tipId: tip.id } });
      if (n >= TIP_ATTACHMENTS_MAX) throw new AppError("conflict", { reason: "too_many_attachments", messageKey: "tip-attachments-too-many", params: { max: TIP_ATTACHMENTS_MAX } });
      await tx.tipAttachment.create({ data: { id: att.id, tipId: tip.id, seq: n + 1, mime: image.mime, size: image.bytes.length, file: att.file, keyId: tips.keys.currentId, addedOn: cstDate(deps.clock.now()) } });
      return n + 1;
    });
    return { attachments: count };
  } catch (e) {
    await tips.files.delete(att.file);
    throw e;
  }
}
