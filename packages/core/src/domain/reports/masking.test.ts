import { describe, expect, it } from "vitest";
import { getReportType } from "./registry.ts";
import { maskedSummary, maskReportData, SENSITIVE_FIELD_NAMES } from "./masking.ts";
import type { EventReportType } from "./report-types.ts";

describe("masking of report data", () => {
  it("masks ID numbers, credit codes and names, and nothing else", () => {
    const rental = getReportType("rental") as EventReportType;
    const data = { address: "幸福镇东村 3 组 12 号", landlordName: "欧阳明辉", landlordIdNo: "11010519491231002X", tenantName: "李四", tenantIdNo: "91310000MA1FL3XQ7A", monthlyRent: 1200, leaseStart: "2026-11-01" };
    expect(maskReportData(rental.fields, data)).toEqual({
      address: "幸福镇东村 3 组 12 号",
      landlordName: "欧**辉",
      landlordIdNo: "1101**********002X",
      tenantName: "李*",
      tenantIdNo: "9131**********XQ7A",
      monthlyRent: 1200,
      leaseStart: "2026-11-01",
    });
    expect(maskedSummary(rental, data, "stored")).toBe("幸福镇东村 3 组 12 号 · 李* · 2026-11-01");
  });

  it("takes the sensitive fields from the registry, feeds included", () => {
    expect(SENSITIVE_FIELD_NAMES).toEqual(expect.arrayContaining(["landlordIdNo", "tenantIdNo", "ownerIdNo", "organizerUscc", "transferorIdNo", "transfereeIdNo", "developerUscc", "legalRep", "ownerName"]));
    expect(SENSITIVE_FIELD_NAMES).not.toContain("address");
    expect(SENSITIVE_FIELD_NAMES).not.toContain("plate");
  });
});
