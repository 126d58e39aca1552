import sharp from "sharp";
import { crc32 } from "./xlsx.ts";

/** A real photo-like JPEG (noise, so it does not compress to nothing), with GPS EXIF unless told otherwise. */
export async function makeJpeg(opts: { width?: number; height?: number; gps?: boolean; orientation?: number; seed?: number } = {}): Promise<Buffer> {
  const width = opts.width ?? 320;
  const height = opts.height ?? 200;
  const raw = Buffer.alloc(width * height * 3);
  let x = opts.seed ?? 1;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = x >> 16;
  }
  let img = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 });
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  if (opts.gps !== false) {
    img = img.withExifMerge({
      IFD0: { Make: "TestPhone", Model: "Field 1" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "34/1 45/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "113/1 37/1 0/1" },
    });
  }
  return img.toBuffer();
}

/** A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's shape). */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } }).png().toBuffer();
  const out = Buffer.from(png);
  // IHDR is the first chunk: length(4) "IHDR"(4) width(4) height(4) ... crc(4) over type + data.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(0, out.subarray(12, 29)), 29);
  return out;
}
