import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { LinkRedeemSchema, RedeemSchema } from "@xieshui/core";
import { AppError, loginWithTelegramWebApp, redeemInvite, redeemLinkCodeForSession, revokeSession } from "@xieshui/core/server";
import { bearerToken } from "../plugins/auth.ts";
import { NoBodySchema, SessionResponseSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

/** `POST /auth/telegram-webapp`: the raw `Telegram.WebApp.initData` string. */
export const TelegramWebAppLoginSchema = z.strictObject({ initData: z.string().min(1).max(8192) });

/** Sign-in and sign-out: invite codes, link codes from the bot, Telegram Mini App init data. */
export const authRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, config, auth, authLimiter }) => {
  app.post(
    "/auth/redeem",
    { onRequest: authLimiter.hook, schema: { tags: ["auth"], body: RedeemSchema, response: { 200: SessionResponseSchema } } },
    async (request) => {
      const { user, token } = await redeemInvite(deps, request.body, { kind: "miniapp" });
      if (!token) throw new AppError("internal", { reason: "no_session_issued" });
      return { token, user };
    },
  );

  app.post(
    "/auth/link",
    { onRequest: authLimiter.hook, schema: { tags: ["auth"], body: LinkRedeemSchema, response: { 200: SessionResponseSchema } } },
    async (request) => redeemLinkCodeForSession(deps, request.body.code, "miniapp"),
  );

  app.post(
    "/auth/telegram-webapp",
    { onRequest: authLimiter.hook, schema: { tags: ["auth"], body: TelegramWebAppLoginSchema, response: { 200: SessionResponseSchema } } },
    async (request) => {
      if (!config.telegramBotToken) throw new AppError("not_found", { messageKey: "telegram-login-unavailable", reason: "telegram_not_configured" });
      return loginWithTelegramWebApp(deps, request.body.initData, config.telegramBotToken);
    },
  );

  app.post(
    "/auth/logout",
    { onRequest: auth.required, schema: { tags: ["auth"], security: [{ bearerAuth: [] }], body: NoBodySchema, response: { 204: z.undefined() } } },
    async (request, reply) => {
      const token = bearerToken(request);
      if (token) await revokeSession(deps, token);
      return reply.status(204).send();
    },
  );
};
