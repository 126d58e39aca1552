import { AppError } from "../errors.ts";
import type { Actor } from "../identity/actor.ts";
import type { Deps } from "../deps.ts";
import { existingByClientId, toViews, withPhotos, type ReportView } from "./common.ts";

/** The actor's own report filed under a clientId, or null: lets a front end answer a late second tap on "submit". */
export async function findMyReportByClientId(deps: Deps, actor: Actor | null, clientId: string): Promise<ReportView | null> {
  if (!actor || clientId.length > 64) return null;
  return existingByClientId(deps, actor.userId, clientId);
}

/** A reporter's own reports, newest first, with status and reviewer comments ("my reports"). */
export async function listMyReports(deps: Deps, actor: Actor | null, query: { limit?: number; cursor?: string } = {}): Promise<ReportView[]> {
  if (!actor) throw new AppError("unauthorized");
  const rows = await deps.db.prisma.report.findMany({
    where: { userId: actor.userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(query.limit ?? 50, 200),
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    include: withPhotos,
  });
  return toViews(deps, rows, actor);
}

