import { describe, expect, it, vi } from "vitest";
import Taro from "@tarojs/taro";
import { bootstrapSession, signOut } from "./bootstrap";
import { getSession, setSession } from "../../lib/session";

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

describe("signOut", () => {
  it("clears the local session even when the server cannot be reached", async () => {
    setSession("tok", user);
    mockRequest.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await signOut();
    expect(getSession()).toEqual({ token: null, user: null });
  });
});
