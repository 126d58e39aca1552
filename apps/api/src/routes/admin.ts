import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { CreateInviteSchema, UnitCodeSchema } from "@xieshui/core";
import { createInvite, listInvites, reissueInvite, revokeInvite } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { InviteStatusSchema, InviteViewSchema, IssuedInviteSchema, NoBodySchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

export const ListInvitesQuerySchema = z.object({
  unit: UnitCodeSchema.optional(),
  status: InviteStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const InviteIdParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });
export const ReissueInviteSchema = z.strictObject({ expiresInDays: z.number().int().min(1).max(90).optional() }).nullish();

/** Invite management for admins; every route answers 401 without a session and 403 without the admin role. */
export const adminRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  app.addHook("onRequest", auth.roles("admin"));
  const security = [{ bearerAuth: [] }];

  app.get("/admin/invites", { schema: { tags: ["admin"], security, querystring: ListInvitesQuerySchema, response: { 200: z.array(InviteViewSchema) } } }, async (request) =>
    listInvites(deps, actorOf(request), request.query),
  );

  app.post("/admin/invites", { schema: { tags: ["admin"], security, body: CreateInviteSchema, response: { 201: IssuedInviteSchema } } }, async (request, reply) => {
    const issued = await createInvite(deps, actorOf(request), request.body);
    return reply.status(201).send(issued);
  });

  app.post(
    "/admin/invites/:id/revoke",
    { schema: { tags: ["admin"], security, params: InviteIdParamsSchema, body: NoBodySchema, response: { 200: z.object({ id: z.string(), status: z.literal("revoked") }) } } },
    async (request) => {
      await revokeInvite(deps, actorOf(request), request.params.id);
      return { id: request.params.id, status: "revoked" as const };
    },
  );

  app.post(
    "/admin/invites/:id/reissue",
    { schema: { tags: ["admin"], security, params: InviteIdParamsSchema, body: ReissueInviteSchema, response: { 201: IssuedInviteSchema } } },
    async (request, reply) => {
      const issued = await reissueInvite(deps, actorOf(request), request.params.id, request.body?.expiresInDays);
      return reply.status(201).send(issued);
    },
  );
};
