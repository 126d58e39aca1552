import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CreateUnitSchema, UnitCodeSchema, UnitTypeSchema, UpdateUnitSchema } from "@xieshui/core";
import { createUnit, deactivateUnit, listUnits, updateUnit } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { NoBodySchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

/** A unit as the admin page manages it (deactivated ones included, marked). */
export const AdminUnitSchema = z.object({ code: z.string(), name: z.string(), type: UnitTypeSchema, parent: z.string().nullable(), active: z.boolean() });
export const UnitCodeParamsSchema = z.strictObject({ code: UnitCodeSchema });

/**
 * Unit management for admins (the admin tile promises it): list with deactivated units, add, rename
 * or move a committee to another town, deactivate. The use-cases check the role and write the audit.
 */
export const adminUnitRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  app.addHook("onRequest", auth.roles("admin"));
  const security = [{ bearerAuth: [] }];
  const tags = ["admin"];

  app.get("/admin/units", { schema: { tags, security, summary: "Every unit, deactivated ones included", response: { 200: z.array(AdminUnitSchema) } } }, async () =>
    listUnits(deps, { includeInactive: true }),
  );

  app.post("/admin/units", { schema: { tags, security, summary: "Add a unit (committees name their town)", body: CreateUnitSchema, response: { 201: AdminUnitSchema } } }, async (request, reply) =>
    reply.status(201).send(await createUnit(deps, actorOf(request), request.body, { locale: localeOf(request) })),
  );

  app.patch(
    "/admin/units/:code",
    { schema: { tags, security, summary: "Rename a unit or move a committee to another town", params: UnitCodeParamsSchema, body: UpdateUnitSchema, response: { 200: AdminUnitSchema } } },
    async (request) => updateUnit(deps, actorOf(request), request.params.code, request.body, { locale: localeOf(request) }),
  );

  app.post(
    "/admin/units/:code/deactivate",
    { schema: { tags, security, summary: "Deactivate a unit: no new invites, not offered in pickers, history kept", params: UnitCodeParamsSchema, body: NoBodySchema, response: { 200: AdminUnitSchema } } },
    async (request) => deactivateUnit(deps, actorOf(request), request.params.code),
  );
};
