import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { makeUnit } from "../../../test/factories/identity.ts";
import { runCaptured } from "./harness.ts";

// Issue 13 point 6 from the operator's CLI: register a collector's agreement, add agents, record
// inspections and list it all; bad options are named, a taken certificate is a failed operation.

const clock = createFixedClock("2026-12-05T02:00:00Z");
let t: TestDb;
let rental: string;
beforeAll(async () => {
  t = createTestDb({ clock });
  rental = await makeUnit(t.deps, { type: "entrusted_collector", code: "entrusted-rental", name: "区房屋租赁服务中心（委托代征）" });
});
afterAll(async () => {
  await t.close();
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);

describe("entrusted", () => {
  it("registers an agreement, adds an agent, records an inspection and lists them as one JSON document", async () => {
    const reg = await cli("entrusted", "register", "--unit", rental, "--agreement", "WTDZ-2026-001", "--scope", "零星房屋出租税费", "--from", "2026-01-01", "--to", "2026-12-31", "--json");
    expect(reg.code).toBe(0);
    expect(JSON.parse(reg.stdout)).toMatchObject({ created: true, collector: { agreement: { agreementNo: "WTDZ-2026-001", expired: false } } });
    const agent = await cli("entrusted", "agent", "add", "--unit", rental, "--name", "王五", "--certificate", "DZ-0001", "--json");
    expect(agent.code).toBe(0);
    const inspect = await cli("entrusted", "inspect", "--unit", rental, "--date", "2026-11-20", "--findings", "凭证未按月结报", "--follow-up", "补交结报", "--by", "2026-12-01", "--json");
    expect(inspect.code).toBe(0);
    const list = await cli("entrusted", "list", "--json");
    expect(list.code).toBe(0);
    const [c] = JSON.parse(list.stdout);
    expect(c).toMatchObject({ unit: { code: rental }, agents: [{ name: "王五", certificateNo: "DZ-0001" }], lastInspection: { inspectedOn: "2026-11-20" }, openFollowUps: [{ overdue: true }] });
    const text = await cli("entrusted", "list");
    expect(text.stdout).toContain("协议 WTDZ-2026-001：2026-01-01 至 2026-12-31 有效");
    expect(text.stdout).toContain("已逾期，期限 2026-12-01");
    const done = await cli("entrusted", "done", JSON.parse(inspect.stdout).inspection.id, "--note", "已补交", "--json");
    expect(JSON.parse(done.stdout)).toMatchObject({ followUpDoneOn: "2026-12-05", followUpNote: "已补交" });
  });

  it("names the option that is wrong (exit 2) and says a taken certificate failed (exit 1)", async () => {
    const bad = await cli("entrusted", "register", "--unit", rental, "--agreement", "X1", "--scope", "x", "--from", "2026-12-01", "--to", "2026-11-01", "--json");
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: "usage", fields: { validTo: "截止日期不能早于生效日期" } });
    expect(bad.stderr).toContain("--to: 截止日期不能早于生效日期");
    const missing = await cli("entrusted", "inspect", "--unit", rental, "--date", "2026-12-06");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--findings: 请填写检查发现");
    const future = await cli("entrusted", "inspect", "--unit", rental, "--date", "2026-12-06", "--findings", "正常");
    expect(future.stderr).toContain("--date: 检查日期不能晚于今天");
    const taken = await cli("entrusted", "agent", "add", "--unit", rental, "--name", "赵六", "--certificate", "dz-0001");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("--certificate: 该证件号已登记");
    expect((await cli("entrusted", "agent", "add", "--unit", rental, "--nam", "x")).code).toBe(2);
    expect((await cli("entrusted", "nothing")).code).toBe(2);
  });
});

describe("units add", () => {
  it("creates an entrusted collection unit as the admin page does, and names a bad option", async () => {
    const added = await cli("units", "add", "--name", "城东集贸市场（委托代征）", "--type", "entrusted_collector", "--code", "entrusted-east", "--json");
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ code: "entrusted-east", type: "entrusted_collector", parent: null });
    const units = JSON.parse((await cli("units", "list", "--json")).stdout) as { code: string; type: string }[];
    expect(units.find((u) => u.code === "entrusted-east")?.type).toBe("entrusted_collector");
    const reg = await cli("entrusted", "register", "--unit", "entrusted-east", "--agreement", "WTDZ-2026-002", "--scope", "集贸市场税费", "--from", "2026-01-01", "--to", "2026-12-31");
    expect(reg.code).toBe(0);
    const bad = await cli("units", "add", "--name", "某单位", "--type", "spaceport");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^--type: /);
    expect(bad.stderr).not.toContain("spaceport");
    const taken = await cli("units", "add", "--name", "城东集贸市场（委托代征）", "--type", "entrusted_collector");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("--name: ");
  });
});
