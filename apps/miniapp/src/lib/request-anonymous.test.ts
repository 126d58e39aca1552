import { beforeEach, describe, expect, it, vi } from "vitest";
import Taro from "@tarojs/taro";
import { request, setUnauthorizedHandler } from "./request";
import { getSession, setSession } from "./session";
import { setLocale } from "./i18n";
import { fileTip, tipStatus } from "../features/tip/api";

const mockRequest = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn>;
const staff = { id: "u1", name: "王芳", unit: { code: "v1", name: "东村村委会", type: "village" as const }, roles: ["tip_handler" as const] };
const lastCall = () => mockRequest.mock.calls.at(-1)?.[0] as { header: Record<string, string>; credentials?: string; url: string; data: unknown };

describe("anonymous requests (the tip pages)", () => {
  beforeEach(() => {
    setLocale("zh-CN");
    setSession("tok-staff", staff);
  });

  it("sends no bearer token and no cookies even when a staff member is signed in", async () => {
    mockRequest.mockResolvedValueOnce({ statusCode: 201, data: { receipt: "1234567890123456" } });
    await expect(fileTip({ category: "other", description: "有人出租房屋一直没有登记" })).resolves.toEqual({ receipt: "1234567890123456" });
    expect(lastCall().url).toBe("/api/v1/tips");
    expect(lastCall().header.Authorization).toBeUndefined();
    expect(lastCall().credentials).toBe("omit");
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: { status: "new", messages: [] } });
    await tipStatus("1234 5678 9012 3456");
    expect(lastCall().header.Authorization).toBeUndefined();
    expect(lastCall().data).toEqual({ receipt: "1234 5678 9012 3456" });
  });

  it("leaves the session alone when an anonymous call gets 401", async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    mockRequest.mockResolvedValueOnce({ statusCode: 401, data: { error: { code: "unauthorized", message: "x" } } });
    await expect(request("/api/v1/tips", { method: "POST", anonymous: true })).rejects.toMatchObject({ status: 401 });
    expect(getSession()?.token).toBe("tok-staff");
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it("still sends the token on ordinary requests", async () => {
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: {} });
    await request("/api/v1/me");
    expect(lastCall().header.Authorization).toBe("Bearer tok-staff");
    expect(lastCall().credentials).toBeUndefined();
  });
});
