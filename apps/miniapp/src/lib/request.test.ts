import { beforeEach, describe, expect, it, vi } from "vitest";
import Taro from "@tarojs/taro";
import { t } from "@xieshui/core";
import { ApiError, request, setUnauthorizedHandler, toApiError } from "./request";
import { getSession, setSession } from "./session";
import { setLocale } from "./i18n";

const mockRequest = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn>;
const user = { id: "u1", name: "王芳", unit: { code: "v1", name: "东村村委会", type: "village" as const }, roles: ["reporter" as const] };

function respond(statusCode: number, data: unknown) {
  mockRequest.mockResolvedValueOnce({ statusCode, data });
}

describe("request", () => {
  beforeEach(() => {
    setLocale("zh-CN");
    setUnauthorizedHandler(null);
  });

  it("sends JSON with the bearer token and the chosen language to a same-origin path", async () => {
    setSession("tok-1", user);
    setLocale("en");
    respond(200, { ok: true });
    await expect(request("/api/v1/me")).resolves.toEqual({ ok: true });
    const options = mockRequest.mock.calls[0]?.[0] as { url: string; method: string; header: Record<string, string> };
    expect(options.url).toBe("/api/v1/me");
    expect(options.method).toBe("GET");
    expect(options.header.Authorization).toBe("Bearer tok-1");
    expect(options.header["Accept-Language"]).toBe("en");
  });

  it("always sends a JSON body on writes and leaves the token off when auth is false", async () => {
    setSession("tok-1", user);
    respond(204, null);
    await expect(request("/api/v1/auth/logout", { method: "POST" })).resolves.toBeUndefined();
    respond(200, {});
    await request("/api/v1/auth/redeem", { method: "POST", data: { code: "X" }, auth: false });
    const [first, second] = mockRequest.mock.calls.map((c) => c[0] as { data: unknown; header: Record<string, string> });
    expect(first?.data).toEqual({});
    expect(first?.header["Content-Type"]).toBe("application/json");
    expect(second?.header.Authorization).toBeUndefined();
  });

  it("maps the API error body to an ApiError with field messages", async () => {
    respond(400, { error: { code: "invalid_input", message: "填写的内容有误", fields: { code: "邀请码不存在", bad: 3 }, reason: "unknown" } });
    const err = await request("/api/v1/auth/redeem", { method: "POST", data: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: "invalid_input", message: "填写的内容有误", fields: { code: "邀请码不存在" }, reason: "unknown" });
  });

  it("gives a localised message when the body is not the API's shape (proxy page, text)", () => {
    expect(toApiError(502, "<html>Bad gateway</html>", "zh-CN")).toMatchObject({ code: "internal", message: "系统出现问题，请稍后再试；数据没有丢失", fields: {} });
    expect(toApiError(429, null, "en")).toMatchObject({ code: "rate_limited", message: t("en", "error-rate-limited") });
    expect(toApiError(400, JSON.stringify({ error: { code: "invalid_input", message: "bad" } }), "en").message).toBe("bad");
  });

  it("turns a network failure into a clear message", async () => {
    mockRequest.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    const err = await request("/api/v1/me").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: "network", message: "网络连接失败，请检查网络后重试" });
  });

  it("clears the session and calls the 401 handler when a signed-in call is rejected", async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    setSession("expired", user);
    respond(401, { error: { code: "unauthorized", message: "请先登录" } });
    await expect(request("/api/v1/me")).rejects.toMatchObject({ status: 401 });
    expect(getSession()).toEqual({ token: null, user: null });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it("does not redirect on a 401 of an anonymous call (a wrong link code)", async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    respond(401, { error: { code: "unauthorized", message: "no" } });
    await expect(request("/api/v1/auth/link", { method: "POST", data: {}, auth: false })).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });
});
