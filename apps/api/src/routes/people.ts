import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { UnitCodeSchema } from "@xieshui/core";
import { searchPeople } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import type { RouteContext } from "./context.ts";

export const PeopleQuerySchema = z.object({ q: z.string().max(40).optional(), unit: UnitCodeSchema.optional() });
export const PersonOptionSchema = z.object({ id: z.string(), name: z.string(), unit: z.object({ code: z.string(), name: z.string() }) });

/** People by name for the back office's filters (inbox, check log): names are shown, ids stay internal. */
export const peopleRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  app.get(
    "/people",
    {
      onRequest: auth.roles("tax_officer", "coordinator", "admin"),
      schema: { tags: ["units"], security: [{ bearerAuth: [] }], summary: "?q=<part of a name or unit name>&unit=", querystring: PeopleQuerySchema, response: { 200: z.array(PersonOptionSchema) } },
    },
    async (request) => searchPeople(deps, actorOf(request), request.query),
  );
};
