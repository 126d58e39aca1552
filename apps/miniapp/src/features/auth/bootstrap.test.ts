import { beforeEach, describe, expect, it, vi } from "vitest";
import Taro from "@tarojs/taro";
import { bootstrapSession, signOut } from "./bootstrap";
import { clearSession, getSession, setSession } from "../../lib/session";

const mockRequest = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn>;
const user = { id: "u1", name: "王芳", unit: { code: "dongcun", name: "东村村委会", type: "village" as const }, roles: ["reporter" as const] };

describe("bootstrapSession", () => {
  it("stays anonymous without a token outside Telegram and calls nothing", async () => {
    await expect(bootstrapSession()).resolves.toBe("anonymous");
    expect(mockRequest).not.toHaveBeenCalled();
  });

  it("refreshes the cached user from /me", async () => {
    setSession("tok", user);
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: { ...user, roles: ["reporter", "checker"] } });
    await expect(bootstrapSession()).resolves.toBe("signed-in");
    expect(getSession().user?.roles).toEqual(["reporter", "checker"]);
  });

  it("drops an expired session and asks for login", async () => {
    setSession("old", user);
    mockRequest.mockResolvedValueOnce({ statusCode: 401, data: { error: { code: "unauthorized", message: "请先登录" } } });
    await expect(bootstrapSession()).resolves.toBe("go-login");
    expect(getSession().token).toBeNull();
  });

  it("keeps the cached user when offline", async () => {
    setSession("tok", user);
    mockRequest.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await expect(bootstrapSession()).resolves.toBe("signed-in");
    expect(getSession().user?.name).toBe("王芳");
  });
});

describe("bootstrapSession in WeChat", () => {
  beforeEach(() => clearSession());

  it("signs a returning user in with wx.login alone", async () => {
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: { token: "wx-tok", user } });
    await expect(bootstrapSession({ wechatCode: async () => "0c1code" })).resolves.toBe("signed-in");
    const sent = mockRequest.mock.calls[0]![0] as { url: string; data: unknown; header: Record<string, string> };
    expect(sent.url).toBe("/api/v1/auth/wechat");
    expect(sent.data).toEqual({ code: "0c1code" });
    expect(sent.header.Authorization).toBeUndefined();
    expect(getSession()).toMatchObject({ token: "wx-tok", user: { name: "王芳" } });
  });

  it("stays on the invite login when the WeChat account is not bound yet, and after an expired session", async () => {
    mockRequest.mockResolvedValueOnce({ statusCode: 404, data: { error: { code: "not_found", reason: "wechat_not_bound", message: "这个微信还没有绑定账号" } } });
    await expect(bootstrapSession({ wechatCode: async () => "0c2code" })).resolves.toBe("anonymous");
    setSession("old", user);
    mockRequest.mockResolvedValueOnce({ statusCode: 401, data: { error: { code: "unauthorized", message: "请先登录" } } });
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: { token: "wx-tok2", user } });
    await expect(bootstrapSession({ wechatCode: async () => "0c3code" })).resolves.toBe("signed-in");
    expect(getSession().token).toBe("wx-tok2");
  });

  it("asks nothing of WeChat outside the WeChat build", async () => {
    const { wechatLoginCode } = await import("../../lib/wechat");
    const login = vi.fn(async () => ({ code: "x" }));
    await expect(wechatLoginCode({ weapp: () => false, login })).resolves.toBeNull();
    expect(login).not.toHaveBeenCalled();
    await expect(wechatLoginCode({ weapp: () => true, login })).resolves.toBe("x");
    await expect(wechatLoginCode({ weapp: () => true, login: async () => Promise.reject(new Error("no network")) })).resolves.toBeNull();
  });
});

describe("signOut", () => {
  it("clears the local session even when the server cannot be reached", async () => {
    setSession("tok", user);
    mockRequest.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await signOut();
    expect(getSession()).toEqual({ token: null, user: null });
  });
});
