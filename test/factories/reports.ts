import { withIdCheckChar, withUsccCheckChar, constructionPermitsFeed } from "@xieshui/core";

/** A valid resident ID number and unified social credit code for report data. */
export const TEST_ID = withIdCheckChar("41010619800101001");
export const TEST_USCC = withUsccCheckChar("91410100MA0000001");

/** Valid `data` for a rental report (lease starting 2026-11-01); override any key. */
export function makeRentalData(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    address: "幸福镇东村 3 组 12 号",
    landlordName: "张三",
    landlordIdNo: TEST_ID,
    tenantName: "李四",
    tenantIdNo: TEST_USCC,
    use: "residential",
    monthlyRent: 1200,
    area: 85.5,
    leaseStart: "2026-11-01",
    leaseEnd: "2027-10-31",
    ...over,
  };
}

/** Valid `data` for a performance starting 2026-12-05 19:30 CST. */
export function makePerformanceData(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "梁祝",
    troupe: "某某越剧团",
    organizer: "某某文化传播有限公司",
    organizerUscc: TEST_USCC,
    venue: "区人民大剧院",
    startsAt: "2026-12-05 19:30",
    endsAt: "2026-12-06 22:00",
    shows: 2,
    ticketPriceMin: 80,
    ticketPriceMax: 380,
    expectedAudience: 1200,
    ...over,
  };
}

/** Valid `data` for a vehicle without 车船税 clearance for 2025 and 2026. */
export function makeVehicleData(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { plate: "豫A12345", vehicleType: "小型汽车", ownerName: "王五", missingYears: [2025, 2026], place: "车管所检测站", ...over };
}

/** A construction-permit feed as CSV text (Chinese headers); `rows` are cell arrays. */
export function makeConstructionCsv(rows?: string[][]): string {
  const header = constructionPermitsFeed.columns.map((c) => c.header);
  const body = rows ?? [
    ["施许2026-001", "阳光花园", "某某置业有限公司", TEST_USCC, "幸福路 1 号", "12000.5", "0.8", "", "2026-10-03"],
    ["施许2026-002", "幸福大厦", "某某置业有限公司", TEST_USCC, "幸福路 2 号", "30000", "2.5", "1000000", "2026-10-09"],
  ];
  return [header, ...body].map((r) => r.join(",")).join("\n") + "\n";
}
