import { cstDate } from "../../domain/time.ts";
import { feedDueDate, type FeedReportType } from "../../domain/reports/feeds.ts";
import { reportTypesForUnit } from "../../domain/reports/registry.ts";
import type { Timeliness } from "../../domain/reports/report-types.ts";
import { requireRole } from "../identity/index.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";

/** Where one feed of the actor's unit stands for a period: filed (upload or 本期无) or still missing. */
export interface UnitFeedStatus {
  type: string;
  period: string;
  /** CST due date, YYYY-MM-DD. */
  dueDate: string;
  /** True once the due day has passed with nothing filed. */
  overdue: boolean;
  /** The unit's filing for the period (the latest that was not returned), or null. */
  filed: { id: string; nil: boolean; rowCount: number; timeliness: Timeliness; status: string; createdAt: string } | null;
}

/**
 * A reporter's view of their unit's periodic feeds for one period (what the bot's /feeds lists).
 * Counts filings by anyone of the unit, since a feed is the unit's duty, not one person's.
 */
export async function unitFeedStatus(deps: Deps, actor: Actor | null, period: string): Promise<UnitFeedStatus[]> {
  requireRole(actor, "reporter");
  const feeds = reportTypesForUnit(actor.unit.type).filter((t): t is FeedReportType => t.kind === "feed");
  const today = cstDate(deps.clock.now());
  const out: UnitFeedStatus[] = [];
  for (const feed of feeds) {
    const row = await deps.db.prisma.report.findFirst({
      where: { type: feed.code, unitId: actor.unitId, period, status: { not: "returned" } },
      orderBy: { createdAt: "desc" },
    });
    const dueDate = feedDueDate(feed, period);
    out.push({
      type: feed.code,
      period,
      dueDate,
      overdue: !row && today > dueDate,
      filed: row
        ? { id: row.id, nil: row.nil, rowCount: row.rowCount, timeliness: row.timeliness as Timeliness, status: row.status, createdAt: row.createdAt.toISOString() }
        : null,
    });
  }
  return out;
}
