import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { makeUnit } from "../../../test/factories/identity.ts";
import { runCaptured } from "./harness.ts";

const clock = createFixedClock("2026-12-02T02:00:00Z");
let t: TestDb;
let east: string;
const dir = mkdtempSync(join(tmpdir(), "xieshui-cli-meetings-"));
beforeAll(async () => {
  t = createTestDb({ clock });
  east = await makeUnit(t.deps, { code: "cli-east", name: "东村村委会" });
});
afterAll(async () => {
  await t.close();
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);
const file = (name: string, body: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof body === "string" ? body : JSON.stringify(body));
  return path;
};
const meeting = {
  clientId: "cli-meeting-0001",
  heldOn: "2026-10-15",
  title: "2026年第三季度工作总结会",
  decisions: "一、加强出租房屋登记",
  attendees: [{ unit: "cli-east" }],
  tasks: [{ unit: "cli-east", title: "核查出租房屋", dueOn: "2026-11-15" }],
};

describe("meetings record / list", () => {
  it("records a meeting from a JSON file once (a rerun records nothing new) and lists it", async () => {
    const path = file("meeting.json", meeting);
    const first = await cli("meetings", "record", "--file", path, "--json");
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout);
    expect(doc).toMatchObject({ created: true, meeting: { heldOn: "2026-10-15", taskCounts: { open: 1, overdue: 1 } } });
    const again = JSON.parse((await cli("meetings", "record", "--file", path, "--json")).stdout);
    expect(again).toMatchObject({ created: false, meeting: { id: doc.meeting.id } });
    const list = await cli("meetings", "list", "--json");
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((m: { id: string }) => m.id)).toEqual([doc.meeting.id]);
    const text = await cli("meetings", "list");
    expect(text.stdout).toContain("2026-10-15  2026年第三季度工作总结会");
    expect(text.stdout).toContain("  - 东村村委会：核查出租房屋，期限 2026-11-15，已逾期");
    expect(await t.db.prisma.auditLog.count({ where: { action: "meeting.record" } })).toBe(1);
    expect(east).toBe("cli-east");
  });

  it("answers invalid input with exit 1 and the field paths, bad files and options with exit 2", async () => {
    const bad = await cli("meetings", "record", "--file", file("bad.json", { ...meeting, clientId: "cli-meeting-0002", tasks: [{ unit: "nowhere", title: "x", dueOn: "2026-11-01" }] }), "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error).toEqual({ code: "invalid_input", message: expect.any(String), fields: { "tasks.0.unit": "没有这个单位，请从单位列表中选择" } });
    const future = await cli("meetings", "record", "--file", file("future.json", { ...meeting, clientId: "cli-meeting-0003", heldOn: "2026-12-03" }));
    expect(future.code).toBe(1);
    expect(future.stderr).toContain("heldOn: 会议日期不能晚于今天");
    expect((await cli("meetings", "record", "--file", file("broken.json", "{ not json"), "--json")).code).toBe(2);
    expect((await cli("meetings", "record", "--file", join(dir, "missing.json"))).code).toBe(2);
    expect((await cli("meetings", "record")).code).toBe(2);
    expect((await cli("meetings", "list", "--bogus")).code).toBe(2);
    expect((await cli("meetings", "delete")).code).toBe(2);
  });
});
