import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import AdminPage from "../src/pages/admin/index";
import { useInviteForm, inviteInput } from "../src/features/admin/use-invite-form";
import { useInviteActions } from "../src/features/admin/use-invite-actions";
import type { InviteView } from "../src/features/admin/api";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";

const invite = (over: Partial<InviteView> = {}): InviteView => ({
  id: "inv1", unit: { code: "dongcun", name: "幸福镇东村村委会" }, roles: ["reporter", "checker"], name: "王芳", label: null, status: "active",
  createdAt: "2026-11-20T02:00:00Z", expiresAt: "2026-12-04T02:00:00Z", usedAt: null, usedBy: null, ...over,
});
const units = [
  { code: "dongcun", name: "幸福镇东村村委会", type: "village", parent: "xingfu" },
  { code: "jiaojing", name: "交警大队", type: "traffic_police", parent: null },
];

type Call = { url: string; method?: string; data?: unknown };
function routeApi(routes: (call: Call) => { statusCode: number; data: unknown } | undefined) {
  const request = vi.mocked(Taro.request);
  request.mockImplementation((async (call: Call) => routes(call) ?? { statusCode: 404, data: { error: { code: "not_found", message: "no route" } } }) as never);
  return request;
}
const calls = (method: string, path: string) =>
  vi.mocked(Taro.request).mock.calls.map((c) => c[0] as Call).filter((c) => (c.method ?? "GET") === method && c.url.includes(path));

beforeEach(() => {
  setLocale("zh-CN");
  setSession("tok", { id: "a1", name: "管理员", unit: { code: "caizheng", name: "财政局", type: "finance_bureau" }, roles: ["admin"] });
});
afterEach(() => clearSession());

describe("invite form", () => {
  it("shows the shared schema's messages next to unit, roles and days, and sends nothing", async () => {
    const createInvite = vi.fn();
    const { result } = renderHook(() => useInviteForm({ createInvite }));
    act(() => result.current.set({ days: "120" }));
    await act(() => result.current.submit());
    expect(result.current.fields.unit).toBe("请选择单位");
    expect(result.current.fields.roles).toBe("至少选择一个角色");
    expect(result.current.fields.days).toBe("最多 90 天");
    expect(createInvite).not.toHaveBeenCalled();
  });

  it("leaves blank optional fields out so the schema applies its default", () => {
    expect(inviteInput({ unit: "dongcun", roles: ["reporter"], name: " ", days: "" })).toEqual({ unit: "dongcun", roles: ["reporter"] });
    expect(inviteInput({ unit: "", roles: [], name: "王芳", days: "7" })).toEqual({ roles: [], name: "王芳", expiresInDays: 7 });
  });

  it("puts the API's field errors next to the field, and nothing else on top", async () => {
    const { ApiError } = await import("../src/lib/request");
    const createInvite = vi.fn(async () => {
      throw new ApiError(404, "not_found", "单位代码不存在", { unit: "单位代码不存在" });
    });
    const { result } = renderHook(() => useInviteForm({ createInvite }));
    act(() => result.current.set({ unit: "nowhere" }));
    act(() => result.current.toggleRole("reporter"));
    await act(() => result.current.submit());
    expect(createInvite).toHaveBeenCalledWith({ unit: "nowhere", roles: ["reporter"], expiresInDays: 14 });
    expect(result.current.fields.unit).toBe("单位代码不存在");
    expect(result.current.error).toBeNull();
  });
});

