import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statSync } from "node:fs";
import { join } from "node:path";
import { createTipContext, fileTip, loadTipKeyring, tipStatus } from "@xieshui/core/server";
import { createTestDb, type TestDb } from "../../../test/factories/db.ts";
import { PassThrough } from "node:stream";
import { runCaptured } from "./harness.ts";
import { runCli } from "../src/run.ts";

let t: TestDb;
beforeAll(() => {
  t = createTestDb();
}, 60_000);
afterAll(async () => t.close());

describe("tips CLI", { timeout: 120_000 }, () => {
  it("rotate-key re-encrypts existing tips under a new key that the server then reads", async () => {
    const keyFile = join(t.dir, "keys.json");
    const before = createTipContext(t.deps, { keyFile, generateKey: true });
    const { receipt } = await fileTip(t.deps, before, { category: "other", description: "轮换密钥之前提交的举报" }, { client: "cli-test" });
    const chunks: string[] = [];
    const out = new PassThrough();
    out.on("data", (c: Buffer) => chunks.push(String(c)));
    const code = await runCli(t.deps, ["tips", "rotate-key", "--json"], { out, err: new PassThrough() }, { TIP_KEY_FILE: keyFile });
    expect(code).toBe(0);
    const doc = JSON.parse(chunks.join("")) as { keyId: string; tips: number; droppedKeys: string[] };
    expect(doc).toMatchObject({ tips: 1, droppedKeys: [before.keys.currentId] });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const after = createTipContext(t.deps, { keyFile, generateKey: false });
    expect([...after.keys.keys.keys()]).toEqual([doc.keyId]);
    expect(await tipStatus(t.deps, after, { receipt }, { client: "cli-test" })).toMatchObject({ status: "new" });
    expect(loadTipKeyring(keyFile, { generate: false }).currentId).toBe(doc.keyId);
    // With the wrong key file the rotation stops before changing anything.
    await expect(runCli(t.deps, ["tips", "rotate-key"], { out: new PassThrough(), err: new PassThrough() }, { TIP_KEY_FILE: join(t.dir, "other.json") })).rejects.toThrow();
    expect(await tipStatus(t.deps, after, { receipt }, { client: "cli-test" })).toMatchObject({ status: "new" });
  });

  it("purge reports what it removed, and a wrong subcommand is a usage error", async () => {
    const purged = await runCaptured(t.deps, ["tips", "purge", "--json"]);
    expect(purged.code).toBe(0);
    expect(JSON.parse(purged.stdout)).toEqual({ purged: 0, files: 0 });
    expect((await runCaptured(t.deps, ["tips", "frobnicate"])).code).toBe(2);
  });
});
