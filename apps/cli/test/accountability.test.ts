import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escalateOverdueDuties } from "@xieshui/core/server";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { seedOversightDistrict } from "../../../test/factories/oversight.ts";
import { runCaptured } from "./harness.ts";

// The seeded construction bureau files nothing for July to September 2026; on 2026-12-05 the
// escalation reminds its reporter about September.
const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
const dir = mkdtempSync(join(tmpdir(), "xieshui-cli-accountability-"));
beforeAll(async () => {
  t = createTestDb({ clock });
  await seedOversightDistrict(t.deps, clock);
  await escalateOverdueDuties(t.deps);
}, 60_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);

describe("oversight accountability", () => {
  it("prints one JSON document with the quarter's overdue duties, most days late first", async () => {
    const { code, stdout } = await cli("oversight", "accountability", "--quarter", "2026Q4", "--json");
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ quarter: "2026Q4", empty: false, asOf: "2026-12-05" });
    expect(doc).not.toHaveProperty("locale");
    expect(doc.items.map((i: { daysLate: number }) => i.daysLate)).toEqual([117, 86, 56]);
    expect(doc.items[2].reminders).toEqual([{ stage: 1, label: "提醒经办人员", on: "2026-12-05", recipients: 1, text: "2026-12-05 提醒经办人员（1 人）" }]);
  });

  it("writes the workbook with --out and names it in the JSON", async () => {
    const out = join(dir, "q4.xlsx");
    const { code, stdout } = await cli("oversight", "accountability", "--quarter", "2026Q4", "--out", out, "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).file).toBe(out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as never);
    expect(wb.worksheets[0]!.name).toBe("2026Q4 责任追究名单");
    expect(wb.worksheets[0]!.rowCount).toBeGreaterThanOrEqual(4);
  });

  it("prints readable Chinese lines without --json, and says when a quarter is empty", async () => {
    const { code, stdout } = await cli("oversight", "accountability", "--quarter", "2026Q4");
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(" 逾期 117 天  区住建局 (builder)  施工许可及容积率小于1.0项目（月报） 2026-07 期  应完成日期 2026-08-10  尚未完成  未发提醒");
    expect(stdout).toContain("2026-12-05 提醒经办人员（1 人）");
    const empty = createTestDb({ clock });
    try {
      const res = await runCaptured(empty.deps, ["oversight", "accountability", "--quarter", "2026Q4"]);
      expect(res.code).toBe(0);
      expect(res.stdout).toBe("2026Q4 没有逾期未履行的职责。\n");
    } finally {
      await empty.close();
    }
  });

  it("refuses a missing, malformed or unstarted quarter with exit 2 and writes nothing", async () => {
    const out = join(dir, "future.xlsx");
    const future = await cli("oversight", "accountability", "--quarter", "2027Q1", "--out", out, "--json");
    expect(future.code).toBe(2);
    expect(JSON.parse(future.stdout).error.code).toBe("usage");
    expect(future.stderr).toContain("2027Q1 尚未开始");
    expect(existsSync(out)).toBe(false);
    expect((await cli("oversight", "accountability", "--quarter", "2026Q5")).code).toBe(2);
    expect((await cli("oversight", "accountability", "--json")).code).toBe(2);
  });
});
