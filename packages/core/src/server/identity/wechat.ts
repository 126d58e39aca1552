import { z } from "zod";
import { WechatCodeSchema } from "../../domain/schemas/auth.ts";
import type { UserView } from "../../domain/units.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit.ts";
import type { Deps } from "../deps.ts";
import { toUserView, type Actor } from "./actor.ts";
import { issueSession, recordSessionDevice } from "./sessions.ts";

/** The outside identity provider name of a WeChat mini-program user (Identity.provider). */
export const WECHAT_PROVIDER = "wechat";

/** What `code2session` tells about a `wx.login` code: the user's openid in this mini-program. */
export interface WechatSession {
  openid: string;
  unionid?: string;
}

/**
 * The one thing the product asks WeChat: exchange a `wx.login` code for the user's openid. Behind
 * an interface so tests (and a district without WeChat) pass their own; the session_key WeChat also
 * returns is never kept or passed on.
 * Throws AppError `unauthorized` (reason `wechat_code_invalid`) for a used, expired or forged code,
 * and `upstream_unavailable` when WeChat is busy or cannot be reached.
 */
export interface WechatClient {
  code2session(code: string): Promise<WechatSession>;
}

/** Configuration of the real client: base URL (https://api.weixin.qq.com), app id and secret. */
export interface WechatClientConfig {
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const Code2SessionReply = z.object({
  openid: z.string().min(1).max(128).optional(),
  unionid: z.string().min(1).max(128).optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});

function unavailable(reason: string): AppError {
  return new AppError("upstream_unavailable", { messageKey: "wechat-unavailable", reason });
}

/**
 * The real client: `GET <baseUrl>/sns/jscode2session?appid&secret&js_code&grant_type=authorization_code`.
 * WeChat takes the secret in the query string (its API, not our choice): this request URL is never
 * logged, and errors carry only WeChat's errcode, never the URL.
 */
export function createWechatClient(config: WechatClientConfig): WechatClient {
  const doFetch = config.fetch ?? fetch;
  const base = config.baseUrl.replace(/\/+$/, "");
  return {
    async code2session(code) {
      const checked = WechatCodeSchema.safeParse(code);
      if (!checked.success) throw new AppError("unauthorized", { messageKey: "wechat-code-invalid", reason: "wechat_code_invalid" });
      const query = new URLSearchParams({ appid: config.appId, secret: config.secret, js_code: checked.data, grant_type: "authorization_code" });
      let text: string;
      try {
        const res = await doFetch(`${base}/sns/jscode2session?${query.toString()}`, { signal: AbortSignal.timeout(config.timeoutMs ?? 5000) });
        if (!res.ok) throw unavailable(`wechat_http_${res.status}`);
        text = await res.text();
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw unavailable("wechat_unreachable");
      }
      let body: z.infer<typeof Code2SessionReply>;
      try {
        body = Code2SessionReply.parse(JSON.parse(text));
      } catch {
        throw unavailable("wechat_bad_reply");
      }
      if (body.errcode && body.errcode !== 0) {
        // -1 busy, 45011 rate limited: try again later. 40029 invalid code, 40163 code used, 40226 high-risk user: refused.
        if (body.errcode === -1 || body.errcode === 45011) throw unavailable(`wechat_errcode_${body.errcode}`);
        throw new AppError("unauthorized", { messageKey: "wechat-code-invalid", reason: "wechat_code_invalid" });
      }
      if (!body.openid) throw unavailable("wechat_bad_reply");
      return { openid: body.openid, ...(body.unionid ? { unionid: body.unionid } : {}) };
    },
  };
}

/**
 * Signs a returning WeChat user in: exchanges the `wx.login` code and finds the user bound to that
 * openid (bound on their first login with an invite or link code). An openid bound to nobody gets
 * 404 `wechat_not_bound`, so the mini-app shows the invite login; accounts are created only by invites.
 * Disabled users get the same 404 (the hot path returns only active users).
 */
export async function loginWithWechat(
  deps: Deps,
  wechat: WechatClient,
  code: string,
  device: { userAgent?: string | undefined } = {},
): Promise<{ token: string; user: UserView }> {
  const { openid } = await wechat.code2session(code);
  const actor = await deps.identity.actorByIdentity(WECHAT_PROVIDER, openid);
  if (!actor) {
    await writeAudit(deps.db.prisma, deps.clock, { action: "session.wechat", result: "wechat_not_bound" });
    throw new AppError("not_found", { messageKey: "wechat-not-bound", reason: "wechat_not_bound" });
  }
  const token = await deps.db.prisma.$transaction(async (tx) => {
    const issued = await issueSession(deps, tx, actor.userId, "wechat");
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "session.wechat", result: "ok" });
    return issued;
  });
  await recordSessionDevice(deps, token, device.userAgent);
  return { token, user: toUserView(actor) };
}

/**
 * The openid of a code, checked to be free for this user BEFORE an invite is spent on it: a login
 * page sends the invite and a fresh `wx.login` code together, and a code that fails (or an openid
 * that already belongs to another person) must not consume the invite.
 */
export async function resolveWechatOpenid(deps: Deps, wechat: WechatClient, code: string): Promise<string> {
  const { openid } = await wechat.code2session(code);
  const taken = await deps.db.prisma.identity.findUnique({ where: { provider_subject: { provider: WECHAT_PROVIDER, subject: openid } } });
  if (taken) throw new AppError("conflict", { messageKey: "wechat-taken", reason: "wechat_taken" });
  return openid;
}

/**
 * Binds an openid to a user (first login with an invite or a link code), so the next time `wx.login`
 * alone signs them in. Binding the same openid to the same user again is harmless; an openid of
 * another user is 409 `wechat_taken` (one WeChat account, one person). A user keeps one WeChat
 * binding: a new one replaces the old (a new phone with another WeChat account).
 */
export async function bindWechat(deps: Deps, actor: Actor, openid: string): Promise<void> {
  await deps.db.prisma.$transaction(async (tx) => {
    const existing = await tx.identity.findUnique({ where: { provider_subject: { provider: WECHAT_PROVIDER, subject: openid } } });
    if (existing) {
      if (existing.userId !== actor.userId) throw new AppError("conflict", { messageKey: "wechat-taken", reason: "wechat_taken" });
      return;
    }
    await tx.identity.deleteMany({ where: { provider: WECHAT_PROVIDER, userId: actor.userId } });
    await tx.identity.create({ data: { provider: WECHAT_PROVIDER, subject: openid, userId: actor.userId, createdAt: deps.clock.now() } });
    await writeAudit(tx, deps.clock, { userId: actor.userId, unitId: actor.unitId, action: "identity.wechat_bind", result: "ok" });
  });
}
