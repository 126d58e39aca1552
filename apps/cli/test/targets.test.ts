import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { makeUnit } from "../../../test/factories/identity.ts";
import { runCaptured } from "./harness.ts";

const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
const dir = mkdtempSync(join(tmpdir(), "xieshui-cli-targets-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
beforeAll(async () => {
  t = createTestDb({ clock });
  await makeUnit(t.deps, { type: "town", code: "hongqi-town", name: "红旗镇" });
  await makeUnit(t.deps, { type: "village", code: "dongzhuang", name: "东庄村委会", parent: "hongqi-town" });
});
afterAll(async () => {
  await t.close();
});
const cli = (...argv: string[]) => runCaptured(t.deps, argv);

describe("targets import", () => {
  const targets = () => file("targets.csv", "年度,镇街,税种,目标(万元)\n2026,hongqi-town,房产税,1200\n2026,dongzhuang,房产税,5\n2026,hongqi-town,印花税,5\n");

  it("prints exactly one JSON document { imported, updated, rejected: [{ line, reason }] } and a dry run writes nothing", async () => {
    const dry = await cli("targets", "import", targets(), "--kind", "targets", "--dry-run", "--json");
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ imported: 1, updated: 0, dryRun: true, rejected: [{ line: 3, reason: expect.stringContaining("dongzhuang") }, { line: 4, reason: expect.stringContaining("税种") }] });
    expect(await t.deps.db.prisma.taxTarget.count()).toBe(0);
    const real = await cli("targets", "import", targets(), "--kind", "targets", "--json");
    expect(JSON.parse(real.stdout)).toMatchObject({ kind: "targets", imported: 1, updated: 0, rejectedCount: 2 });
    expect(JSON.parse((await cli("targets", "import", targets(), "--kind", "targets", "--json")).stdout)).toMatchObject({ imported: 0, updated: 1 });
  });

  it("prints a summary and the rejected lines for people", async () => {
    const r = await cli("targets", "import", targets(), "--kind", "targets");
    expect(r.stdout).toContain("新增 0 条，更新 1 条，拒收 2 行");
    expect(r.stdout).toContain("第 3 行：镇街：没有这个镇街：“dongzhuang”");
  });

  it("imports actuals and shows progress per town and tax", async () => {
    const lines = ["月份,镇街,税种,入库税款(元)", ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")},红旗镇,房产税,1000000`)];
    expect(JSON.parse((await cli("targets", "import", file("actuals.csv", lines.join("\n")), "--kind", "actuals", "--json")).stdout)).toMatchObject({ imported: 11 });
    const doc = JSON.parse((await cli("targets", "progress", "--year", "2026", "--json")).stdout);
    expect(doc).toMatchObject({ year: 2026, through: "2026-11", monthsElapsed: 11 });
    expect(doc.towns[0]).toMatchObject({ unit: { code: "hongqi-town" }, taxes: [{ tax: "property_tax", targetFen: "1200000000", actualFen: "1100000000", status: "on_track" }, { status: "no_target" }, { status: "no_target" }, { status: "no_target" }] });
    const text = (await cli("targets", "progress", "--year", "2026")).stdout;
    expect(text).toContain("入库数据截至 2026-11");
    expect(text).toContain("红旗镇 (hongqi-town)  1,100.00 / 1,200.00 万元  91.7%  符合进度");
  });

  it("refuses a wrong command line with exit 2, and a bad file with exit 1 and the reason", async () => {
    expect((await cli("targets", "import", targets(), "--json")).code).toBe(2);
    expect((await cli("targets", "import", targets(), "--kind", "both")).code).toBe(2);
    expect((await cli("targets", "import", join(dir, "missing.csv"), "--kind", "targets")).code).toBe(2);
    const year = await cli("targets", "progress", "--year", "20x6", "--json");
    expect(year.code).toBe(2);
    expect(JSON.parse(year.stdout).error.message).toContain("--year");
    expect((await cli("targets", "progress", "--year", "2026", "--as-of", "2025-01")).code).toBe(2);
    const header = await cli("targets", "import", file("bad.csv", "年度,镇街,税种,目标\n"), "--kind", "targets", "--json");
    expect(header.code).toBe(1);
    expect(JSON.parse(header.stdout).error.message).toContain("目标(元)");
  });
});
