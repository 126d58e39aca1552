import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import exifr from "exifr";
import { createTestDb, createFixedClock, TEST_DIALECT, type TestDb } from "../../../../../test/factories/db.ts";
import { makeUser } from "../../../../../test/factories/identity.ts";
import { makeRentalData } from "../../../../../test/factories/reports.ts";
import { makeJpeg } from "../../../../../test/factories/images.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import type { Actor } from "../identity/actor.ts";
import { addReportPhoto, MAX_PHOTOS_PER_REPORT, readReportPhoto, submitReport } from "./index.ts";
import { createDb } from "../db.ts";
import { createDeps } from "../deps.ts";
import { fileStoreFor } from "../storage/files.ts";

// Issue 7, points 6 and 8: photo uploads racing each other, and what is stored of a photo.

const clock = createFixedClock("2026-11-26T04:00:00Z");
let t: TestDb;
let village: Actor;
let reportId: string;

beforeEach(async () => {
  t = createTestDb({ clock });
  village = (await makeUser(t.deps, { roles: ["reporter"], unitType: "village" })).actor;
  reportId = (await submitReport(t.deps, village, { type: "rental", clientId: "draft-photo1", data: makeRentalData() })).report.id;
});
afterEach(async () => {
  await t.close();
});

describe("addReportPhoto", { timeout: 30_000 }, () => {
  it("stores one photo when the same one is uploaded twice at once, and answers both", async () => {
    const photo = await makeJpeg();
    const results = await Promise.all([addReportPhoto(t.deps, village, reportId, photo), addReportPhoto(t.deps, village, reportId, photo), addReportPhoto(t.deps, village, reportId, photo)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await t.db.prisma.reportPhoto.count()).toBe(1);
  });

  it("never lets concurrent uploads pass the photo cap", async () => {
    const photos = await Promise.all(Array.from({ length: MAX_PHOTOS_PER_REPORT + 4 }, (_, i) => makeJpeg({ seed: i + 1, width: 64, height: 48 })));
    const results = await Promise.allSettled(photos.map((p) => addReportPhoto(t.deps, village, reportId, p)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(MAX_PHOTOS_PER_REPORT);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === "rejected")) expect(r.reason).toMatchObject({ code: "conflict", reason: "too_many_photos" });
    expect(await t.db.prisma.reportPhoto.count({ where: { reportId } })).toBe(MAX_PHOTOS_PER_REPORT);
  });

  it("serves back a re-encoded photo without its GPS position, never the bytes as sent", async () => {
    const photo = await makeJpeg();
    const stored = await addReportPhoto(t.deps, village, reportId, photo);
    const served = await readReportPhoto(t.deps, village, reportId, stored.id);
    expect(served.mime).toBe("image/jpeg");
    expect(served.bytes.equals(photo)).toBe(false);
    expect(await exifr.gps(served.bytes)).toBeUndefined();
    const row = await t.db.prisma.reportPhoto.findFirstOrThrow();
    const kept = await fileStoreFor(t.db, "uploads").get(row.path);
    expect(kept?.equals(served.bytes)).toBe(true);
    expect(kept!.includes(Buffer.from("TestPhone"))).toBe(false);
  });

  it("serves a photo uploaded through one connection through another (a second API process)", async () => {
    const stored = await addReportPhoto(t.deps, village, reportId, await makeJpeg());
    const db2 = createDb(t.url);
    try {
      const served = await readReportPhoto(createDeps(db2), village, reportId, stored.id);
      expect(served.bytes.equals((await readReportPhoto(t.deps, village, reportId, stored.id)).bytes)).toBe(true);
    } finally {
      await db2.close();
    }
    const row = await t.db.prisma.reportPhoto.findFirstOrThrow();
    if (TEST_DIALECT === "postgresql") {
      // PostgreSQL: the photo is in the database (StoredFile), no folder involved.
      expect(await t.db.prisma.storedFile.count({ where: { namespace: "uploads", key: row.path } })).toBe(1);
      expect(existsSync(join(t.dir, "uploads"))).toBe(false);
    } else {
      // SQLite: the folder beside the database file, which every connection to that file shares.
      expect(existsSync(join(t.dir, "uploads", row.path))).toBe(true);
    }
  });

  it("answers not found, not a server error, for a photo whose file is gone", async () => {
    const stored = await addReportPhoto(t.deps, village, reportId, await makeJpeg());
    const row = await t.db.prisma.reportPhoto.findFirstOrThrow();
    await fileStoreFor(t.db, "uploads").delete(row.path);
    expect(await expectAppError(readReportPhoto(t.deps, village, reportId, stored.id))).toMatchObject({ code: "not_found", reason: "photo_not_found" });
  });

  it("refuses a JPEG header followed by an ELF and stores nothing", async () => {
    const elf = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("\x7fELF\x02\x01\x01\x00"), Buffer.alloc(4096, 0x90)]);
    expect(await expectAppError(addReportPhoto(t.deps, village, reportId, elf))).toMatchObject({ code: "invalid_input", reason: "image_undecodable" });
    expect(await t.db.prisma.reportPhoto.count()).toBe(0);
  });
});
