import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import { writeAudit } from "../audit.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { uploadsDir } from "./common.ts";

/** Photos are compressed on the device; anything bigger is an uncompressed original. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS_PER_REPORT = 9;

/** The image type from the magic bytes (never the client's Content-Type or file name), or null. */
export function sniffImage(bytes: Buffer): { mime: string; ext: string } | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { mime: "image/jpeg", ext: "jpg" };
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { mime: "image/png", ext: "png" };
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") return { mime: "image/webp", ext: "webp" };
  return null;
}

/** A stored photo. */
export interface PhotoView {
  id: string;
  sha256: string;
  mime: string;
  size: number;
  created: boolean;
}

/**
 * Attaches a photo to the actor's own report. Only real JPEG/PNG/WebP images under the size limit;
 * the file is stored once per content hash under uploads/ and the same photo sent twice (a retry)
 * returns the first record.
 */
export async function addReportPhoto(deps: Deps, actor: Actor | null, reportId: string, bytes: Buffer): Promise<PhotoView> {
  // Checkers too: the vehicle report of their own failed check is theirs (the owner check below).
  requireRole(actor, "reporter", "checker");
  const report = await deps.db.prisma.report.findUnique({ where: { id: reportId }, select: { id: true, userId: true, _count: { select: { photos: true } } } });
  if (!report || report.userId !== actor.userId) throw new AppError("not_found", { reason: "report_not_found" });
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new AppError("payload_too_large", { reason: "photo_too_large", messageKey: "photo-too-large", params: { mb: MAX_PHOTO_BYTES / 1024 / 1024 } });
  }
  const kind = sniffImage(bytes);
  if (!kind) throw new AppError("invalid_input", { reason: "not_an_image", messageKey: "photo-not-image", fields: { photo: "image/jpeg | image/png | image/webp" } });
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const prior = await deps.db.prisma.reportPhoto.findUnique({ where: { reportId_sha256: { reportId, sha256 } } });
  if (prior) return { id: prior.id, sha256, mime: prior.mime, size: prior.size, created: false };
  if (report._count.photos >= MAX_PHOTOS_PER_REPORT) {
    throw new AppError("conflict", { reason: "too_many_photos", messageKey: "photo-too-many", params: { max: MAX_PHOTOS_PER_REPORT } });
  }
  const rel = join(sha256.slice(0, 2), `${sha256}.${kind.ext}`);
  const file = join(uploadsDir(deps), rel);
  if (!existsSync(file)) {
    mkdirSync(join(uploadsDir(deps), sha256.slice(0, 2)), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file); // atomic: a crash never leaves a half-written photo under its final name
  }
  const photo = await deps.db.prisma.$transaction(async (tx) => {
    const p = await tx.reportPhoto.create({ data: { reportId, sha256, mime: kind.mime, size: bytes.length, path: rel, createdAt: deps.clock.now() } });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "report.photo", subject: reportId, result: "ok" });
    return p;
  });
  return { id: photo.id, sha256, mime: photo.mime, size: photo.size, created: true };
}

/** Who may see a report's photos: its unit, tax officers and coordinators (as for the report itself). */
async function visibleReport(deps: Deps, actor: Actor | null, reportId: string) {
  if (!actor) throw new AppError("unauthorized");
  const report = await deps.db.prisma.report.findUnique({ where: { id: reportId }, select: { unitId: true } });
  const allowed = report && (report.unitId === actor.unitId || actor.roles.includes("tax_officer") || actor.roles.includes("coordinator"));
  if (!allowed) throw new AppError("not_found", { reason: "report_not_found" });
}

/** The photos of a report (metadata only), oldest first. */
export async function listReportPhotos(deps: Deps, actor: Actor | null, reportId: string): Promise<Omit<PhotoView, "created">[]> {
  await visibleReport(deps, actor, reportId);
  const photos = await deps.db.prisma.reportPhoto.findMany({ where: { reportId }, orderBy: { createdAt: "asc" } });
  return photos.map((p) => ({ id: p.id, sha256: p.sha256, mime: p.mime, size: p.size }));
}

/** One photo's bytes and type, for the reviewer's screen. */
export async function readReportPhoto(deps: Deps, actor: Actor | null, reportId: string, photoId: string): Promise<{ mime: string; bytes: Buffer }> {
  await visibleReport(deps, actor, reportId);
  const photo = await deps.db.prisma.reportPhoto.findFirst({ where: { id: photoId, reportId } });
  if (!photo) throw new AppError("not_found", { reason: "photo_not_found" });
  return { mime: photo.mime, bytes: readFileSync(join(uploadsDir(deps), photo.path)) };
}
