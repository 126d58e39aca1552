import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { createDb } from "../db.ts";
import { databaseFileStore, fileStoreFor, localFileStore, type FileStore } from "./files.ts";

let t: TestDb;
beforeAll(() => {
  t = createTestDb();
});
afterAll(() => t.close());

const kinds: [string, () => FileStore][] = [
  ["a local folder", () => localFileStore(mkdtempSync(join(tmpdir(), "xs-files-")))],
  ["the database", () => databaseFileStore(t.db, "uploads")],
];

describe.each(kinds)("the file store in %s", (_, make) => {
  it("keeps bytes under a key, replaces them, and forgets them on delete", async () => {
    const store = make();
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    expect(await store.get("ab/one.jpg")).toBeNull();
    expect(await store.has("ab/one.jpg")).toBe(false);
    await store.put("ab/one.jpg", bytes);
    expect(await store.has("ab/one.jpg")).toBe(true);
    expect(Buffer.compare((await store.get("ab/one.jpg"))!, bytes)).toBe(0);
    await store.put("ab/one.jpg", Buffer.from("second"));
    expect((await store.get("ab/one.jpg"))!.toString()).toBe("second");
    await store.delete("ab/one.jpg");
    await store.delete("ab/one.jpg");
    expect(await store.get("ab/one.jpg")).toBeNull();
  });

  it("refuses keys that would leave the store", async () => {
    const store = make();
    for (const key of ["../x", "/etc/passwd", "a/../../x", "", "a//b", "a\0b"]) {
      await expect(store.put(key, Buffer.from("x"))).rejects.toThrow(/invalid file key/);
    }
  });
});

describe("choosing the file store", () => {
  it("shares files between two connections to one database when they live in the database", async () => {
    const other = createDb(t.url);
    try {
      await fileStoreFor(t.db, "tips", { setting: "db" }).put("k1", Buffer.from("seen by all"));
      expect((await fileStoreFor(other, "tips", { setting: "db" }).get("k1"))!.toString()).toBe("seen by all");
      expect(await fileStoreFor(other, "uploads", { setting: "db" }).get("k1")).toBeNull();
    } finally {
      await other.close();
    }
  });

  it("defaults to the database on PostgreSQL and to a folder beside the file on SQLite, and refuses a bad setting", () => {
    const store = fileStoreFor(t.db, "uploads", { setting: "" });
    expect(store.location).toBe(t.db.dialect === "postgresql" ? "database" : join(t.dir, "uploads"));
    expect(fileStoreFor(t.db, "uploads", { setting: "dir:/srv/shared" }).location).toBe("/srv/shared/uploads");
    expect(() => fileStoreFor(t.db, "uploads", { setting: "s3" })).toThrow(/FILE_STORE/);
  });
});
