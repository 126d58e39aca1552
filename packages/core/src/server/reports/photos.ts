import { createHash } from "node:crypto";
import { AppError } from "../errors.ts";
import { requireRole } from "../identity/index.ts";
import { writeAudit } from "../audit.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { isUniqueViolation } from "./common.ts";
import { fileStoreFor, type FileStore } from "../storage/files.ts";
import { reencodeImage, requireImageKind } from "../media/images.ts";

/** Photos are compressed on the device; anything bigger is an uncompressed original. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS_PER_REPORT = 9;

/** A stored photo. `sha256` is the hash of the bytes as uploaded (a retry of them finds the photo). */
export interface PhotoView {
  id: string;
  sha256: string;
  mime: string;
  size: number;
  created: boolean;
}

const tooMany = () => new AppError("conflict", { reason: "too_many_photos", messageKey: "photo-too-many", params: { max: MAX_PHOTOS_PER_REPORT } });

/**
 * Where photo files live: the FileStore of namespace `uploads` (a folder beside the SQLite file, or
 * the database itself on PostgreSQL, so every API process serves every photo). The key is
 * ReportPhoto.path: `<first two hex of the hash>/<sha256>.<ext>`.
 */
function photoStore(deps: Deps): FileStore {
  return fileStoreFor(deps.db, "uploads");
}

/** Removes a photo file this request wrote when no photo row points at it (the write lost a race). */
async function dropUnreferenced(deps: Deps, rel: string): Promise<void> {
  if ((await deps.db.prisma.reportPhoto.count({ where: { path: rel } })) > 0) return;
  await photoStore(deps).delete(rel);
}

/**
 * Attaches a photo to the actor's own report. Only real JPEG/PNG/WebP images under the size limit,
 * and what is stored is the image re-encoded without metadata (media/images.ts), never the bytes
 * as sent. The same photo sent twice (a retry, or two at once) returns the first record; at most
 * MAX_PHOTOS_PER_REPORT photos, also when several arrive at once: the count and the insert happen
 * in one transaction that first takes the report row's write lock.
 */
export async function addReportPhoto(deps: Deps, actor: Actor | null, reportId: string, bytes: Buffer): Promise<PhotoView> {
  // Checkers too: the vehicle report of their own failed check is theirs (the owner check below).
  requireRole(actor, "reporter", "checker");
  const report = await deps.db.prisma.report.findUnique({ where: { id: reportId }, select: { id: true, userId: true, _count: { select: { photos: true } } } });
  if (!report || report.userId !== actor.userId) throw new AppError("not_found", { reason: "report_not_found" });
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new AppError("payload_too_large", { reason: "photo_too_large", messageKey: "photo-too-large", params: { mb: MAX_PHOTO_BYTES / 1024 / 1024 } });
  }
  requireImageKind(bytes); // cheap refusals before any hashing or decoding
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const existing = () => deps.db.prisma.reportPhoto.findUnique({ where: { reportId_sha256: { reportId, sha256 } } });
  const prior = await existing();
  if (prior) return { id: prior.id, sha256, mime: prior.mime, size: prior.size, created: false };
  if (report._count.photos >= MAX_PHOTOS_PER_REPORT) throw tooMany();

  const image = await reencodeImage(bytes);
  const rel = `${sha256.slice(0, 2)}/${sha256}.${image.ext}`;
  const store = photoStore(deps);
  let wrote = false;
  if (!(await store.has(rel))) {
    await store.put(rel, image.bytes); // atomic: a crash never leaves a half-written photo under its key
    wrote = true;
  }
  try {
    const photo = await deps.db.prisma.$transaction(async (tx) => {
      // Write-lock the report first (SQLite: the database's write lock; PostgreSQL: the row), so
      // the count below cannot be overtaken by a concurrent upload before this insert commits.
      const locked = await tx.$executeRaw`UPDATE "Report" SET "status" = "status" WHERE "id" = ${reportId}`;
      if (locked === 0) throw new AppError("not_found", { reason: "report_not_found" });
      if ((await tx.reportPhoto.count({ where: { reportId } })) >= MAX_PHOTOS_PER_REPORT) throw tooMany();
      const p = await tx.reportPhoto.create({ data: { reportId, sha256, mime: image.mime, size: image.bytes.length, path: rel, createdAt: deps.clock.now() } });
      await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "report.photo", subject: reportId, result: "ok" });
      return p;
    });
    return { id: photo.id, sha256, mime: photo.mime, size: photo.size, created: true };
  } catch (e) {
    // The same photo arrived twice at once: the other request stored it first.
    if (isUniqueViolation(e)) {
      const again = await existing();
      if (again) return { id: again.id, sha256, mime: again.mime, size: again.size, created: false };
    }
    if (wrote) await dropUnreferenced(deps, rel);
    throw e;
  }
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
  const bytes = await photoStore(deps).get(photo.path);
  if (!bytes) throw new AppError("not_found", { reason: "photo_not_found" });
  return { mime: photo.mime, bytes };
}
