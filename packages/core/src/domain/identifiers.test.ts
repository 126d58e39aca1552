import { describe, expect, it } from "vitest";
import { isIdNumber, isUscc, isTaxpayerId, withIdCheckChar, withUsccCheckChar } from "./id-number.ts";
import { isPlate, normalizePlate } from "./plate.ts";
import { isVin, vinCheckDigit } from "./vin.ts";
import { maskIdNumber, maskName } from "./mask.ts";
import { normalizeCode, normalizeText } from "./text.ts";
import fc from "fast-check";

describe("resident ID numbers (GB 11643)", () => {
  it("accepts a number with the right check character, in any spacing or width", () => {
    expect(isIdNumber("410106195405020740")).toBe(true);
    expect(isIdNumber(" ４１０１０６ 1954 0502 0740 ")).toBe(true);
    expect(isIdNumber(withIdCheckChar("11010519491231002"))).toBe(true);
    expect(isIdNumber("11010519491231002x")).toBe(isIdNumber("11010519491231002X"));
  });
  it("rejects a wrong check character, an impossible birth date and a future birth date", () => {
    expect(isIdNumber("410106195405020741")).toBe(false);
    expect(isIdNumber(withIdCheckChar("41010619540230074"))).toBe(false);
    expect(isIdNumber(withIdCheckChar("41010630990101074"))).toBe(false);
    expect(isIdNumber("4101061954050207")).toBe(false);
    expect(isIdNumber("' OR 1=1 --")).toBe(false);
  });
});

describe("unified social credit codes (GB 32100)", () => {
  it("accepts a valid code and rejects a changed one", () => {
    const code = withUsccCheckChar("91350100M000100Y4");
    expect(isUscc(code)).toBe(true);
    expect(isUscc(code.toLowerCase())).toBe(true);
    const broken = code.slice(0, 17) + (code[17] === "0" ? "1" : "0");
    expect(isUscc(broken)).toBe(false);
    expect(isUscc("91350100M000100YI")).toBe(false);
  });
  it("accepts either kind as a taxpayer id", () => {
    expect(isTaxpayerId("410106195405020740")).toBe(true);
    expect(isTaxpayerId(withUsccCheckChar("91350100M000100Y4"))).toBe(true);
    expect(isTaxpayerId("410106195405020741")).toBe(false);
  });
});

describe("plates", () => {
  it("normalises full-width, lower case, spaces and the middle dot to one form", () => {
    for (const typed of ["豫Ａ１２３４５", "豫a12345", " 豫A 12345 ", "豫A·12345", "豫A-12345"]) {
      expect(normalizePlate(typed)).toBe("豫A12345");
    }
  });
  it("accepts ordinary, new-energy and police plates and rejects malformed ones", () => {
    for (const ok of ["豫A12345", "豫B7E3R2", "豫AD12345", "豫ADA1234", "豫A12345D", "豫A1234警", "京N9Z8Y7"]) expect(isPlate(ok), ok).toBe(true);
    for (const bad of ["豫A1234", "XA12345", "豫I12345", "豫A123456", "豫AO2345", "", "豫A12345<script>"]) expect(isPlate(bad), bad).toBe(false);
  });
});

describe("VINs", () => {
  it("checks the position-9 check digit of Chinese-made vehicles", () => {
    const body = "LSV3E28J097KB6CP6";
    const vin = body.slice(0, 8) + vinCheckDigit(body) + body.slice(9);
    expect(isVin(vin)).toBe(true);
    const wrong = vin.slice(0, 8) + (vin[8] === "1" ? "2" : "1") + vin.slice(9);
    expect(isVin(wrong)).toBe(false);
    expect(isVin("LSV3E28J097KB6CPO")).toBe(false);
    expect(isVin("1HGCM82633A004352")).toBe(true);
  });
});

describe("masking", () => {
  it("masks names and ID numbers", () => {
    expect(maskName("张小三")).toBe("张*三");
    expect(maskName("张三")).toBe("张*");
    expect(maskName("欧阳小明")).toBe("欧**明");
    expect(maskIdNumber("410106195405020740")).toBe("4101**********0740");
  });
});

describe("normalizeCode", () => {
  // It returns canonical values (digits, capitals, CJK ideographs) as they are, without the full
  // normalisation: that shortcut must agree with the full path.
  it("gives the same result with and without its shortcut", () => {
    const full = (v: string) => normalizeText(v).replace(/[\s\-_·•.]/g, "").toUpperCase();
    const chars = fc.constantFrom(..."0123456789ABCXYZabc豫京粤警學-_· .．Ａ１\u3000\u200B\uF900");
    fc.assert(fc.property(fc.array(chars, { maxLength: 20 }).map((a) => a.join("")), (v) => normalizeCode(v) === full(v)));
    for (const v of ["豫A12345", "LSVAB00000000001X", "410106195405020740", "HT202600000001", ""]) expect(normalizeCode(v)).toBe(full(v));
  });
});

describe("text kept as typed", () => {
  it("keeps full-width punctuation and digits in prose, folds them in codes", async () => {
    const { normalizeProse, normalizeCode } = await import("./text.ts");
    expect(normalizeProse("  幸福镇，５组：南屋。\u200B ")).toBe("幸福镇，５组：南屋。");
    expect(normalizeProse("a\u3000\u3000b")).toBe("a b");
    expect(normalizeProse("一\n\n\n\n二 ", { multiline: true })).toBe("一\n\n二");
    expect(normalizeCode("豫Ａ·１２３４５")).toBe("豫A12345");
  });
});

describe("the name a person is greeted by", () => {
  it("drops the unit from a name made of unit and role, and keeps real names", async () => {
    const { personName } = await import("./people.ts");
    const unit = { code: "traffic-1", name: "区公安局交警大队一中队", type: "traffic_police" as const };
    expect(personName({ name: "区公安局交警大队一中队凭证核验员", unit })).toBe("凭证核验员");
    expect(personName({ name: "孙警官", unit })).toBe("孙警官");
    expect(personName({ name: "区公安局交警大队一中队", unit })).toBe("区公安局交警大队一中队");
  });
});
