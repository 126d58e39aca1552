import { describe, expect, it } from "vitest";
import { initDataFromHash } from "./telegram";

describe("initDataFromHash", () => {
  it("reads Telegram's signed initData from the launch hash", () => {
    const initData = "query_id=AAH&user=%7B%22id%22%3A1%7D&auth_date=1700000000&hash=abc123";
    const hash = `#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=7.0&tgWebAppPlatform=ios`;
    expect(initDataFromHash(hash)).toBe(initData);
  });

  it("ignores ordinary hashes and unsigned data", () => {
    expect(initDataFromHash("")).toBeNull();
    expect(initDataFromHash("#/pages/index/index")).toBeNull();
    expect(initDataFromHash("#tgWebAppData=user%3D1")).toBeNull();
  });
});
