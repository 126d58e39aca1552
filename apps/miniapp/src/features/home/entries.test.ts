import { describe, expect, it } from "vitest";
import { homeEntries } from "./entries";

const features = (roles: string[] | null) => {
  const { jobs, manage } = homeEntries(roles ? { roles } : null);
  return { jobs: jobs.map((e) => e.feature), manage: manage.map((e) => e.feature) };
};

describe("homeEntries", () => {
  it("offers only learning and tips to visitors who are not signed in", () => {
    expect(features(null)).toEqual({ jobs: ["learn", "tip"], manage: [] });
  });

  it("gives a reporter the report job but not clearance checks", () => {
    expect(features(["reporter"])).toEqual({ jobs: ["report", "learn", "tip"], manage: [] });
  });

  it("gives a checker clearance checks but not reports", () => {
    expect(features(["checker"])).toEqual({ jobs: ["check", "learn", "tip"], manage: [] });
  });

  it("adds back-office pages for the roles that have them", () => {
    expect(features(["tax_officer", "admin"]).manage).toEqual(["review", "admin"]);
    expect(features(["trainer", "tip_handler", "coordinator"]).manage).toEqual(["training", "tips_inbox", "oversight"]);
  });

  it("sends features without a page to the coming-soon placeholder", () => {
    const { jobs, manage } = homeEntries({ roles: ["reporter", "trainer"] });
    expect(manage.find((e) => e.feature === "training")?.url).toBe("/pages/soon/index?feature=training");
    expect(jobs.find((e) => e.feature === "tip")?.url).toBe("/pages/tip/index");
    expect(jobs.find((e) => e.feature === "learn")?.url).toBe("/pages/learn/index");
  });
});