describe("admin page", () => {
  it("tells a coordinator which role the page needs, with a way home", () => {
    setSession("tok", { id: "c1", name: "陈", unit: { code: "caizheng", name: "财政局", type: "finance_bureau" }, roles: ["coordinator"] });
    render(<AdminPage />);
    expect(document.getElementById("guard-role")!.textContent).toContain("“管理员”");
    fireEvent.click(document.getElementById("guard-home")!);
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: "/pages/index/index" });
  });

  it("offers the login to a visitor who is not signed in", () => {
    clearSession();
    render(<AdminPage />);
    fireEvent.click(document.getElementById("guard-login")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/login/index" });
  });

  it("renders validation messages under the fields on the page", async () => {
    routeApi((c) => (c.url.endsWith("/api/v1/units") ? { statusCode: 200, data: units } : c.url.includes("/admin/") ? { statusCode: 200, data: [] } : undefined));
    render(<AdminPage />);
    await waitFor(() => expect(calls("GET", "/api/v1/units")).toHaveLength(1));
    fireEvent.click(document.getElementById("invite-submit")!);
    expect(document.getElementById("invite-unit-error")!.textContent).toBe("请选择单位");
    expect(document.getElementById("invite-roles-error")!.textContent).toBe("至少选择一个角色");
    expect(document.getElementById("invite-submit-feedback")!.textContent).toContain("2 处需要修改");
    expect(calls("POST", "/admin/invites")).toHaveLength(0);
    fireEvent.click(document.getElementById("invite-role-reporter")!);
    expect(document.getElementById("invite-roles-error")).toBeNull();
  });

  it("creates an invite and shows its code once, grouped, with copy and the bot command", async () => {
    routeApi((c) => {
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: units };
      if (c.method === "POST" && c.url.endsWith("/admin/invites")) return { statusCode: 201, data: { code: "K7M2QX9PRT", invite: invite({ roles: ["reporter"] }) } };
      if (c.url.includes("/admin/invites")) return { statusCode: 200, data: [invite()] };
      if (c.url.includes("/admin/units")) return { statusCode: 200, data: [] };
      return undefined;
    });
    render(<AdminPage />);
    await waitFor(() => expect(calls("GET", "/api/v1/units")).toHaveLength(1));
    fireEvent.click(document.getElementById("invite-unit-pick")!);
    fireEvent.click(await screen.findByText("幸福镇东村村委会", { selector: "#invite-unit-options span" }));
    fireEvent.click(document.getElementById("invite-role-reporter")!);
    fireEvent.change(document.querySelector("#invite-name")!, { target: { value: "王芳" } });
    fireEvent.click(document.getElementById("invite-submit")!);
    await waitFor(() => expect(document.getElementById("issued-code-value")?.textContent).toBe("K7M2-QX9P-RT"));
    expect(calls("POST", "/admin/invites")[0]!.data).toEqual({ unit: "dongcun", roles: ["reporter"], name: "王芳", expiresInDays: 14 });
    expect(document.getElementById("issued-code-bot")!.textContent).toBe("在机器人中发送：/start K7M2QX9PRT");
    fireEvent.click(document.getElementById("issued-copy")!);
    await waitFor(() => expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: "K7M2QX9PRT" }));
    await screen.findByText("已复制");
    // The list shows roles in Chinese, the status and the expiry.
    const item = document.getElementById("invite-inv1")!;
    expect(item.textContent).toContain("信息报送员、凭证核验员 · 王芳");
    expect(item.textContent).toContain("可用");
    expect(item.textContent).toContain("有效期至 2026-12-04");
  });

  it("filters by status and shows who used an invite, with no actions on a used one", async () => {
    routeApi((c) => {
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: units };
      if (c.url.includes("status=used")) return { statusCode: 200, data: [invite({ id: "u1", status: "used", usedAt: "2026-11-21T03:00:00Z", usedBy: "王芳" })] };
      if (c.url.includes("/admin/")) return { statusCode: 200, data: [] };
      return undefined;
    });
    render(<AdminPage />);
    await screen.findByText("没有符合条件的邀请码。");
    fireEvent.click(document.getElementById("invite-filter-status-used")!);
    await screen.findByText("王芳 于 2026-11-21 使用");
    expect(document.getElementById("invite-revoke-u1")).toBeNull();
    expect(document.getElementById("invite-reissue-u1")).toBeNull();
  });

  it("revokes after the admin confirms and re-issues with a new code shown", async () => {
    const showModal = vi.mocked(Taro.showModal);
    routeApi((c) => {
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: units };
      if (c.url.endsWith("/inv1/revoke")) return { statusCode: 200, data: { id: "inv1", status: "revoked" } };
      if (c.url.endsWith("/inv1/reissue")) return { statusCode: 201, data: { code: "ABCDEFGHJK", invite: invite({ id: "inv2" }) } };
      if (c.url.includes("/admin/invites")) return { statusCode: 200, data: [invite()] };
      if (c.url.includes("/admin/units")) return { statusCode: 200, data: [] };
      return undefined;
    });
    render(<AdminPage />);
    await screen.findByText("作废");
    fireEvent.click(document.getElementById("invite-revoke-inv1")!);
    await screen.findByText("邀请码已作废。");
    expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ content: "作废 幸福镇东村村委会 的这个邀请码？作废后不能再用于登录。" }));
    expect(calls("POST", "/inv1/revoke")).toHaveLength(1);

    fireEvent.click(document.getElementById("invite-reissue-inv1")!);
    await waitFor(() => expect(document.getElementById("issued-code-value")?.textContent).toBe("ABCD-EFGH-JK"));
    await screen.findByText("已重新发放，旧邀请码已失效。");
  });
});

