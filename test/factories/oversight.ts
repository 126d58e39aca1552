import type { Deps } from "@xieshui/core/server";
import { checkClearance, fileNilReport, reviewReport, submitReport, type Actor } from "@xieshui/core/server";
import { makeUnit, makeUser } from "./identity.ts";
import { makeRentalData } from "./reports.ts";

/** The clock's setter, as createFixedClock gives it. */
type SettableClock = { set(at: Date | string): void };

/** What seedOversightDistrict made, for assertions. */
export interface OversightDistrict {
  town: string;
  east: string;
  west: string;
  police: string;
  builder: string;
  officer: Actor;
  eastClerk: Actor;
  westClerk: Actor;
  checker: Actor;
}

/**
 * A small district with activity in two quarters, through the real use-cases: 红旗镇 with two
 * village committees and a traffic-police squad. In 2026Q3 the east village files two rentals on time
 * and the west village one on time; in 2026Q4 the east village files one late (lease began 40 days
 * earlier) and the west files two on time; the tax officer accepts one and returns one in Q4; the
 * squad runs three checks in Q4, all finding no clearance (none imported); the construction bureau files
 * nothing for July to September (three feeds missing in Q3) and 本期无 for October on time (November
 * is not yet due on December 5): it improved, the east village fell behind. Leaves the clock at `end`.
 */
export async function seedOversightDistrict(deps: Deps, clock: SettableClock, end = "2026-12-05T02:00:00Z"): Promise<OversightDistrict> {
  const town = await makeUnit(deps, { type: "town", name: "红旗镇", code: "hongqi-town" });
  const east = await makeUnit(deps, { type: "village", name: "红旗镇东庄村委会", code: "dongzhuang", parent: town });
  const west = await makeUnit(deps, { type: "village", name: "红旗镇西庄村委会", code: "xizhuang", parent: town });
  const police = await makeUnit(deps, { type: "traffic_police", name: "交警二中队", code: "traffic-2" });
  const builder = await makeUnit(deps, { type: "construction_bureau", name: "区住建局", code: "builder" });
  const eastClerk = (await makeUser(deps, { roles: ["reporter"], unit: east, name: "东庄文书" })).actor;
  const westClerk = (await makeUser(deps, { roles: ["reporter"], unit: west, name: "西庄文书" })).actor;
  const checker = (await makeUser(deps, { roles: ["checker"], unit: police, name: "二中队民警" })).actor;
  const officer = (await makeUser(deps, { roles: ["tax_officer"], unitType: "tax_bureau", name: "税务员" })).actor;
  const builderClerk = (await makeUser(deps, { roles: ["reporter"], unit: builder, name: "住建局统计员" })).actor;

  const rental = (actor: Actor, clientId: string, leaseStart: string) => submitReport(deps, actor, { type: "rental", clientId, data: makeRentalData({ leaseStart, address: `地址${clientId}` }) });
  clock.set("2026-08-03T02:00:00Z");
  await rental(eastClerk, "q3-east-1", "2026-08-01");
  await rental(eastClerk, "q3-east-2", "2026-08-02");
  await rental(westClerk, "q3-west-1", "2026-08-01");
  clock.set("2026-11-05T02:00:00Z");
  await fileNilReport(deps, builderClerk, { type: "feed_construction_permits", period: "2026-10" });
  clock.set("2026-11-20T02:00:00Z");
  const late = await rental(eastClerk, "q4-east-1", "2026-10-10");
  const w1 = await rental(westClerk, "q4-west-1", "2026-11-19");
  await rental(westClerk, "q4-west-2", "2026-11-18");
  await reviewReport(deps, officer, w1.report.id, { decision: "accept" });
  await reviewReport(deps, officer, late.report.id, { decision: "return", comment: "地址不全" });
  for (const key of ["豫A12345", "豫B23456", "豫C34567"]) await checkClearance(deps, checker, { kind: "vehicle_vessel", key }, { rateLimitPerHour: 0 });
  clock.set(end);
  return { town, east, west, police, builder, officer, eastClerk, westClerk, checker };
}
