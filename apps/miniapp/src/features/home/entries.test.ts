import { describe, expect, it } from "vitest";
import { t } from "@xieshui/core";
import { homeEntries } from "./entries";

const zh = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) => t("zh-CN", key, params);
const TODAY = ["pages/index/index", "pages/report/index", "pages/check/index", "pages/review/index", "pages/oversight/index", "pages/admin/index", "pages/clearance-import/index"];
const village = { type: "village" };
const features = (roles: string[] | null, pages: string[] = TODAY, unit = village) => {
  const { jobs, manage } = homeEntries(roles ? { roles, unit } : null, zh, pages);
  return { jobs: jobs.map((e) => e.feature), manage: manage.map((e) => e.feature) };
};

describe("homeEntries: a tile only for a job that works", () => {
  it("offers a visitor no tile while the learn and tip pages are not in the build", () => {
    expect(features(null)).toEqual({ jobs: [], manage: [] });
  });

  it("lights the learn and tip tiles up as soon as their pages are registered", () => {
    expect(features(null, [...TODAY, "pages/learn/index", "pages/tip/index"])).toEqual({ jobs: ["learn", "tip"], manage: [] });
    const learn = homeEntries(null, zh, [...TODAY, "pages/learn/index"]).jobs[0]!;
    expect(learn.url).toBe("/pages/learn/index");
  });

  it("gives a reporter the report job, described by what the unit files", () => {
    const { jobs } = homeEntries({ roles: ["reporter"], unit: village }, zh, TODAY);
    expect(jobs.map((e) => e.feature)).toEqual(["report"]);
    expect(jobs[0]!.description).toBe("承租房屋登记");
    const venue = homeEntries({ roles: ["reporter"], unit: { type: "venue" } }, zh, TODAY).jobs[0]!;
    expect(venue.description).toBe("外来演出报告");
  });

  it("gives no report tile to a reporter whose unit files nothing", () => {
    expect(features(["reporter"], TODAY, { type: "tax_bureau" }).jobs).toEqual([]);
  });

  it("describes a checker's tile by what the unit checks", () => {
    const police = homeEntries({ roles: ["checker"], unit: { type: "traffic_police" } }, zh, TODAY).jobs[0]!;
    expect(police.description).toBe("车船税完（免）税凭证");
    const land = homeEntries({ roles: ["checker"], unit: { type: "land_bureau" } }, zh, TODAY).jobs[0]!;
    expect(land.description).toBe("不动产交易税费完（免）税凭证");
  });

  it("gives tax officers the review inbox and the clearance import; no tile for pages not built", () => {
    expect(features(["tax_officer", "admin"]).manage).toEqual(["review", "clearance_import", "admin"]);
    expect(features(["trainer", "tip_handler", "coordinator"]).manage).toEqual(["clearance_import", "oversight"]);
  });
});
