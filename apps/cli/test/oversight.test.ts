import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumExecutable } from "@xieshui/core/server";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { seedOversightDistrict, type OversightDistrict } from "../../../test/factories/oversight.ts";
import { runCaptured } from "./harness.ts";

const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
let d: OversightDistrict;
const dir = mkdtempSync(join(tmpdir(), "xieshui-cli-oversight-"));
beforeAll(async () => {
  t = createTestDb({ clock });
  d = await seedOversightDistrict(t.deps, clock);
});
afterAll(async () => {
  await t.close();
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);

describe("oversight units", () => {
  it("prints one JSON document with every unit's figures for a quarter, towns with their villages", async () => {
    const { code, stdout } = await cli("oversight", "units", "--period", "2026Q4", "--json");
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.period).toMatchObject({ code: "2026Q4", kind: "quarter" });
    const town = doc.rows.find((r: { unit: { code: string } }) => r.unit.code === d.town);
    expect(town.total).toMatchObject({ onTime: 2, late: 1, accepted: 1, returned: 1, quizParticipants: 0, quizAverage: null });
    expect(town.members).toHaveLength(2);
    expect(doc.notes).toEqual([]);
  });

  it("takes a month, a year and one unit", async () => {
    expect(JSON.parse((await cli("oversight", "units", "--period", "2026-08", "--json")).stdout).period.kind).toBe("month");
    expect(JSON.parse((await cli("oversight", "units", "--period", "2026", "--json")).stdout).period.kind).toBe("year");
    const one = JSON.parse((await cli("oversight", "units", "--period=2026Q4", "--unit", d.police, "--json")).stdout);
    expect(one.rows).toHaveLength(1);
    expect(one.rows[0].figures).toMatchObject({ checks: 3, checksWithoutClearance: 3 });
  });

  it("refuses a bad period (exit 2), an unknown unit (exit 1) and an unknown option (exit 2)", async () => {
    const bad = await cli("oversight", "units", "--period", "2026Q5", "--json");
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe("usage");
    expect(bad.stderr).toContain("2026Q4");
    const unknown = await cli("oversight", "units", "--period", "2026Q4", "--unit", "nowhere", "--json");
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: "not_found", message: "单位代码不存在" });
    expect((await cli("oversight", "units", "--period", "2026Q4", "--color")).code).toBe(2);
    expect((await cli("oversight", "units", "--json")).code).toBe(2);
    expect((await cli("oversight", "--json")).code).toBe(2);
  });
});

describe("oversight quarterly", () => {
  it("refuses a quarter that has not started with exit 2 and writes nothing", async () => {
    const out = join(dir, "future");
    const r = await cli("oversight", "quarterly", "--quarter", "2027Q1", "--out", out, "--json");
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toContain("2027Q1 尚未开始");
    expect(existsSync(out)).toBe(false);
    expect((await cli("oversight", "quarterly", "--quarter", "2026-11", "--out", out, "--json")).code).toBe(2);
    expect((await cli("oversight", "quarterly", "--quarter", "2026Q4", "--json")).code).toBe(2);
  });

  it.skipIf(chromiumExecutable() === null && process.env.CI !== "true")("writes XLSX, HTML and PDF and prints exactly { files }", { timeout: 120_000 }, async () => {
    const out = join(dir, "pack");
    const { code, stdout } = await cli("oversight", "quarterly", "--quarter", "2026Q4", "--out", out, "--json");
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(["files"]);
    expect(doc.files).toEqual([join(out, "oversight-pack-2026Q4.xlsx"), join(out, "oversight-pack-2026Q4.html"), join(out, "oversight-pack-2026Q4.pdf")]);
    expect(readFileSync(doc.files[0]).subarray(0, 2).toString()).toBe("PK");
    expect(readFileSync(doc.files[1], "utf8")).toContain("协税护税工作 2026Q4 季度例会材料");
    expect(readFileSync(doc.files[1], "utf8")).toContain("地方留成税收目标完成情况");
    expect(readFileSync(doc.files[2]).subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe("oversight evaluation, weights and adjust", () => {
  it("ranks a year and writes its XLSX", async () => {
    const out = join(dir, "evaluation.xlsx");
    const r = await cli("oversight", "evaluation", "--year", "2026", "--out", out, "--json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.file).toBe(out);
    expect(doc.rows[0].rank).toBe(1);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe("PK");
    expect((await cli("oversight", "evaluation", "--year", "2027", "--json")).code).toBe(2);
  });

  it("refuses weights that do not add up to 100 with the sum (exit 2) and saves ones that do", async () => {
    const bad = await cli("oversight", "weights", "--year", "2026", "--set", "organisation=30,timeliness=20,completeness=20,accuracy=20,training=10,cooperation=10", "--json");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("现在是 110 分");
    expect((await cli("oversight", "weights", "--year", "2026", "--set", "organisation=abc", "--json")).code).toBe(2);
    const ok = await cli("oversight", "weights", "--year", "2026", "--set", "organisation=10,timeliness=30,completeness=20,accuracy=20,training=10,cooperation=10", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).weights.timeliness).toBe(30);
  });

  it("records an adjustment with a reason and refuses one without (exit 2)", async () => {
    const none = await cli("oversight", "adjust", "--year", "2026", "--unit", d.west, "--points", "2", "--json");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("调整原因");
    const ok = await cli("oversight", "adjust", "--year", "2026", "--unit", d.west, "--points", "2", "--reason", "配合开展专项检查", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ points: 2, reason: "配合开展专项检查", by: null });
    expect((await cli("oversight", "adjust", "--year", "2026", "--unit", "nowhere", "--points", "2", "--reason", "配合开展专项检查", "--json")).code).toBe(1);
  });
});
