import { z } from "zod";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { LinkRedeemSchema, RedeemSchema, WechatLoginSchema, type UserView } from "@xieshui/core";
import {
  AppError,
  bindWechat,
  loginWithTelegramWebApp,
  loginWithWechat,
  recordSessionDevice,
  redeemInvite,
  redeemLinkCodeForSession,
  resolveWechatOpenid,
  revokeSession,
  type Deps,
  type WechatClient,
} from "@xieshui/core/server";
import type { FastifyRequest } from "fastify";
import { bearerToken } from "../plugins/auth.ts";
import { NoBodySchema, SessionResponseSchema } from "../schemas.ts";
import type { RouteContext } from "./context.ts";

/** `POST /auth/telegram-webapp`: the raw `Telegram.WebApp.initData` string. */
export const TelegramWebAppLoginSchema = z.strictObject({ initData: z.string().min(1).max(8192) });

function userAgentOf(request: FastifyRequest): string | undefined {
  const ua = request.headers["user-agent"];
  return typeof ua === "string" ? ua : undefined;
}

function wechatOf(wechat: WechatClient | undefined): WechatClient {
  if (!wechat) throw new AppError("not_found", { messageKey: "wechat-login-unavailable", reason: "wechat_not_configured" });
  return wechat;
}

/**
 * A sign-in with an invite or link code that also binds WeChat (the WeChat build sends a fresh
 * `wechatCode`): the code is exchanged and checked BEFORE the invite is spent, then the openid is
 * bound to the user, so the next launch signs in with `wx.login` alone.
 */
async function signInBindingWechat(
  deps: Deps,
  wechat: WechatClient | undefined,
  wechatCode: string | undefined,
  signIn: () => Promise<{ token: string; user: UserView }>,
): Promise<{ token: string; user: UserView }> {
  const openid = wechatCode ? await resolveWechatOpenid(deps, wechatOf(wechat), wechatCode) : null;
  const result = await signIn();
  if (openid) {
    const actor = await deps.identity.actorByUserId(result.user.id);
    if (actor) await bindWechat(deps, actor, openid);
  }
  return result;
}

/** Sign-in and sign-out: invite codes, link codes from the bot, Telegram Mini App init data, WeChat's wx.login. */
export const authRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { deps, config, auth, authLimiter }) => {
  app.post(
    "/auth/redeem",
    { onRequest: authLimiter.hook, schema: { tags: ["auth"], body: RedeemSchema, response: { 200: SessionResponseSchema } } },
    async (request) => {
      const { wechatCode, ...invite } = request.body;
      const result = await signInBindingWechat(deps, config.wechat, wechatCode, async () => {
        const { user, token } = await redeemInvite(deps, invite, { kind: "miniapp" });
        if (!token) throw new AppError("internal", { reason: "no_session_issued" });
        return { user, token };
      });
      await recordSessionDevice(deps, result.token, userAgentOf(request));
      return result;
    },
  );

  app.post(
    "/auth/link",
    { onRequest: authLimiter.hook, schema: { tags: ["auth"], body: LinkRedeemSchema, response: { 200: SessionResponseSchema } } },
    async (request) => {
      const result = await signInBindingWechat(deps, config.wechat, request.body.wechatCode, () => redeemLinkCodeForSession(deps, request.body.code, "miniapp"));
      await recordSessionDevice(deps, result.token, userAgentOf(request));
      return result;
    },
  );

  app.post(
    "/auth/telegram-webapp",
    { onRequest: authLimiter.hook, schema: { tags: ["auth"], body: TelegramWebAppLoginSchema, response: { 200: SessionResponseSchema } } },
    async (request) => {
      if (!config.telegramBotToken) throw new AppError("not_found", { messageKey: "telegram-login-unavailable", reason: "telegram_not_configured" });
      const result = await loginWithTelegramWebApp(deps, request.body.initData, config.telegramBotToken);
      await recordSessionDevice(deps, result.token, userAgentOf(request));
      return result;
    },
  );

  app.post(
    "/auth/wechat",
    {
      onRequest: authLimiter.hook,
      schema: {
        tags: ["auth"],
        summary: "WeChat mini-program sign-in: a fresh wx.login code; 404 wechat_not_bound until the first login with an invite or link code binds the account",
        body: WechatLoginSchema,
        response: { 200: SessionResponseSchema },
      },
    },
    async (request) => loginWithWechat(deps, wechatOf(config.wechat), request.body.code, { userAgent: userAgentOf(request) }),
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
