import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen } from "@testing-library/react";
import Taro from "@tarojs/taro";
import HomePage from "./index";
import { clearSession, setSession } from "../../lib/session";
import { setLocale } from "../../lib/i18n";

const unit = { code: "dongcun", name: "东村村委会", type: "village" as const };

describe("home page", () => {
  it("shows a reporter the report entry and no clearance check", () => {
    setLocale("zh-CN");
    setSession("tok", { id: "u1", name: "王芳", unit, roles: ["reporter"] });
    render(<HomePage />);
    expect(screen.getByText("报送信息")).toBeTruthy();
    expect(screen.getByText("承租房屋登记")).toBeTruthy();
    expect(screen.queryByText("核验凭证")).toBeNull();
    expect(screen.getByText("学习税法")).toBeTruthy();
    expect(screen.getByText("匿名举报")).toBeTruthy();
    expect(screen.getByText("王芳，东村村委会")).toBeTruthy();
    expect(screen.queryByText("管理")).toBeNull();
    clearSession();
  });

  it("shows an admin checker the check entry and the admin page", () => {
    setSession("tok", { id: "u2", name: "张伟", unit, roles: ["checker", "admin"] });
    render(<HomePage />);
    expect(screen.getByText("核验凭证")).toBeTruthy();
    expect(screen.queryByText("报送信息")).toBeNull();
    expect(screen.getByText("单位与邀请")).toBeTruthy();
    clearSession();
  });

  it("greets a user named after the unit with the unit only once", () => {
    setSession("tok", { id: "u3", name: "东村村委会信息报送员", unit, roles: ["reporter"] });
    render(<HomePage />);
    expect(screen.getByText("信息报送员，东村村委会")).toBeTruthy();
    clearSession();
  });

  it("invites visitors to sign in and opens the entry they tap", () => {
    setSession("tok", { id: "u1", name: "王芳", unit, roles: ["reporter"] });
    render(<HomePage />);
    fireEvent.click(document.getElementById("entry-report")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/report/index" });
    clearSession();
  });

  it("opens the anonymous tip page for a visitor, and the login", () => {
    clearSession();
    render(<HomePage />);
    expect(screen.queryByText("报送信息")).toBeNull();
    fireEvent.click(document.getElementById("entry-tip")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/tip/index" });
    fireEvent.click(document.getElementById("go-login")!);
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: "/pages/login/index" });
  });

  it("switches to English when the locale changes", () => {
    render(<HomePage />);
    act(() => setLocale("en"));
    expect(screen.getByText("Sign in")).toBeTruthy();
    act(() => setLocale("zh-CN"));
  });
});
