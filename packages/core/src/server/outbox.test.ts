import { describe, expect, it } from "vitest";
import { renderOutboxPayload } from "./outbox.ts";

describe("renderOutboxPayload", () => {
  it("renders key params in the recipient's language, not the language of the sender", () => {
    const payload = { key: "report-returned-notice", params: { summary: "东村 3 组", comment: "缺房东身份证" }, keyParams: { type: "report-type-rental" } };
    const zh = renderOutboxPayload(payload, "zh-CN")!;
    const en = renderOutboxPayload(payload, "en")!;
    expect(zh).toContain("承租房屋登记");
    expect(en).not.toContain("承租房屋登记");
    expect(en).toMatch(/rent/i);
  });

  it("refuses payloads without a known key or text", () => {
    expect(renderOutboxPayload({ key: "no-such-key" }, "zh-CN")).toBeNull();
    expect(renderOutboxPayload(null, "zh-CN")).toBeNull();
    expect(renderOutboxPayload({ text: "hello" }, "en")).toBe("hello");
  });
});
