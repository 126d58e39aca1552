import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listUnits } from "@xieshui/core/server";
import { UnitListSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

/** The district's units, for pickers (signed-in users only). */
export const unitRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  app.get("/units", { onRequest: auth.required, schema: { tags: ["units"], security: [{ bearerAuth: [] }], response: { 200: UnitListSchema } } }, async () =>
    listUnits(deps),
  );
};
