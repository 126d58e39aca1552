import { describe, expect, it } from "vitest";
import Taro from "@tarojs/taro";
import { act, renderHook } from "@testing-library/react";
import { clearSession, getSession, getToken, setSession, updateUser, useSession } from "./session";

const user = { id: "u1", name: "李强", unit: { code: "tp", name: "交警大队", type: "traffic_police" as const }, roles: ["checker" as const] };

describe("session", () => {
  it("stores the token and user, and forgets both on clear", () => {
    setSession("tok", user);
    expect(getToken()).toBe("tok");
    expect(Taro.getStorageSync("xieshui.token")).toBe("tok");
    expect(Taro.getStorageSync("xieshui.user")).toEqual(user);
    clearSession();
    expect(getSession()).toEqual({ token: null, user: null });
    expect(Taro.getStorageSync("xieshui.token")).toBe("");
  });

  it("refreshes the user only while signed in", () => {
    updateUser(user);
    expect(getSession().user).toBeNull();
    setSession("tok", user);
    updateUser({ ...user, name: "李强强" });
    expect(getSession().user?.name).toBe("李强强");
    clearSession();
  });

  it("re-renders components on sign-in and sign-out", () => {
    const { result } = renderHook(() => useSession());
    expect(result.current.user).toBeNull();
    act(() => setSession("tok", user));
    expect(result.current.user?.name).toBe("李强");
    act(() => clearSession());
    expect(result.current.token).toBeNull();
  });
});
