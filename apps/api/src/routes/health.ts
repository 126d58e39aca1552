import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { RouteContext } from "./context.ts";

/** GET /healthz (root, not under /api/v1): liveness for load balancers and `npm start` checks. */
export const healthRoutes: FastifyPluginAsyncZod<RouteContext> = async (app) => {
  app.get("/healthz", { schema: { tags: ["system"], response: { 200: z.object({ status: z.literal("ok") }) } } }, async () => ({ status: "ok" as const }));
};
