import { describe, expect, it } from "vitest";
import exifr from "exifr";
import sharp from "sharp";
import { makeJpeg, pngClaiming } from "../../../../../test/factories/images.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { MAX_IMAGE_EDGE, reencodeImage } from "./images.ts";

describe("reencodeImage", () => {
  it("drops EXIF with the GPS position and keeps the pixels", async () => {
    const photo = await makeJpeg();
    expect(await exifr.gps(photo)).toMatchObject({ latitude: 34.75 });
    const clean = await reencodeImage(photo);
    expect(clean).toMatchObject({ mime: "image/jpeg", width: 320, height: 200 });
    expect(await exifr.gps(clean.bytes)).toBeUndefined();
    expect(await exifr.parse(clean.bytes)).toBeUndefined();
    expect((await sharp(clean.bytes).metadata()).exif).toBeUndefined();
  });

  it("applies the EXIF orientation before dropping it, so the photo stays upright", async () => {
    const clean = await reencodeImage(await makeJpeg({ width: 300, height: 100, orientation: 6 }));
    expect([clean.width, clean.height]).toEqual([100, 300]);
    expect((await sharp(clean.bytes).metadata()).orientation).toBeUndefined();
  });

  it("refuses a JPEG header followed by an executable", async () => {
    const elf = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("\x7fELF\x02\x01\x01\x00"), Buffer.alloc(4096, 0x90)]);
    expect(await expectAppError(reencodeImage(elf))).toMatchObject({ code: "invalid_input", reason: "image_undecodable" });
  });

  it("keeps none of the bytes glued after a real JPEG, and refuses a truncated one", async () => {
    const photo = await makeJpeg({ gps: false });
    const padded = Buffer.concat([photo, Buffer.from("#!/bin/sh\nrm -rf /\n")]);
    expect((await reencodeImage(padded)).bytes.includes(Buffer.from("rm -rf"))).toBe(false);
    const truncated = photo.subarray(0, Math.floor(photo.length / 2));
    expect(await expectAppError(reencodeImage(truncated))).toMatchObject({ reason: "image_undecodable" });
  });

  it("refuses a small PNG that claims 64 megapixels before decoding it", async () => {
    const bomb = await pngClaiming(8000, 8000);
    expect(bomb.length).toBeLessThan(200);
    const e = await expectAppError(reencodeImage(bomb));
    expect(e).toMatchObject({ reason: "image_too_many_pixels", params: { megapixels: 50 } });
  });

  it("refuses what is no image at all, and keeps PNG and WebP in their own format", async () => {
    expect(await expectAppError(reencodeImage(Buffer.from("<script>alert(1)</script>")))).toMatchObject({ reason: "not_an_image" });
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c00" } }).png().toBuffer();
    const webp = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#0c0" } }).webp().toBuffer();
    expect(await reencodeImage(png)).toMatchObject({ mime: "image/png", ext: "png" });
    expect(await reencodeImage(webp)).toMatchObject({ mime: "image/webp", ext: "webp" });
  });

  it("scales a large photo down to the stored edge", async () => {
    const clean = await reencodeImage(await makeJpeg({ width: 4000, height: 1000, gps: false }));
    expect([clean.width, clean.height]).toEqual([MAX_IMAGE_EDGE, 640]);
  });
});
