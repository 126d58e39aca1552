import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redeemInvite, seedDemo } from "@xieshui/core/server";
import { createTestDb, type TestDb } from "../../../test/factories/db.ts";
import { runCaptured } from "./harness.ts";

let t: TestDb;
beforeAll(async () => {
  t = createTestDb();
  await seedDemo(t.deps);
});
afterAll(async () => {
  await t.close();
});

const cli = (...argv: string[]) => runCaptured(t.deps, argv);

describe("cli", () => {
  it("lists units as one JSON document", async () => {
    const { code, stdout } = await cli("units", "list", "--json");
    expect(code).toBe(0);
    const units = JSON.parse(stdout) as { code: string; type: string }[];
    expect(units.find((u) => u.code === "dongcun")).toMatchObject({ type: "village", name: "幸福镇东村村委会" });
    expect(Object.keys(units[0]!).sort()).toEqual(["code", "name", "type"]);
  });

  it("creates an invite that redeems to the requested unit and roles", async () => {
    const { code, stdout } = await cli("invite", "--unit", "traffic-1", "--role", "checker", "--role", "reporter", "--json");
    expect(code).toBe(0);
    const invite = JSON.parse(stdout) as { code: string };
    const { user } = await redeemInvite(t.deps, { code: invite.code }, { kind: "api" });
    expect(user.unit.code).toBe("traffic-1");
    expect(user.roles).toEqual(["checker", "reporter"]);
  });

  it("rejects an unknown role and an unknown unit with a clear message", async () => {
    const badRole = await cli("invite", "--unit", "dongcun", "--role", "king", "--json");
    expect(badRole.code).toBe(2);
    expect(JSON.parse(badRole.stdout).error.code).toBe("usage");
    const badUnit = await cli("invite", "--unit", "atlantis", "--role", "reporter", "--json");
    expect(badUnit.code).toBe(1);
    expect(JSON.parse(badUnit.stdout).error.reason).toBe("unit_unknown");
  });

  it("lists, revokes and re-issues invites", async () => {
    const created = JSON.parse((await cli("invite", "--unit", "dongcun", "--role", "reporter", "--json")).stdout) as { id: string };
    const reissued = await cli("invites", "reissue", created.id, "--json");
    expect(reissued.code).toBe(0);
    const list = JSON.parse((await cli("invites", "list", "--unit", "dongcun", "--json")).stdout) as { id: string; status: string }[];
    expect(list.find((i) => i.id === created.id)?.status).toBe("revoked");
    expect(list.find((i) => i.id === (JSON.parse(reissued.stdout) as { id: string }).id)?.status).toBe("active");
  });

  it("refuses an unknown flag and a flag without its value with exit code 2 and a message naming it", async () => {
    const unknown = await cli("units", "list", "--jsno");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("未知选项 --jsno / unknown option --jsno");
    expect(unknown.stdout).toBe("");
    const missing = await cli("invite", "--role", "reporter", "--unit", "--json");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--unit 缺少值 / --unit needs a value");
    // With --json, the error is the one JSON document on stdout.
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: "usage", message: expect.stringContaining("--unit") } });
    const atEnd = await cli("invite", "--role", "reporter", "--unit");
    expect(atEnd.code).toBe(2);
    expect(atEnd.stderr).toContain("--unit needs a value");
    const otherCommandsFlag = await cli("units", "list", "--unit", "dongcun", "--json");
    expect(otherCommandsFlag.code).toBe(2);
    expect(JSON.parse(otherCommandsFlag.stdout).error.code).toBe("usage");
    expect((await cli("backup", "x.db", "--force=yes")).stderr).toContain("--force takes no value");
  });

  it("accepts --flag=value, repeated roles and flags before the command words", async () => {
    const { code, stdout } = await cli("--json", "invite", "--unit=dongcun", "--role", "reporter", "--role=checker", "--days", "3");
    expect(code).toBe(0);
    const { code: invite } = JSON.parse(stdout) as { code: string };
    const { user } = await redeemInvite(t.deps, { code: invite }, { kind: "api" });
    expect([...user.roles].sort()).toEqual(["checker", "reporter"]);
  });

  it("prints usage for an unknown command", async () => {
    const { code, stderr } = await cli("frobnicate");
    expect(code).toBe(2);
    expect(stderr).toContain("usage");
  });
});
