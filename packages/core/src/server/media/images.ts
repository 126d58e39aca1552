import { DEFAULT_LOCALE, t, type MessageKey, type MessageParams } from "../../domain/i18n.ts";
import { AppError } from "../errors.ts";

/**
 * Uploaded images (report photos today, tip evidence later), in one place. What must stay true:
 * - the type is decided by the bytes (magic numbers), never by the client's Content-Type or name;
 * - every accepted image is DECODED and RE-ENCODED: what is stored and served back is pixels this
 *   server produced, so a JPEG header glued to an executable or a script never survives, and
 *   metadata (EXIF with GPS position, XMP, comments, thumbnails) is gone because it is not copied;
 * - orientation is applied first (`rotate()` reads the EXIF orientation), so dropping EXIF does
 *   not turn photos on their side;
 * - decoding is bounded: images over MAX_IMAGE_PIXELS are refused from their header, before their
 *   pixels are decoded (a 5 MB PNG can claim 20,000 × 20,000 pixels), and big photos are scaled
 *   down to MAX_IMAGE_EDGE pixels on the long side;
 * - the work runs in sharp's (libvips') own threads, not on the event loop.
 */

/** Largest accepted image, in pixels (width × height): refused before decoding. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** The long side of a stored image at most, in pixels: reviewers need evidence, not 50 MP. */
export const MAX_IMAGE_EDGE = 2560;

/** The image types accepted, by magic bytes. */
export type ImageFormat = "jpeg" | "png" | "webp";

/** An image type: sharp's format name, its MIME type and the file extension it is stored under. */
export interface ImageKind {
  format: ImageFormat;
  mime: string;
  ext: string;
}

const KINDS: Record<ImageFormat, ImageKind> = {
  jpeg: { format: "jpeg", mime: "image/jpeg", ext: "jpg" },
  png: { format: "png", mime: "image/png", ext: "png" },
  webp: { format: "webp", mime: "image/webp", ext: "webp" },
};

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image type from the magic bytes (never the client's Content-Type or file name), or null. */
export function sniffImage(bytes: Buffer): ImageKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return KINDS.jpeg;
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_MAGIC)) return KINDS.png;
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") return KINDS.webp;
  return null;
}

/** A re-encoded image: new bytes without metadata, their type and size in pixels. */
export interface CleanImage extends ImageKind {
  bytes: Buffer;
  width: number;
  height: number;
}

/** A refusal with the message next to the `photo` field too (zh-CN here; the API re-localises it). */
function refused(reason: string, messageKey: MessageKey, params?: MessageParams): AppError {
  return new AppError("invalid_input", { reason, messageKey, ...(params ? { params } : {}), fields: { photo: t(DEFAULT_LOCALE, messageKey, params) } });
}

const notAnImage = () => refused("not_an_image", "photo-not-image");

/** The image type of `bytes` by their magic numbers; refuses (400 `not_an_image`) anything else. */
export function requireImageKind(bytes: Buffer): ImageKind {
  const kind = sniffImage(bytes);
  if (!kind) throw notAnImage();
  return kind;
}

/**
 * Decodes an uploaded image and encodes it again in its own format, oriented, scaled to at most
 * MAX_IMAGE_EDGE and without metadata. Refuses with AppError 400: not a JPEG/PNG/WebP by its magic
 * bytes (`not_an_image`), more than `maxPixels` pixels (`image_too_many_pixels`), or bytes that do
 * not decode as the image they claim to be (`image_undecodable`).
 */
export async function reencodeImage(bytes: Buffer, opts: { maxPixels?: number; maxEdge?: number } = {}): Promise<CleanImage> {
  const kind = requireImageKind(bytes);
  const maxPixels = opts.maxPixels ?? MAX_IMAGE_PIXELS;
  const maxEdge = opts.maxEdge ?? MAX_IMAGE_EDGE;
  // Loaded on first use: libvips takes ~0.4 s to load, which every CLI run and test would pay.
  const { default: sharp } = await import("sharp");
  try {
    // failOn "warning": a truncated or padded file is refused, not half-decoded.
    const input = sharp(bytes, { limitInputPixels: maxPixels, failOn: "warning", animated: false });
    const meta = await input.metadata();
    if (meta.format !== kind.format) throw notAnImage();
    const pipeline = input.rotate().resize({ width: maxEdge, height: maxEdge, fit: "inside", withoutEnlargement: true });
    const encoded =
      kind.format === "jpeg"
        ? pipeline.jpeg({ quality: 82, mozjpeg: true })
        : kind.format === "png"
          ? pipeline.png({ compressionLevel: 9 })
          : pipeline.webp({ quality: 82 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { ...kind, bytes: data, width: info.width, height: info.height };
  } catch (e) {
    if (e instanceof AppError) throw e;
    const message = (e as Error).message ?? "";
    if (/pixel limit/i.test(message)) {
      throw refused("image_too_many_pixels", "photo-too-many-pixels", { megapixels: Math.round(maxPixels / 1_000_000) });
    }
    throw refused("image_undecodable", "photo-undecodable");
  }
}
