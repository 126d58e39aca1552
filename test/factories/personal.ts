import { FEED_TYPES, fieldSensitivity, withIdCheckChar, withUsccCheckChar, type FeedReportType } from "@xieshui/core";
import { makePerformanceData, makeRentalData, makeVehicleData } from "./reports.ts";

/**
 * Personal values that must never reach a log line, distinctive enough that a hit in a log is a
 * leak and not a coincidence. Each report type gets its own, so a hit names the path that leaked.
 */
export const PERSONAL = {
  landlordIdNo: withIdCheckChar("11010519491231002"),
  tenantIdNo: withIdCheckChar("31010419850704123"),
  ownerIdNo: withIdCheckChar("44030519900312456"),
  feedIdNo: withIdCheckChar("51010719770208789"),
  organizerUscc: withUsccCheckChar("91310000MA1FL3XQ7"),
  feedUscc: withUsccCheckChar("91440300MA5DC0XK2"),
  landlordName: "欧阳明辉",
  tenantName: "司马秋菊",
  ownerName: "诸葛长青",
  feedName: "上官云飞",
  /** an ID number with a wrong check character: still someone's number, still never logged */
  badIdNo: `${withIdCheckChar("11010519491231002").slice(0, 17)}${withIdCheckChar("11010519491231002").endsWith("1") ? "2" : "1"}`,
} as const;

/** Every value of PERSONAL (what a log scan looks for). */
export const PERSONAL_VALUES: readonly string[] = Object.values(PERSONAL);

/** Valid data of every event type, carrying the PERSONAL values. */
export function personalEventData(): { type: string; unitType: "village" | "venue" | "traffic_police"; data: Record<string, unknown> }[] {
  return [
    {
      type: "rental",
      unitType: "village",
      data: makeRentalData({ landlordName: PERSONAL.landlordName, landlordIdNo: PERSONAL.landlordIdNo, tenantName: PERSONAL.tenantName, tenantIdNo: PERSONAL.tenantIdNo }),
    },
    { type: "performance", unitType: "venue", data: makePerformanceData({ organizerUscc: PERSONAL.organizerUscc }) },
    { type: "vehicle_no_clearance", unitType: "traffic_police", data: makeVehicleData({ ownerName: PERSONAL.ownerName, ownerIdNo: PERSONAL.ownerIdNo }) },
  ];
}

function cell(feed: FeedReportType, name: string): string {
  const c = feed.columns.find((x) => x.name === name)!;
  const sensitivity = fieldSensitivity(c);
  if (sensitivity === "name") return PERSONAL.feedName;
  if (c.kind === "uscc") return PERSONAL.feedUscc;
  if (sensitivity === "identifier") return PERSONAL.feedIdNo;
  switch (c.kind) {
    case "date":
      return "2026-10-05";
    case "number":
    case "money":
    case "integer":
      return "12";
    case "enum":
      return c.options?.[0]?.value ?? "";
    default:
      return `测试${name}`;
  }
}

/** A CSV of one valid row (and, with `badRow`, a second one whose ID-like cells fail) for a feed. */
export function personalFeedCsv(feed: FeedReportType, opts: { badRow?: boolean } = {}): string {
  const header = feed.columns.map((c) => c.header);
  const good = feed.columns.map((c) => cell(feed, c.name));
  const rows = [header, good];
  if (opts.badRow) rows.push(feed.columns.map((c) => (fieldSensitivity(c) === "identifier" ? PERSONAL.badIdNo : c.kind === "date" ? "2026-13-45" : cell(feed, c.name))));
  return rows.map((r) => r.join(",")).join("\n") + "\n";
}

/** Each feed type with the unit type that files it. */
export const FEEDS_WITH_UNITS = FEED_TYPES.map((feed) => ({ feed, unitType: feed.unitTypes[0]! }));
