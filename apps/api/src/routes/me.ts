import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { createLinkCode, toUserView } from "@xieshui/core/server";
import { actorOf } from "../plugins/auth.ts";
import { LinkCodeResponseSchema, NoBodySchema, UserViewSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

/** The signed-in user: who am I, and a one-time code to link the bot to this account. */
export const meRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, auth }) => {
  const security = [{ bearerAuth: [] }];
  app.get("/me", { onRequest: auth.required, schema: { tags: ["me"], security, response: { 200: UserViewSchema } } }, async (request) =>
    toUserView(actorOf(request)),
  );
  app.post("/me/link-code", { onRequest: auth.required, schema: { tags: ["me"], security, body: NoBodySchema, response: { 200: LinkCodeResponseSchema } } }, async (request) =>
    createLinkCode(deps, actorOf(request)),
  );
};
