import { afterEach, describe, expect, it, vi } from "vitest";
import { isIdNumber, withIdCheckChar } from "./id-number.ts";

// Issue 7 point 7: the birth date of an ID number is checked against today's date in CST (DESIGN.md:
// every date is China Standard Time), not against the server's UTC date, which lags CST by a day
// from 00:00 to 08:00 CST.
const bornOn = (date: string) => withIdCheckChar(`410106${date.replaceAll("-", "")}074`);

describe("the ID number's birth date is judged in CST", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses a birth date of tomorrow at 23:30 CST and accepts it as born today at 00:30 CST", () => {
    const id = bornOn("2026-11-27");
    expect(isIdNumber(id, new Date("2026-11-27T23:30:00+08:00"))).toBe(true);
    expect(isIdNumber(id, new Date("2026-11-26T23:30:00+08:00"))).toBe(false);
    // 00:30 CST on the 27th is still the 26th in UTC.
    expect(isIdNumber(id, new Date("2026-11-27T00:30:00+08:00"))).toBe(true);
  });

  it("accepts someone born today from the first minutes of the CST day, and yesterday's child always", () => {
    expect(isIdNumber(bornOn("2026-01-01"), new Date("2026-01-01T00:30:00+08:00"))).toBe(true);
    expect(isIdNumber(bornOn("2026-01-01"), new Date("2025-12-31T23:30:00+08:00"))).toBe(false);
    expect(isIdNumber(bornOn("2025-12-31"), new Date("2026-01-01T00:30:00+08:00"))).toBe(true);
  });

  it("uses CST when no date is given (the report forms' validators)", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-27T00:30:00+08:00"));
    expect(isIdNumber(bornOn("2026-11-27"))).toBe(true);
    vi.setSystemTime(new Date("2026-11-26T23:30:00+08:00"));
    expect(isIdNumber(bornOn("2026-11-27"))).toBe(false);
  });
});
