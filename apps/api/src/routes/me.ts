import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { createLinkCode, endSession, listSessions, toUserView } from "@xieshui/core/server";
import { actorOf, bearerToken } from "../plugins/auth.ts";
import { localeOf } from "../plugins/locale.ts";
import { LinkCodeResponseSchema, NoBodySchema, UserViewSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

const SessionViewSchema = z.object({
  id: z.string(),
  channel: z.string(),
  channelLabel: z.string(),
  device: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});

/** The signed-in user: who am I, a one-time code to link the bot, and the devices I am signed in on. */
export const meRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  app.get("/me", { onRequest: auth.required, schema: { tags: ["me"], security, response: { 200: UserViewSchema } } }, async (request) =>
    toUserView(actorOf(request)),
  );
  app.post("/me/link-code", { onRequest: auth.required, schema: { tags: ["me"], security, body: NoBodySchema, response: { 200: LinkCodeResponseSchema } } }, async (request) =>
    createLinkCode(deps, actorOf(request)),
  );
  app.get(
    "/me/sessions",
    {
      onRequest: auth.required,
      schema: { tags: ["me"], security, summary: "The user's live sessions: channel, device, last use; `current` = this one", response: { 200: z.object({ sessions: z.array(SessionViewSchema) }) } },
    },
    async (request) => ({ sessions: await listSessions(deps, actorOf(request), bearerToken(request), { locale: localeOf(request) }) }),
  );
  app.post(
    "/me/sessions/:id/end",
    {
      onRequest: auth.required,
      schema: { tags: ["me"], security, summary: "Ends one of the user's sessions (the current one = sign out)", params: z.object({ id: z.string().min(1).max(40) }), body: NoBodySchema, response: { 204: z.undefined() } },
    },
    async (request, reply) => {
      await endSession(deps, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
};
