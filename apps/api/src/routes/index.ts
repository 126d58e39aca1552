import type { FastifyInstance } from "fastify";
import type { RouteContext } from "./context.ts";
import { healthRoutes } from "./health.ts";
import { authRoutes } from "./auth.ts";
import { meRoutes } from "./me.ts";
import { unitRoutes } from "./units.ts";
import { adminRoutes } from "./admin.ts";
import { clearanceRoutes } from "./clearances.ts";
import { reportRoutes } from "./reports.ts";
import { knowledgeRoutes } from "./knowledge.ts";
import { adminUnitRoutes } from "./admin-units.ts";
import { peopleRoutes } from "./people.ts";
import { reportFlowRoutes } from "./report-flows.ts";
import { quizRoutes } from "./quiz.ts";
import { tipRoutes } from "./tips.ts";
import { oversightRoutes } from "./oversight.ts";
import { accountabilityRoutes } from "./accountability.ts";
import { meetingRoutes } from "./meetings.ts";
import { entrustedRoutes } from "./entrusted.ts";
import { targetRoutes } from "./targets.ts";

export type { RouteContext } from "./context.ts";

/**
 * Every route plugin, one line each. A feature adds `routes/<feature>.ts` exporting a
 * `FastifyPluginAsyncZod<RouteContext>` and one `api.register(...)` line below.
 */
export function registerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.register(healthRoutes, ctx);
  app.register(
    async (api) => {
      await api.register(authRoutes, ctx);
      await api.register(meRoutes, ctx);
      await api.register(unitRoutes, ctx);
      await api.register(adminRoutes, ctx);
      await api.register(clearanceRoutes, ctx);
      await api.register(reportRoutes, ctx);
      await api.register(knowledgeRoutes, ctx);
      await api.register(adminUnitRoutes, ctx);
      await api.register(peopleRoutes, ctx);
      await api.register(reportFlowRoutes, ctx);
      await api.register(quizRoutes, ctx);
      await api.register(tipRoutes(ctx.tips), ctx);
      await api.register(oversightRoutes, ctx);
      await api.register(accountabilityRoutes, ctx);
      await api.register(meetingRoutes, ctx);
      await api.register(entrustedRoutes, ctx);
      await api.register(targetRoutes, ctx);
    },
    { prefix: "/api/v1" },
  );
}