describe("invite actions", () => {
  it("does nothing when the admin cancels a revoke, and shows a refused re-issue's message", async () => {
    const { ApiError } = await import("../src/lib/request");
    const deps = {
      revokeInvite: vi.fn(),
      reissueInvite: vi.fn(async () => {
        throw new ApiError(409, "conflict", "邀请码已被使用");
      }),
      confirm: vi.fn(async () => false),
    };
    const changed = vi.fn();
    const issued = vi.fn();
    const { result } = renderHook(() => useInviteActions(deps, changed, issued));
    await act(() => result.current.revoke(invite()));
    expect(deps.revokeInvite).not.toHaveBeenCalled();
    await act(() => result.current.reissue(invite()));
    expect(result.current.outcome).toEqual({ id: "inv1", ok: false, text: "邀请码已被使用" });
    expect(issued).not.toHaveBeenCalled();
    expect(changed).not.toHaveBeenCalled();
  });
});

describe("unit management", () => {
  const adminUnits = [
    { code: "xingfu", name: "幸福镇", type: "town", parent: null, active: true },
    { code: "anle", name: "安乐镇", type: "town", parent: null, active: true },
    { code: "dongcun", name: "幸福镇东村村委会", type: "village", parent: "xingfu", active: true },
    { code: "old", name: "旧村委会", type: "village", parent: "xingfu", active: false },
  ];

  it("checks a new committee with the shared schema: its town is asked for by name", async () => {
    routeApi((c) => {
      if (c.url.endsWith("/admin/units") && c.method === "POST") return { statusCode: 201, data: { code: "village-abc123", name: "幸福镇南村村委会", type: "village", parent: "xingfu", active: true } };
      if (c.url.endsWith("/admin/units")) return { statusCode: 200, data: adminUnits };
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: units };
      return { statusCode: 200, data: [] };
    });
    render(<AdminPage />);
    fireEvent.click(document.getElementById("units-toggle")!);
    await screen.findByText("旧村委会");
    expect(document.getElementById("unit-old")!.textContent).toContain("已停用");
    await act(async () => void fireEvent.click(document.getElementById("unit-submit")!));
    expect(document.getElementById("unit-name-error")!.textContent).toBe("请填写单位名称");
    expect(document.getElementById("unit-type-error")!.textContent).toBe("请选择单位类型");
    fireEvent.change(document.querySelector("#unit-name")!, { target: { value: "幸福镇南村村委会" } });
    fireEvent.click(document.getElementById("unit-type-village")!);
    await act(async () => void fireEvent.click(document.getElementById("unit-submit")!));
    expect(document.getElementById("unit-parent-error")!.textContent).toBe("村委会和居委会要选所属的镇或街道");
    fireEvent.click(document.getElementById("unit-parent-pick")!);
    fireEvent.click(screen.getByText("幸福镇", { selector: "#unit-parent-options span" }));
    await act(async () => void fireEvent.click(document.getElementById("unit-submit")!));
    await screen.findByText("已新增“幸福镇南村村委会”");
    expect(calls("POST", "/admin/units")[0]!.data).toEqual({ name: "幸福镇南村村委会", type: "village", parent: "xingfu" });
  });

  it("renames and moves a village, and deactivates only after the admin confirms", async () => {
    routeApi((c) => {
      if (c.method === "PATCH") return { statusCode: 200, data: { ...adminUnits[2], name: "安乐镇东村村委会", parent: "anle" } };
      if (c.url.endsWith("/deactivate")) return { statusCode: 200, data: { ...adminUnits[2], active: false } };
      if (c.url.endsWith("/admin/units")) return { statusCode: 200, data: adminUnits };
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: units };
      return { statusCode: 200, data: [] };
    });
    vi.mocked(Taro.showModal).mockResolvedValueOnce({ confirm: false, cancel: true } as never);
    render(<AdminPage />);
    fireEvent.click(document.getElementById("units-toggle")!);
    fireEvent.click(await screen.findByText("修改 ›", { selector: "#unit-edit-dongcun span" }));
    fireEvent.change(document.querySelector("#unit-rename")!, { target: { value: "安乐镇东村村委会" } });
    fireEvent.click(document.getElementById("unit-move-pick")!);
    fireEvent.click(screen.getByText("安乐镇", { selector: "#unit-move-options span" }));
    await act(async () => void fireEvent.click(document.getElementById("unit-save")!));
    await screen.findByText("已保存");
    expect(calls("PATCH", "/admin/units/dongcun")[0]!.data).toEqual({ name: "安乐镇东村村委会", parent: "anle" });

    fireEvent.click(await screen.findByText("修改 ›", { selector: "#unit-edit-dongcun span" }));
    await act(async () => void fireEvent.click(document.getElementById("unit-deactivate")!));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledTimes(1));
    expect(calls("POST", "/deactivate")).toHaveLength(0);
    fireEvent.click(document.getElementById("unit-deactivate")!);
    await screen.findByText("已停用“幸福镇东村村委会”");
    expect(calls("POST", "/admin/units/dongcun/deactivate")).toHaveLength(1);
  });
});
