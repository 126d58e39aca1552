import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import LoginPage from "../../pages/login/index";
import { getSession, clearSession } from "../../lib/session";
import { setLocale } from "../../lib/i18n";

const mockRequest = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn>;
const user = { id: "u1", name: "王芳", unit: { code: "dongcun", name: "东村村委会", type: "village" }, roles: ["reporter"] };

function type(id: string, value: string) {
  fireEvent.change(document.getElementById(id)!, { target: { value } });
}
const submit = () => fireEvent.click(document.getElementById("login-submit")!);

describe("login form", () => {
  it("shows the schema's message next to a malformed invite code and sends nothing", async () => {
    setLocale("zh-CN");
    render(<LoginPage />);
    type("login-code", "abc");
    submit();
    expect(document.getElementById("login-code-error")?.textContent).toBe("邀请码由 10 位字母和数字组成，例如 K7M2QX9PRT");
    expect(mockRequest).not.toHaveBeenCalled();
    type("login-code", "abcd");
    expect(document.getElementById("login-code-error")).toBeNull();
  });

  it("says the code is required when the field is empty", () => {
    render(<LoginPage />);
    submit();
    expect(document.getElementById("login-code-error")?.textContent).toBe("必填");
  });

  it("signs in with a well-formed code (typed loosely) and goes home", async () => {
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: { token: "tok", user } });
    render(<LoginPage />);
    type("login-code", "k7m2-qx9p-rt");
    type("login-name", "  王芳 ");
    submit();
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: "/pages/index/index" }));
    const sent = mockRequest.mock.calls[0]?.[0] as { url: string; data: unknown };
    expect(sent.url).toBe("/api/v1/auth/redeem");
    expect(sent.data).toEqual({ code: "K7M2QX9PRT", name: "王芳" });
    expect(getSession().token).toBe("tok");
    clearSession();
  });

  it("shows the server's field error next to the field and says so next to the button", async () => {
    mockRequest.mockResolvedValueOnce({
      statusCode: 400,
      data: { error: { code: "invalid_input", message: "填写的内容有误，请按提示修改", fields: { code: "邀请码已过期，请联系管理员重新发放" } } },
    });
    render(<LoginPage />);
    type("login-code", "K7M2QX9PRT");
    submit();
    await screen.findByText("邀请码已过期，请联系管理员重新发放");
    expect(document.getElementById("login-code-error")?.textContent).toBe("邀请码已过期，请联系管理员重新发放");
    expect(document.getElementById("login-submit-feedback")?.textContent).toContain("1 处需要修改");
    expect(getSession().token).toBeNull();
  });

  it("validates a link code with the link schema and posts it to /auth/link", async () => {
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: { token: "tok2", user } });
    render(<LoginPage />);
    fireEvent.click(document.getElementById("tab-link")!);
    expect(document.getElementById("login-name")).toBeNull();
    type("login-code", "K7M2QX9PRT");
    submit();
    expect(document.getElementById("login-code-error")?.textContent).toBe("绑定码由 8 位字母和数字组成");
    type("login-code", "ab23cd45");
    submit();
    await waitFor(() => expect(getSession().token).toBe("tok2"));
    expect((mockRequest.mock.calls[0]?.[0] as { url: string }).url).toBe("/api/v1/auth/link");
    clearSession();
  });

  it("shows a network failure on top of the form", async () => {
    mockRequest.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    render(<LoginPage />);
    type("login-code", "K7M2QX9PRT");
    submit();
    expect(await screen.findByText("网络连接失败，请检查网络后重试")).toBeTruthy();
  });
});

describe("login form in WeChat", () => {
  it("sends a fresh wx.login code with the invite, so the next launch needs no code", async () => {
    const { renderHook, act } = await import("@testing-library/react");
    const { useLoginForm } = await import("./use-login-form");
    mockRequest.mockResolvedValueOnce({ statusCode: 200, data: { token: "tok3", user } });
    const onSignedIn = vi.fn();
    const { result } = renderHook(() => useLoginForm(onSignedIn, { wechatCode: async () => "0c9wxcode" }));
    act(() => result.current.setValue("code", "K7M2QX9PRT"));
    await act(() => result.current.submit());
    expect((mockRequest.mock.calls[0]?.[0] as { data: unknown }).data).toEqual({ code: "K7M2QX9PRT", wechatCode: "0c9wxcode" });
    expect(onSignedIn).toHaveBeenCalled();
    clearSession();
  });
});
