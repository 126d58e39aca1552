import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEARANCE_COLUMNS, withIdCheckChar } from "@xieshui/core";
import { createTestDb, type TestDb } from "../../../test/factories/db.ts";
import { runCaptured } from "./harness.ts";

// Issue 7 point 5 at the CLI: a file of thousands of bad rows keeps the DESIGN.md contract
// (`{ imported, updated, rejected: [{ line, reason }] }`) with the list capped and the total counted.

const HEADER = CLEARANCE_COLUMNS.join(",");
const ID = withIdCheckChar("41010619900101123");
const row = (cert: string) =>
  [cert, "vehicle_vessel", "车船税", "豫A12345", "", "", ID, "张小三", "2026-01-01", "2026-12-31", "paid", "not-money", "2026-03-01"].join(",");

let t: TestDb;
beforeAll(() => {
  t = createTestDb();
});
afterAll(async () => {
  await t.close();
});

describe("clearances import with many rejected rows", { timeout: 60_000 }, () => {
  it("prints one JSON document with the first 1,000 rejected rows and the total", async () => {
    const path = join(t.dir, "bad.csv");
    writeFileSync(path, `${[HEADER, ...Array.from({ length: 2500 }, (_, i) => row(`CLIMANY${String(i).padStart(5, "0")}`))].join("\n")}\n`);
    const { code, stdout } = await runCaptured(t.deps, ["clearances", "import", path, "--json"]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { imported: number; updated: number; rejected: { line: number; reason: string }[]; rejectedCount: number; rejectedTruncated: boolean };
    expect(summary).toMatchObject({ imported: 0, updated: 0, rejectedCount: 2500, rejectedTruncated: true });
    expect(summary.rejected).toHaveLength(1000);
    expect(summary.rejected[0]).toEqual({ line: 2, reason: expect.stringMatching(/^金额：/) });
    const human = await runCaptured(t.deps, ["clearances", "import", path]);
    expect(human.stdout).toContain("rejected 2500");
    expect(human.stdout).toContain("... 2450 more");
  });
});
