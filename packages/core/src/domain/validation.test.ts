import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseInput } from "./validation.ts";
import { RedeemSchema, CreateInviteSchema } from "./schemas/auth.ts";

describe("parseInput", () => {
  it("normalises a typed invite code (spaces, dashes, lower case, full width)", () => {
    const result = parseInput(RedeemSchema, { code: " k7m2-ｑｘ９ｐ rt " }, "zh-CN");
    expect(result).toEqual({ ok: true, data: { code: "K7M2QX9PRT" } });
  });

  it("puts localized messages next to each field", () => {
    const zh = parseInput(RedeemSchema, { code: "12" }, "zh-CN");
    expect(zh.ok).toBe(false);
    if (!zh.ok) expect(zh.fields.code).toContain("邀请码由 10 位");
    const en = parseInput(RedeemSchema, { code: "12" }, "en");
    if (!en.ok) expect(en.fields.code).toContain("An invite code has 10");
  });

  it("says required for a missing field and names unknown fields", () => {
    const result = parseInput(RedeemSchema, { extra: 1 }, "zh-CN");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.fields.code).toBe("必填");
      expect(result.fields.extra).toBe("不认识的字段");
    }
  });

  it("rejects wrong types, oversize strings and non-objects without throwing", () => {
    for (const input of [null, "code", 42, [], { code: 123 }, { code: "A".repeat(10_000) }, { code: "'; DROP TABLE User; --" }]) {
      expect(parseInput(RedeemSchema, input, "zh-CN").ok).toBe(false);
    }
  });

  it("localizes zod's own messages", () => {
    const schema = z.object({ n: z.number().int() });
    const result = parseInput(schema, { n: 1.5 }, "zh-CN");
    if (!result.ok) expect(result.fields.n).toMatch(/[\u4e00-\u9fff]/);
  });

  it("reports an empty role list with a catalogue message", () => {
    const result = parseInput(CreateInviteSchema, { unit: "dongcun", roles: [] }, "zh-CN");
    if (!result.ok) expect(result.fields.roles).toBe("至少选择一个角色");
    else throw new Error("expected failure");
  });
});
