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
    expect(result.current.fields.unit).toBe("必填");
    expect(result.current.fields.roles).toBe("至少选择一个角色");
    expect(result.current.fields.days).toBeTruthy();
    expect(createInvite).not.toHaveBeenCalled();
  });

  it("leaves blank optional fields out so the schema applies its default", () => {
    expect(inviteInput({ unit: "dongcun", roles: ["reporter"], name: " ", days: "" })).toEqual({ unit: "dongcun", roles: ["reporter"] });
    expect(inviteInput({ unit: "", roles: [], name: "王芳", days: "7" })).toEqual({ roles: [], name: "王芳", expiresInDays: 7 });
  });

  it("puts the API's field errors next to the field and its message on top", async () => {
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
    expect(result.current.error).toBe("单位代码不存在");
  });
});

describe("admin page", () => {
  it("is closed to a coordinator", () => {
    setSession("tok", { id: "c1", name: "陈", unit: { code: "caizheng", name: "财政局", type: "finance_bureau" }, roles: ["coordinator"] });
    render(<AdminPage />);
    expect(screen.getByText("您的角色或单位无权进行此操作")).toBeTruthy();
  });

  it("renders validation messages under the fields on the page", async () => {
    routeApi((c) => (c.url.endsWith("/api/v1/units") ? { statusCode: 200, data: units } : c.url.includes("/admin/invites") ? { statusCode: 200, data: [] } : undefined));
    render(<AdminPage />);
    await screen.findByText("交警大队");
    fireEvent.click(document.getElementById("invite-submit")!);
    expect(document.getElementById("invite-unit-error")!.textContent).toBe("必填");
    expect(document.getElementById("invite-roles-error")!.textContent).toBe("至少选择一个角色");
    expect(calls("POST", "/admin/invites")).toHaveLength(0);
    fireEvent.click(document.getElementById("invite-role-reporter")!);
    expect(document.getElementById("invite-roles-error")).toBeNull();
  });

  it("creates an invite and shows its code once, grouped, with copy and the bot command", async () => {
    routeApi((c) => {
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: units };
      if (c.method === "POST" && c.url.endsWith("/admin/invites")) return { statusCode: 201, data: { code: "K7M2QX9PRT", invite: invite({ roles: ["reporter"] }) } };
      if (c.url.includes("/admin/invites")) return { statusCode: 200, data: [invite()] };
      return undefined;
    });
    render(<AdminPage />);
    fireEvent.click(await screen.findByText("幸福镇东村村委会", { selector: "#invite-unit span" }));
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
      if (c.url.includes("/admin/invites")) return { statusCode: 200, data: [] };
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
    const showModal = vi.fn(async () => ({ confirm: true, cancel: false }));
    (Taro as unknown as { showModal: typeof showModal }).showModal = showModal;
    routeApi((c) => {
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: units };
      if (c.url.endsWith("/inv1/revoke")) return { statusCode: 200, data: { id: "inv1", status: "revoked" } };
      if (c.url.endsWith("/inv1/reissue")) return { statusCode: 201, data: { code: "ABCDEFGHJK", invite: invite({ id: "inv2" }) } };
      if (c.url.includes("/admin/invites")) return { statusCode: 200, data: [invite()] };
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
